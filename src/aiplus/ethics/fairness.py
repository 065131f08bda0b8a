"""Group fairness of a binary classifier, from its predictions alone.

Every figure comes from per-group confusion counts (one ``bincount`` per sensitive column), and
the confidence intervals from a seeded bootstrap of those counts. Fairlearn's ``MetricFrame``
defines the figures: a test and ``aiplus bench assurance`` check ours against it to 1e-9. It is
not run here because Fairlearn 0.15 converts every row to an array before each metric call,
which made this report take about 8 s of CPU on 30,000 rows instead of a fraction of a second.
Each sensitive column is reported on its own (SEX, AGE band, ...): groups are named
``COLUMN=value``.
"""

from __future__ import annotations

import math
import warnings
from importlib.metadata import version
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from aiplus.ethics import inputs

RATE_METRICS = ("selection_rate", "tpr", "fpr", "ppv", "npv")
FOUR_FIFTHS = 0.8
"""Disparate impact below this is the "four-fifths rule" flag used in employment testing."""


def _auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    return float(roc_auc_score(y_true, y_score)) if len(np.unique(y_true)) == 2 else math.nan


def _clean(value: float) -> float | None:
    """JSON has no NaN: a rate with an empty denominator becomes null."""
    value = float(value)
    return None if math.isnan(value) else value


def _disparities(table: pd.DataFrame) -> dict[str, float]:
    """Differences (max − min over groups) and the selection-rate ratio of one feature."""
    spread = {m: float(table[m].max() - table[m].min()) for m in RATE_METRICS}
    top = float(table["selection_rate"].max())
    return {
        "selection_rate_difference": spread["selection_rate"],
        "disparate_impact": float(table["selection_rate"].min()) / top if top > 0 else math.nan,
        "tpr_difference": spread["tpr"],
        "fpr_difference": spread["fpr"],
        "equalized_odds_difference": max(spread["tpr"], spread["fpr"]),
        "ppv_difference": spread["ppv"],
        "npv_difference": spread["npv"],
    }


def _rates(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Rates from confusion counts shaped (..., groups, 4) as TN, FP, FN, TP."""
    tn, fp, fn, tp = (counts[..., i].astype(float) for i in range(4))
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "selection_rate": (fp + tp) / (tn + fp + fn + tp),
            "tpr": tp / (tp + fn),
            "fpr": fp / (fp + tn),
            "ppv": tp / (tp + fp),
            "npv": tn / (tn + fn),
        }


def _point_rates(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Rates as Fairlearn reports them: its TPR and FPR come from scikit-learn's normalised
    confusion matrix, which gives 0 (not undefined) for a group without positives/negatives."""
    rates = _rates(counts)
    return {**rates, "tpr": np.nan_to_num(rates["tpr"]), "fpr": np.nan_to_num(rates["fpr"])}


def _group_table(counts: np.ndarray, labels: list[str], y_true: np.ndarray,
                 y_score: np.ndarray | None, codes: np.ndarray) -> pd.DataFrame:
    """One row per group: count, the five rates and, with scores, AUC."""
    table = pd.DataFrame({"count": counts.sum(axis=1), **_point_rates(counts)}, index=labels)
    if y_score is not None:
        table["auc"] = [_auc(y_true[codes == g], y_score[codes == g]) for g in range(len(labels))]
    return table


def _bootstrap(counts: np.ndarray, draws: int, rng: np.random.Generator
               ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per-draw group rates (draws × groups) and disparities (draws) for one feature.

    Resampling n rows with replacement and counting them per (group, truth, prediction) cell
    gives exactly a multinomial draw over the cells with the observed shares, and every figure
    depends on the rows only through those counts: so the draws are made on the counts, at a
    cost that does not grow with the number of rows."""
    total = int(counts.sum())
    resampled = rng.multinomial(total, counts.ravel() / total, size=draws)
    rates = _rates(resampled.reshape(draws, *counts.shape))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a draw may leave a rate undefined
        spread = {m: np.nanmax(rates[m], axis=1) - np.nanmin(rates[m], axis=1)
                  for m in RATE_METRICS}
        top = np.nanmax(rates["selection_rate"], axis=1)
        disparities = {
            "selection_rate_difference": spread["selection_rate"],
            "disparate_impact": np.where(
                top > 0, np.nanmin(rates["selection_rate"], axis=1) / top, np.nan),
            "tpr_difference": spread["tpr"],
            "fpr_difference": spread["fpr"],
            "equalized_odds_difference": np.maximum(spread["tpr"], spread["fpr"]),
            "ppv_difference": spread["ppv"],
            "npv_difference": spread["npv"],
        }
    return rates, disparities


def _interval(samples: np.ndarray, confidence: float) -> list[float | None]:
    finite = samples[np.isfinite(samples)]
    if finite.size == 0:
        return [None, None]
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return [float(low), float(high)]


def fairness_report(
    y_true: Any,
    y_pred: Any,
    sensitive: Any,
    y_score: Any = None,
    *,
    bootstrap: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> dict[str, Any]:
    """Per-group rates and between-group disparities, with bootstrap confidence intervals.

    ``y_true``/``y_pred`` are 0/1 (1 = the outcome the model predicts, e.g. default);
    ``sensitive`` is a Series or DataFrame of group columns; ``y_score`` adds per-group AUC.
    Returns ``{"groups": {"SEX=2": {metric: value}}, "disparities": {"SEX": {...}},
    "intervals": ..., "disparity_intervals": ..., "overall": ..., "method": ...}``.
    """
    truth = inputs.binary(y_true, "y_true")
    predicted = inputs.binary(y_pred, "y_pred")
    inputs.same_length(pd.Series(predicted, name=inputs.as_series(y_pred, "y_pred").name),
                       len(truth))
    score = None
    if y_score is not None:
        score = inputs.scores(y_score, "y_score")
        inputs.same_length(pd.Series(score, name=inputs.as_series(y_score, "y_score").name),
                           len(truth))
    frame = inputs.sensitive_frame(sensitive, len(truth))
    if not 1 <= bootstrap <= 2000 or not 0.5 <= confidence < 1:
        raise ValueError("bootstrap must be 1..2000 and confidence in [0.5, 1)")

    rng = np.random.default_rng(seed)
    groups: dict[str, dict[str, Any]] = {}
    intervals: dict[str, dict[str, list[float | None]]] = {}
    disparities: dict[str, dict[str, float | None]] = {}
    disparity_intervals: dict[str, dict[str, list[float | None]]] = {}
    overall: dict[str, float | None] = {}
    whole = np.bincount(truth * 2 + predicted, minlength=4).reshape(1, 4)
    overall_table = _group_table(whole, ["all"], truth, score, np.zeros(len(truth), np.int64))
    overall.update({k: (int(v) if k == "count" else _clean(v))
                    for k, v in overall_table.iloc[0].items()})
    for column in frame.columns:
        labels, codes = np.unique(frame[column].to_numpy(dtype=str), return_inverse=True)
        labels = labels.tolist()
        counts = np.bincount(codes * 4 + truth * 2 + predicted,
                             minlength=len(labels) * 4).reshape(len(labels), 4)
        table = _group_table(counts, labels, truth, score, codes)
        rates, boot_disparities = _bootstrap(counts, bootstrap, rng)
        for position, label in enumerate(labels):
            name = f"{column}={label}"
            row = table.iloc[position]
            groups[name] = {k: (int(v) if k == "count" else _clean(v)) for k, v in row.items()}
            intervals[name] = {m: _interval(rates[m][:, position], confidence)
                               for m in RATE_METRICS}
        point = _disparities(table)
        disparities[column] = {k: _clean(v) for k, v in point.items()}
        impact = disparities[column]["disparate_impact"]
        disparities[column]["four_fifths_rule_met"] = (
            None if impact is None else bool(impact >= FOUR_FIFTHS))
        disparity_intervals[column] = {k: _interval(v, confidence)
                                       for k, v in boot_disparities.items()}
    return {
        "groups": groups,
        "disparities": disparities,
        "intervals": intervals,
        "disparity_intervals": disparity_intervals,
        "overall": overall,
        "method": {
            "definitions": "fairlearn", "library_version": version("fairlearn"),
            "rows": len(truth), "bootstrap": bootstrap, "confidence": confidence,
            "seed": seed, "sensitive": list(frame.columns),
            "positive_label": 1,
        },
    }
