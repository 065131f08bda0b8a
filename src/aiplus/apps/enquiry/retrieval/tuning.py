"""Fit the fusion, the confidence calibration and the hand-over threshold on dev splits only.

``fit_parameters()`` is the only way ``parameters.json`` is produced:

1. every dev query of every FAQ set (see :mod:`.faqsets`: the team's own set and StackFAQ's
   real user rephrasings) is run once against its set's KB to collect the raw dense/BM25
   candidate features;
2. the fusion configuration (feature subset and blend with plain dense) is chosen by grouped
   cross-validation over all sets, never below plain dense on any (see :mod:`.selection`),
   and refitted on every set's dev queries;
3. the calibration must not see scores of queries the fusion was fitted on (they would look
   more certain than new queries are), so fusion scores for calibration come from 5-fold
   cross-fitting over the team's dev queries (the only set with out-of-scope queries; the
   other sets' dev queries stay in every fold's fusion fit); Platt scaling is fitted on those
   out-of-fold rankings;
4. the threshold maximises the utility in :mod:`.calibration` on the same out-of-fold data.

:func:`cross_fit` is also what the bench uses for the hand-over trade-off curve on dev.

Run ``python -m aiplus.apps.enquiry.retrieval.tuning`` to refit and rewrite the file (a few
minutes on two cores: the selection fits about a hundred models)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from aiplus.apps.enquiry.retrieval.calibration import (
    best_threshold,
    confidence_features,
    fit_platt,
    probability,
)
from aiplus.apps.enquiry.retrieval.candidates import QueryCandidates, collect
from aiplus.apps.enquiry.retrieval.faqsets import FaqSet, faq_sets
from aiplus.apps.enquiry.retrieval.fusion import LinearScorer
from aiplus.apps.enquiry.retrieval.index import FaqIndex
from aiplus.apps.enquiry.retrieval.parameters import PARAMETERS_PATH, Parameters, default_parameters
from aiplus.apps.enquiry.retrieval.selection import FusionConfig, fit_config, select

FOLDS = 5
CALIBRATION_SET = "team"


def top_of(scorer: LinearScorer, item: QueryCandidates) -> tuple[np.ndarray, bool]:
    """(confidence features, whether the top candidate is right) under ``scorer``."""
    scores = scorer(item.features)
    ranked = np.argsort(-scores, kind="stable")
    right = bool(item.labels[ranked[0]] == 1)
    return confidence_features(scores[ranked], item.features[ranked[0]]), right


@dataclass(frozen=True)
class CrossFit:
    """Out-of-fold top-candidate confidences of the team's dev queries and the Platt scaler
    behind them: every confidence comes from a fusion model that never saw that query."""

    platt: LinearScorer
    confidences: list[float]
    correct: list[bool]
    in_scope: list[bool]


def cross_fit(sets: Mapping[str, Sequence[QueryCandidates]], config: FusionConfig) -> CrossFit:
    items = list(sets[CALIBRATION_SET])
    others = {name: list(v) for name, v in sets.items() if name != CALIBRATION_SET}
    fold_of = np.random.default_rng(0).permutation(len(items)) % FOLDS
    conf_rows, rights, scope = [], [], []
    for fold in range(FOLDS):
        train = [i for i, f in zip(items, fold_of, strict=True) if f != fold]
        scorer = fit_config({CALIBRATION_SET: train, **others}, config)
        for item, f in zip(items, fold_of, strict=True):
            if f == fold:
                row, right = top_of(scorer, item)
                conf_rows.append(row)
                rights.append(right)
                scope.append(item.query.faq_id is not None)
    platt = fit_platt(np.vstack(conf_rows), np.array(rights, dtype=np.int64))
    return CrossFit(platt, [probability(platt, row) for row in conf_rows], rights, scope)


def set_items(faq_set: FaqSet, split: str = "dev") -> list[QueryCandidates]:
    """The candidate pools of one split of a set against its KB (neutral parameters: pools
    and features do not depend on the fitted weights)."""
    index = FaqIndex(faq_set.kb, parameters=default_parameters())
    return collect(index, getattr(faq_set, split))


def dev_items(sets: Sequence[FaqSet] | None = None) -> dict[str, list[QueryCandidates]]:
    """Every set's dev candidate pools, by set name."""
    return {s.name: set_items(s) for s in (sets if sets is not None else faq_sets())}


def fit_parameters(items: Mapping[str, Sequence[QueryCandidates]] | None = None, *,
                   candidates: Sequence[FusionConfig] | None = None) -> dict:
    """Select and fit on the dev pools ``items`` (all sets' dev splits by default); returns
    the JSON-ready parameters. ``candidates`` narrows the configurations compared."""
    items = items if items is not None else dev_items()
    selection = select(items, candidates)
    fusion = fit_config(items, selection.chosen)
    fitted = cross_fit(items, selection.chosen)
    threshold = best_threshold(fitted.confidences, fitted.correct, fitted.in_scope)
    sizes = {name: len(v) for name, v in items.items()}
    return Parameters(fusion, fitted.platt, threshold, selection.to_dict(sizes)).to_dict()


def main() -> None:
    parameters = fit_parameters()
    PARAMETERS_PATH.write_text(json.dumps(parameters, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(parameters["selection"]["chosen"], indent=1))


if __name__ == "__main__":
    main()
