"""Candidate pools of evaluation queries: what fusion is fitted, selected and scored on.

Collecting a pool runs the index once per query (E5 and BM25); fitting and cross-validating
fusion weights afterwards only multiplies small matrices, so every fit reuses the pools."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from aiplus.apps.enquiry.retrieval.fusion import candidate_features
from aiplus.apps.enquiry.retrieval.index import FaqIndex, looks_like_follow_up
from aiplus.apps.enquiry.retrieval.kb import EvalQuery


@dataclass(frozen=True)
class QueryCandidates:
    """One eval query's candidate pool: FAQ ids, features and which one is right."""

    query: EvalQuery
    faq_ids: list[str]
    features: np.ndarray
    labels: np.ndarray


def effective_text(query: EvalQuery) -> str:
    """The text the index searches first (a follow-up is joined to the previous turn)."""
    if query.context and looks_like_follow_up(query.query):
        return f"{query.context[-1]} {query.query}"
    return query.query


def collect(index: FaqIndex, queries: list[EvalQuery]) -> list[QueryCandidates]:
    collected = []
    for q in queries:
        order, signals = index.signals(effective_text(q))
        positions, features = candidate_features(signals)
        ids = [order[p] for p in positions]
        labels = np.array([faq_id == q.faq_id for faq_id in ids], dtype=np.int64)
        collected.append(QueryCandidates(q, ids, features, labels))
    return collected
