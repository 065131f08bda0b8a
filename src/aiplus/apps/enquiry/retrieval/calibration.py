"""Confidence that the top candidate is right, and the threshold below which a human answers.

The fused score is a ranking score, not a probability: Platt scaling (a logistic regression) over
the top score, its margin over the runner-up, the winner's own dense and lexical evidence, whether
the dense and lexical rankings agree on it (an out-of-scope question rarely has an FAQ that both
rankings put first) and how well the question fits the winner's subject (an out-of-scope question
fits no subject of the KB well, even when one FAQ shares its words) turns it into one, fitted on the
dev set's in-scope and out-of-scope queries alike. The hand-over threshold is then the confidence
that maximises a utility in which a wrong answer costs three times what a correct one gains (the
service's rule is "never a guess") and handing over a question the KB does answer costs half a
correct answer (a citizen waits for an officer, who has less time for the questions that need one).
Without that last term the utility is indifferent to hand-overs and the fit hands over a third of
the answerable questions for a handful fewer wrong answers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from aiplus.apps.enquiry.retrieval.fusion import FEATURES, LinearScorer, fit_linear

WRONG_ANSWER_COST = 3.0
IN_SCOPE_HANDOVER_COST = 0.5
CONFIDENCE_FEATURES = ("top_score", "margin", "top_dense", "top_dense_z", "top_bm25_sat",
                       "top_dense_rank_rr", "top_bm25_rank_rr", "top_dense_gap",
                       "top_coverage", "top_subject_dense_z")


def confidence_features(scores: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Features of one ranked list: ``scores`` best first, ``top`` the winner's fusion
    features (see :data:`.fusion.FEATURES`)."""
    margin = float(scores[0] - scores[1]) if len(scores) > 1 else 5.0
    named = dict(zip(FEATURES, top, strict=True))
    return np.array([float(scores[0]), margin, named["dense_question"],
                     max(named["dense_same_z"], named["dense_other_z"]),
                     named["bm25_question_sat"], named["dense_rank_rr"],
                     named["bm25_rank_rr"], named["dense_question_gap"],
                     named["question_coverage"], named["subject_dense_z"]])


def fit_platt(features: np.ndarray, correct: np.ndarray) -> LinearScorer:
    return fit_linear(features, correct, balanced=False)


def probability(scorer: LinearScorer, features: np.ndarray) -> float:
    return float(1.0 / (1.0 + np.exp(-scorer(features[None, :])[0])))


def best_threshold(confidences: Sequence[float], correct: Sequence[bool],
                   in_scope: Sequence[bool]) -> float:
    """The confidence cut that maximises the utility of the module doc: right answers
    - 3 x wrong answers - 0.5 x hand-overs of in-scope questions."""
    pairs = sorted(zip(confidences, correct, in_scope, strict=True), reverse=True)
    # utility relative to handing everything over; answering one more query changes it by
    # its answer's utility minus the hand-over's
    best_utility, best_cut, utility = 0.0, 1.0, 0.0
    for i, (conf, ok, scope) in enumerate(pairs):
        utility += (1.0 if ok else -WRONG_ANSWER_COST) + (IN_SCOPE_HANDOVER_COST if scope else 0.0)
        next_conf = pairs[i + 1][0] if i + 1 < len(pairs) else 0.0
        if utility > best_utility and next_conf < conf:
            best_utility, best_cut = utility, (conf + next_conf) / 2
    return float(best_cut)


def handover_curve(confidences: Sequence[float], correct: Sequence[bool],
                   in_scope: Sequence[bool],
                   thresholds: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
                   ) -> list[dict[str, float]]:
    """Hand-over precision/recall (positive = out of scope, handed over) and the share of
    in-scope questions answered right or wrong at each threshold: the trade-off an operator
    moves along when choosing a stricter or looser service."""
    conf, ok, scope = (np.asarray(v) for v in (confidences, correct, in_scope))
    rows = []
    for cut in thresholds:
        handed = conf < cut
        tp, fp = int((handed & ~scope).sum()), int((handed & scope).sum())
        fn = int((~handed & ~scope).sum())
        rows.append({"threshold": cut,
                     "handover_precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
                     "handover_recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
                     "in_scope_answered_right": round(float((~handed & scope & ok).sum()
                                                            / max(scope.sum(), 1)), 4),
                     "in_scope_answered_wrong": round(float((~handed & scope & ~ok).sum()
                                                            / max(scope.sum(), 1)), 4)})
    return rows
