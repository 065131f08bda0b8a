"""Hybrid retrieval over the chunks a person may read: BM25 (bm25s) for exact terms, numbers
and names; multilingual E5 for meaning, across English and Chinese. The two rankings are
fused by reciprocal rank, which needs no tuning of incomparable scores.

The dense cosine of the best passage is kept: below the relevance threshold the copilot says
the documents do not contain the answer instead of letting the model guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aiplus.models import embeddings
from aiplus.models.text import tokens

RRF_K = 60  # the constant of Cormack et al.'s reciprocal rank fusion


@dataclass(frozen=True)
class Passage:
    chunk_id: int
    document_id: int
    filename: str
    page: int
    heading: str
    text: str
    score: float  # fused
    dense: float  # cosine to the query

    def as_dict(self) -> dict[str, object]:
        return {"chunk_id": self.chunk_id, "document_id": self.document_id,
                "filename": self.filename, "page": self.page, "heading": self.heading,
                "text": self.text, "score": round(self.score, 5),
                "dense": round(self.dense, 4)}


@dataclass(frozen=True)
class Candidate:
    """A chunk eligible for retrieval (readable by the asker, not flagged)."""

    chunk_id: int
    document_id: int
    filename: str
    page: int
    heading: str
    text: str
    vector: np.ndarray


def _ranks(scores: np.ndarray) -> np.ndarray:
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(len(scores))
    return ranks


def bm25_scores(query: str, texts: list[str]) -> np.ndarray:
    import bm25s

    corpus = [tokens(text) or ["∅"] for text in texts]
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    return np.asarray(index.get_scores(tokens(query) or ["∅"]), dtype=np.float64)


def search(query: str, candidates: list[Candidate], k: int) -> list[Passage]:
    """The ``k`` best passages for ``query`` by reciprocal-rank fusion of BM25 and E5."""
    if not candidates:
        return []
    texts = [f"{c.heading}\n{c.text}" for c in candidates]
    lexical = bm25_scores(query, texts)
    question = embeddings.query_vectors([query])[0]
    dense = np.vstack([c.vector for c in candidates]) @ question
    fused = 1.0 / (RRF_K + 1 + _ranks(dense))
    has_terms = lexical > 0  # a chunk sharing no term with the query gets no lexical vote
    fused = fused + np.where(has_terms, 1.0 / (RRF_K + 1 + _ranks(lexical)), 0.0)
    best = np.argsort(-fused, kind="stable")[:k]
    return [Passage(candidates[i].chunk_id, candidates[i].document_id, candidates[i].filename,
                    candidates[i].page, candidates[i].heading, candidates[i].text,
                    float(fused[i]), float(dense[i])) for i in best]
