"""The prompt-injection classifier: hashed character and word n-grams, logistic regression.

Character n-grams need no word segmentation, so one model reads English, written Chinese and
Cantonese alike; hashing needs no stored vocabulary, so the artefact is only the weights
(``injection_model.npz``, about 1 MB). Its SHA-256 is recorded in ``injection_model.json``
beside it and checked on load, so a swapped or corrupted file is refused, not used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer

ARTEFACT = Path(__file__).resolve().parent / "data" / "injection_model.npz"
MANIFEST = ARTEFACT.with_suffix(".json")
N_FEATURES = 2**17


class ArtefactMismatch(RuntimeError):
    """The model file is not the one training recorded."""


def _vectorisers() -> tuple[HashingVectorizer, HashingVectorizer]:
    options: dict[str, Any] = {"n_features": N_FEATURES, "alternate_sign": False,
                               "lowercase": True}
    chars = HashingVectorizer(analyzer="char_wb", ngram_range=(1, 4), **options)
    words = HashingVectorizer(analyzer="word", ngram_range=(1, 2),
                              token_pattern=r"(?u)\b\w\w+\b", **options)
    return chars, words


def featurise(texts: list[str]) -> csr_matrix:
    """One row per text: character 1-4-grams beside word 1-2-grams, each L2-normalised."""
    chars, words = _vectorisers()
    return hstack([chars.transform(texts), words.transform(texts)], format="csr")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class InjectionClassifier:
    """``predict_proba(texts)`` -> probability that each text is an attack."""

    coef: np.ndarray
    intercept: float
    threshold: float
    metadata: dict[str, Any]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        logits = featurise(texts) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-logits))

    @classmethod
    def load(cls, artefact: Path = ARTEFACT, manifest: Path = MANIFEST) -> InjectionClassifier:
        """The trained model, after checking its SHA-256 against the training manifest."""
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        actual = sha256_of(artefact)
        if actual != recorded["sha256"]:
            raise ArtefactMismatch(
                f"{artefact.name} has SHA-256 {actual}, training recorded {recorded['sha256']}"
            )
        with np.load(artefact) as weights:
            coef = weights["coef"].astype(np.float64)
            intercept = float(weights["intercept"][0])
        return cls(coef, intercept, float(recorded["threshold"]), recorded)


@cache
def default_classifier() -> InjectionClassifier:
    """The packaged model, loaded once per process."""
    return InjectionClassifier.load()
