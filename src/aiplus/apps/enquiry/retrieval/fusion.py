"""Learned fusion of dense and lexical evidence into one score per candidate FAQ.

Neither signal wins alone: BM25 is precise when the citizen happens to use the KB's words and
useless across languages; E5 crosses languages but confuses neighbouring services (renewing
an identity card vs a passport). Candidates are the union of both top lists, each described by
a few query-relative features, and a logistic regression chosen and fitted on the dev splits
of several FAQ sets (see :mod:`.selection` and :mod:`.tuning`) weighs them. Features are
relative to the query's best candidate, so the weights carry over to knowledge bases of other
sizes and wordings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aiplus.apps.enquiry.retrieval.dense import LANGS, MISSING_Z, DenseScores

FEATURES = (
    "dense_question",  # best cosine between the query and the FAQ's questions/phrasings
    "dense_question_gap",  # that cosine minus the best one over all FAQs (<= 0)
    "dense_same_z",  # best standardised cosine among texts in the query's language
    "dense_other_z",  # the same among texts in the other language (see dense.DenseScores);
    # an FAQ without texts in one language gets its other language's value in both (see
    # _filled)
    "dense_answer_z",  # best standardised cosine between the query and the FAQ's answers
    "bm25_question_rel",  # BM25 over questions/phrasings, divided by the query's best
    "bm25_question_sat",  # the same score saturated: s / (s + 5), comparable across queries
    "bm25_answer_rel",  # BM25 over answers, divided by the query's best
    "question_coverage",  # share of the query's distinct tokens found in the FAQ's questions
    "dense_rank_rr",  # 1 / (1 + rank by the best standardised question cosine)
    "bm25_rank_rr",  # 1 / (1 + rank by BM25 over questions)
    "subject_dense_z",  # how well the query fits the FAQ's subject (see dense.subject_z)
    "subject_bm25_rel",  # BM25 of the FAQ's subject (all its questions), over the best one's
)
POOL = 30  # candidates taken from each of the dense and lexical rankings


@dataclass(frozen=True)
class Signals:
    """Raw per-document scores of one query, by document position."""

    lang: str  # the query's language, "en" or "zh-Hant"
    dense_question: DenseScores
    dense_answer: DenseScores
    bm25_question: np.ndarray
    bm25_answer: np.ndarray
    coverage: np.ndarray  # see lexical.Bm25Field.coverage, over questions and phrasings
    subject_bm25: np.ndarray  # BM25 of each FAQ's subject document (0: no subject)


def _reciprocal_ranks(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.float32)
    ranks[order] = np.arange(len(scores), dtype=np.float32)
    return 1.0 / (1.0 + ranks)


def _filled(z: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """``z`` with documents lacking that language given ``fallback``'s value.

    A sentinel for "no text in this language" is a trap: the dev set's cross-lingual queries
    all target single-language FAQs, so a fit learns that a *missing* Chinese text makes an
    FAQ a good answer to a Chinese question, and every Chinese question, out of scope ones
    included, drifts to the English-only FAQs (「聽日會唔會打風」 answered with "no water
    supply"). Filling with the FAQ's evidence in the language it does have leaves the model
    nothing to learn from missingness."""
    return np.where(z <= MISSING_Z, fallback, z)


def candidate_features(signals: Signals) -> tuple[np.ndarray, np.ndarray]:
    """(positions, feature matrix) of the union of the dense and BM25 top ``POOL``."""
    dq, bq, ba = signals.dense_question.best, signals.bm25_question, signals.bm25_answer
    if len(dq) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(FEATURES)), dtype=np.float32)
    other = LANGS[1 - LANGS.index(signals.lang)]
    raw_same, raw_other = signals.dense_question.z[signals.lang], signals.dense_question.z[other]
    same_z, other_z = _filled(raw_same, raw_other), _filled(raw_other, raw_same)
    best_z = np.maximum(same_z, other_z)
    answer_z = np.maximum(*signals.dense_answer.z.values())
    pool = np.union1d(np.argsort(-best_z, kind="stable")[:POOL],
                      np.argsort(-other_z, kind="stable")[:POOL // 3])
    if bq.max(initial=0.0) > 0:
        pool = np.union1d(pool, np.argsort(-bq, kind="stable")[:POOL])
    bq_best, ba_best = max(float(bq.max()), 1e-6), max(float(ba.max(initial=0.0)), 1e-6)
    rr_dense, rr_bm25 = _reciprocal_ranks(best_z), _reciprocal_ranks(bq)
    features = np.column_stack([
        dq[pool],
        dq[pool] - dq.max(),
        same_z[pool],
        other_z[pool],
        answer_z[pool],
        bq[pool] / bq_best,
        bq[pool] / (bq[pool] + 5.0),
        ba[pool] / ba_best,
        signals.coverage[pool],
        rr_dense[pool],
        rr_bm25[pool] * (bq[pool] > 0),
        signals.dense_question.subject_z[pool],
        signals.subject_bm25[pool] / max(float(signals.subject_bm25.max(initial=0.0)), 1e-6),
    ]).astype(np.float32)
    return pool.astype(np.int64), features


@dataclass(frozen=True)
class LinearScorer:
    """A fitted linear model over standardised features: score = w . (x - mean) / scale + b."""

    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    @classmethod
    def from_dict(cls, data: dict) -> LinearScorer:
        return cls(np.asarray(data["weights"], dtype=np.float64), float(data["bias"]),
                   np.asarray(data["mean"], dtype=np.float64),
                   np.asarray(data["scale"], dtype=np.float64))

    def to_dict(self) -> dict:
        return {"weights": [round(float(w), 6) for w in self.weights],
                "bias": round(self.bias, 6),
                "mean": [round(float(m), 6) for m in self.mean],
                "scale": [round(float(s), 6) for s in self.scale]}

    def __call__(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.mean) / self.scale) @ self.weights + self.bias


def fit_linear(features: np.ndarray, labels: np.ndarray, *, balanced: bool,
               sample_weight: np.ndarray | None = None) -> LinearScorer:
    """Logistic regression on standardised features; ``balanced`` reweights rare positives
    (right for ranking, wrong for a probability that must match observed frequencies);
    ``sample_weight`` lets several FAQ sets count equally whatever their sizes.

    The fit is solved to a tight tolerance on float64 data: the L2-penalised problem has one
    optimum, and reaching it makes the weights a function of the data alone. With the solver's
    default tolerance it stops early, wherever the path (summation order in BLAS, numbers of
    threads) happened to be, and the collinear confidence features (top score, margin, top
    cosine) swing by tenths between machines."""
    from sklearn.linear_model import LogisticRegression

    features = np.asarray(features, dtype=np.float64)
    mean = features.mean(axis=0)
    scale = np.where(features.std(axis=0) > 1e-9, features.std(axis=0), 1.0)
    model = LogisticRegression(class_weight="balanced" if balanced else None, C=1.0,
                               tol=1e-10, max_iter=100_000)
    model.fit((features - mean) / scale, labels, sample_weight=sample_weight)
    return LinearScorer(model.coef_[0].astype(np.float64), float(model.intercept_[0]), mean, scale)
