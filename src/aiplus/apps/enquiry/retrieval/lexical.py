"""BM25 over segmented text (bm25s), one index for questions and phrasings, one for answers.

Both languages share one token space (see :mod:`aiplus.models.text`), so a code-mixed query
matches English and Chinese wording at once. bm25s has no incremental insert; its index over
~1,000 short documents builds in milliseconds, so it is rebuilt lazily on the first search
after a change instead of on every upsert."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


class Bm25Field:
    """BM25 scores of one text field of every document, by document position."""

    def __init__(self) -> None:
        self._docs: list[list[str]] = []
        self._vocabularies: list[frozenset[str]] = []
        self._model: bm25s.BM25 | None = None
        self._lock = threading.Lock()

    def set_documents(self, docs: Sequence[list[str]]) -> None:
        with self._lock:
            self._docs = [list(d) for d in docs]
            self._vocabularies = [frozenset(d) for d in self._docs]
            self._model = None

    def _built(self) -> bm25s.BM25 | None:
        with self._lock:
            if self._model is None and self._docs:
                model = bm25s.BM25()
                # An empty document would make bm25s drop it; a placeholder keeps positions.
                model.index([d or ["\x00"] for d in self._docs], show_progress=False)
                self._model = model
            return self._model

    def scores(self, tokens: list[str]) -> np.ndarray:
        """Scores for all documents in insertion order (zeros when nothing matches)."""
        model = self._built()
        if model is None:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in tokens if t in model.vocab_dict]
        if not known:
            return np.zeros(len(self._docs), dtype=np.float32)
        return np.asarray(model.get_scores(known), dtype=np.float32)

    def coverage(self, tokens: list[str]) -> np.ndarray:
        """Per document, the share of the query's distinct tokens it contains.

        BM25 rewards a document for the rare words it shares; coverage tells how much of the
        question it accounts for. An out-of-scope near-miss («聽日會唔會打風» against a
        typhoon-closure FAQ) shares one striking word and leaves the rest unexplained."""
        with self._lock:
            vocabularies = self._vocabularies
        wanted = set(tokens)
        if not wanted:
            return np.zeros(len(vocabularies), dtype=np.float32)
        return np.array([len(wanted & v) / len(wanted) for v in vocabularies], dtype=np.float32)
