"""Performance and calibration: AUC, accuracy, recall, Brier score, ECE, reliability bins.

Calibration matters as much as ranking when a score is read as a probability of default: the
expected calibration error (ECE) is the row-weighted gap between the mean score and the observed
rate in equal-width score bins, the bins being the reliability diagram itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)

from aiplus.core.i18n import Bilingual
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin, number_map

INPUT = {
    "type": "object",
    "properties": {
        "bins": {"type": "integer", "minimum": 2, "maximum": 50, "default": 10},
        "min_auc": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.7},
        "max_ece": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
    },
    "additionalProperties": False,
}
BIN = {"type": "object", "required": ["low", "high", "count", "mean_score", "observed_rate"]}
OUTPUT = {
    "type": "object",
    "required": ["metrics", "reliability"],
    "properties": {"metrics": number_map(), "reliability": {"type": "array", "items": BIN}},
}


def reliability_bins(y_true: np.ndarray, y_score: np.ndarray, bins: int) -> list[dict[str, Any]]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(y_score, edges[1:-1]), 0, bins - 1)
    rows = []
    for b in range(bins):
        members = index == b
        count = int(members.sum())
        rows.append({"low": float(edges[b]), "high": float(edges[b + 1]), "count": count,
                     "mean_score": float(y_score[members].mean()) if count else None,
                     "observed_rate": float(y_true[members].mean()) if count else None})
    return rows


def expected_calibration_error(rows: list[dict[str, Any]], total: int) -> float:
    return float(sum(r["count"] / total * abs(r["mean_score"] - r["observed_rate"])
                     for r in rows if r["count"]))


def run(data: AssuranceData, params: dict[str, Any]) -> dict[str, Any]:
    y, pred = data.y_true, data.y_pred
    metrics: dict[str, float | None] = {
        "rows": float(len(y)), "positive_rate": float(y.mean()),
        "accuracy": float(accuracy_score(y, pred)),
        "precision": float(precision_score(y, pred, zero_division=0)),
        "recall": float(recall_score(y, pred, zero_division=0)),
        "f1": float(f1_score(y, pred, zero_division=0)),
        "auc": None, "brier": None, "ece": None,
    }
    reliability: list[dict[str, Any]] = []
    if data.y_score is not None:
        if len(set(y.tolist())) == 2:
            metrics["auc"] = float(roc_auc_score(y, data.y_score))
        metrics["brier"] = float(brier_score_loss(y, data.y_score))
        reliability = reliability_bins(y, data.y_score, params["bins"])
        metrics["ece"] = expected_calibration_error(reliability, len(y))
    return {"metrics": metrics, "reliability": reliability}


def verdict(output: dict[str, Any], params: dict[str, Any]) -> bool | None:
    auc, ece = output["metrics"]["auc"], output["metrics"]["ece"]
    if auc is None:
        return None
    return auc >= params["min_auc"] and (ece is None or ece <= params["max_ece"])


def headline(output: dict[str, Any]) -> dict[str, float | None]:
    return {k: output["metrics"][k] for k in ("auc", "accuracy", "recall", "brier", "ece")}


plugin = AssurancePlugin(
    name="performance", version="1.0",
    title=Bilingual("Performance and calibration", "表現及校準"),
    input_schema=INPUT, output_schema=OUTPUT, run=run, verdict=verdict, headline=headline,
)
