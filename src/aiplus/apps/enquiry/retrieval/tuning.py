"""Fit the fusion weights, the confidence calibration and the hand-over threshold on dev.

``fit_parameters(dev_path)`` is the only way ``parameters.json`` is produced:

1. every dev query is run once against the demo KB to collect the raw dense/BM25 signals;
2. the fusion model is a logistic regression over candidate features (right FAQ = 1);
3. the calibration must not see scores of queries the fusion was fitted on (they would look
   more certain than new queries are), so fusion scores for calibration come from 5-fold
   cross-fitting over queries; Platt scaling is fitted on those out-of-fold rankings;
4. the threshold maximises the utility in :mod:`.calibration` on the same out-of-fold data.

:func:`cross_fit` is also what the bench uses for the hand-over trade-off curve on dev.

Run ``python -m aiplus.apps.enquiry.retrieval.tuning`` to refit and rewrite the file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aiplus.apps.enquiry.retrieval.calibration import (
    best_threshold,
    confidence_features,
    fit_platt,
    probability,
)
from aiplus.apps.enquiry.retrieval.fusion import LinearScorer, candidate_features, fit_linear
from aiplus.apps.enquiry.retrieval.index import FaqIndex, looks_like_follow_up
from aiplus.apps.enquiry.retrieval.kb import DEV_PATH, EvalQuery, load_demo_kb, load_eval
from aiplus.apps.enquiry.retrieval.parameters import PARAMETERS_PATH, Parameters, default_parameters

FOLDS = 5


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


def _fit_fusion(items: list[QueryCandidates]) -> LinearScorer:
    features = np.vstack([i.features for i in items])
    labels = np.concatenate([i.labels for i in items])
    return fit_linear(features, labels, balanced=True)


def top_of(scorer: LinearScorer, item: QueryCandidates) -> tuple[np.ndarray, bool]:
    """(confidence features, whether the top candidate is right) under ``scorer``."""
    scores = scorer(item.features)
    ranked = np.argsort(-scores, kind="stable")
    right = bool(item.labels[ranked[0]] == 1)
    return confidence_features(scores[ranked], item.features[ranked[0]]), right


@dataclass(frozen=True)
class CrossFit:
    """Out-of-fold top-candidate confidences of the dev queries and the Platt scaler behind
    them: every confidence comes from a fusion model that never saw that query."""

    platt: LinearScorer
    confidences: list[float]
    correct: list[bool]
    in_scope: list[bool]


def cross_fit(items: list[QueryCandidates]) -> CrossFit:
    fold_of = np.random.default_rng(0).permutation(len(items)) % FOLDS
    conf_rows, rights, scope = [], [], []
    for fold in range(FOLDS):
        train = [i for i, f in zip(items, fold_of, strict=True)
                 if f != fold and i.query.faq_id is not None]
        scorer = _fit_fusion(train)
        for item, f in zip(items, fold_of, strict=True):
            if f == fold:
                row, right = top_of(scorer, item)
                conf_rows.append(row)
                rights.append(right)
                scope.append(item.query.faq_id is not None)
    platt = fit_platt(np.vstack(conf_rows), np.array(rights, dtype=np.int64))
    return CrossFit(platt, [probability(platt, row) for row in conf_rows], rights, scope)


def dev_items(dev_path: Path = DEV_PATH) -> list[QueryCandidates]:
    """The dev queries' candidate pools against the demo KB (neutral parameters: the pools
    and features do not depend on the fitted weights)."""
    index = FaqIndex(load_demo_kb(), parameters=default_parameters())
    return collect(index, load_eval(dev_path))


def fit_parameters(dev_path: Path = DEV_PATH) -> dict:
    """Fit on ``dev_path`` against the demo KB; returns the JSON-ready parameters."""
    items = dev_items(dev_path)
    fusion = _fit_fusion([i for i in items if i.query.faq_id is not None])
    fitted = cross_fit(items)
    threshold = best_threshold(fitted.confidences, fitted.correct, fitted.in_scope)
    return Parameters(fusion, fitted.platt, threshold).to_dict()


def main() -> None:
    parameters = fit_parameters()
    PARAMETERS_PATH.write_text(json.dumps(parameters, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(parameters, indent=1))


if __name__ == "__main__":
    main()
