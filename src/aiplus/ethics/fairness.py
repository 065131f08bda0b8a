"""Group fairness of a binary classifier, from its predictions alone.

Point estimates come from Fairlearn's ``MetricFrame`` (so they are Fairlearn's numbers, which a
test checks to 1e-9); confidence intervals come from a seeded bootstrap over rows, computed on
confusion counts with numpy because re-running ``MetricFrame`` hundreds of times on 30,000 rows
would take minutes. Each sensitive column is reported on its own (SEX, AGE band, ...): groups
are named ``COLUMN=value``.
"""

from __future__ import annotations

import math
import warnings
from importlib.metadata import version
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    count,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import precision_score, roc_auc_score

from aiplus.ethics import inputs

RATE_METRICS = ("selection_rate", "tpr", "fpr", "ppv", "npv")
FOUR_FIFTHS = 0.8
"""Disparate impact below this is the "four-fifths rule" flag used in employment testing."""


def positive_predictive_value(y_true: Any, y_pred: Any) -> float:
    return float(precision_score(y_true, y_pred, zero_division=np.nan))


def negative_predictive_value(y_true: Any, y_pred: Any) -> float:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    predicted_negative = y_pred == 0
    if not predicted_negative.any():
        return math.nan
    return float(np.mean(y_true[predicted_negative] == 0))


def _auc(y_true: Any, y_score: Any) -> float:
    return float(roc_auc_score(y_true, y_score)) if len(set(np.asarray(y_true))) == 2 else math.nan


METRICS = {
    "count": count,
    "selection_rate": selection_rate,
    "tpr": true_positive_rate,
    "fpr": false_positive_rate,
    "ppv": positive_predictive_value,
    "npv": negative_predictive_value,
}


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


def _bootstrap(y_true: np.ndarray, y_pred: np.ndarray, codes: np.ndarray, groups: int,
               draws: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Per-draw group rates (draws × groups) and disparities (draws) for one feature."""
    cell = codes * 4 + y_true * 2 + y_pred
    counts = np.stack([np.bincount(cell[rows], minlength=groups * 4).reshape(groups, 4)
                       for rows in draws])
    rates = _rates(counts)
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
    draws = rng.integers(0, len(truth), size=(bootstrap, len(truth)))
    groups: dict[str, dict[str, Any]] = {}
    intervals: dict[str, dict[str, list[float | None]]] = {}
    disparities: dict[str, dict[str, float | None]] = {}
    disparity_intervals: dict[str, dict[str, list[float | None]]] = {}
    overall: dict[str, float | None] = {}
    for column in frame.columns:
        frame_result = MetricFrame(metrics=METRICS, y_true=truth, y_pred=predicted,
                                   sensitive_features=frame[column])
        table = frame_result.by_group
        if score is not None:
            auc = MetricFrame(metrics=_auc, y_true=truth, y_pred=score,
                              sensitive_features=frame[column])
            table = table.assign(auc=auc.by_group)
            overall["auc"] = _clean(auc.overall)
        overall.update({k: _clean(v) for k, v in frame_result.overall.items()})
        labels = [str(g) for g in table.index]
        codes = pd.Categorical(frame[column], categories=labels).codes.astype(np.int64)
        rates, boot_disparities = _bootstrap(truth, predicted, codes, len(labels), draws)
        for position, label in enumerate(labels):
            name = f"{column}={label}"
            row = table.loc[table.index[position]]
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
            "library": "fairlearn", "library_version": version("fairlearn"),
            "rows": len(truth), "bootstrap": bootstrap, "confidence": confidence,
            "seed": seed, "sensitive": list(frame.columns),
            "positive_label": 1,
        },
    }
