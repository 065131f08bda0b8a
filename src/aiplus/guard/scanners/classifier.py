"""The prompt-injection classifier: hashed character and word n-grams beside a sentence
embedding, each with a logistic regression, their logits mixed.

Character n-grams need no word segmentation, so one model reads English, written Chinese and
Cantonese alike; hashing needs no stored vocabulary. But on a short text a few spurious
n-grams dominate ("When are you open?" scored 0.93 on n-grams alone), so a second model reads
the multilingual E5 embedding of the text's start (:mod:`aiplus.models.embeddings`), which
knows what a sentence *means* in any of the three languages. The mixing weight and the block
threshold are chosen on the validation split (see :mod:`train`).

The artefact is only weights (``injection_model.npz``, under 1 MB). Its SHA-256 is recorded in
``injection_model.json`` beside it and checked on load, so a swapped or corrupted file is
refused, not used.
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
# The sentence model reads the start of a text only: E5's cost grows with length (~25 ms for
# a short question, ~80 ms for 300 characters on two shared cores), and the n-gram model
# still reads all of it.
EMBED_CHARS = 200


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


def embedding_text(text: str) -> str:
    """What the sentence model reads of ``text``."""
    return text.strip()[:EMBED_CHARS]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


@dataclass(frozen=True)
class InjectionClassifier:
    """``predict_proba(texts)`` -> probability that each text is an attack.

    ``mix`` weighs the n-gram logit against the embedding logit (1.0: n-grams alone, and no
    embedding is computed)."""

    coef: np.ndarray
    intercept: float
    threshold: float
    metadata: dict[str, Any]
    embedding_coef: np.ndarray | None = None
    embedding_intercept: float = 0.0
    mix: float = 1.0

    def ngram_logits(self, texts: list[str]) -> np.ndarray:
        return np.asarray(featurise(texts) @ self.coef + self.intercept)

    def embedding_logits(self, texts: list[str]) -> np.ndarray:
        """Logits of the embedding model (zeros when the artefact has none)."""
        if self.embedding_coef is None:
            return np.zeros(len(texts))
        from aiplus.models.embeddings import query_vectors  # late: the engine maps 87 MB

        vectors = query_vectors([embedding_text(t) for t in texts])
        return np.asarray(vectors @ self.embedding_coef + self.embedding_intercept)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        logits = self.ngram_logits(texts)
        if self.embedding_coef is not None and self.mix < 1.0:
            logits = self.mix * logits + (1 - self.mix) * self.embedding_logits(texts)
        return sigmoid(logits)

    def most_suspicious(self, readings: list[str]) -> tuple[int, float]:
        """The reading the n-grams find most suspicious and its probability under the full
        model: one embedding per scan however many readings the evasion views give (each
        costs ~25-60 ms; n-grams cost well under one)."""
        logits = self.ngram_logits(readings)
        index = int(logits.argmax())
        return index, float(self.predict_proba([readings[index]])[0])

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
            embedding = ("embedding_coef" in weights.files
                         and (weights["embedding_coef"].astype(np.float64),
                              float(weights["embedding_intercept"][0]),
                              float(weights["mix"][0])))
        if embedding:
            return cls(coef, intercept, float(recorded["threshold"]), recorded, *embedding)
        return cls(coef, intercept, float(recorded["threshold"]), recorded)


@cache
def default_classifier() -> InjectionClassifier:
    """The packaged model, loaded once per process."""
    return InjectionClassifier.load()
