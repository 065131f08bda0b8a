"""Robustness: how much scores move under small noise and when a feature goes missing.

Perturbation adds Gaussian noise of a stated share of each continuous column's standard
deviation (columns with more than ``min_distinct`` values: noise on coded columns such as a
repayment status of -1/0/1 would test impossible inputs) and counts decisions that flip; missing-value sensitivity blanks one column at a time and
measures the mean change of score and the loss of AUC. A model that cannot take a blank value
at all is reported as such rather than failing the run.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from aiplus.core.i18n import Bilingual
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin

INPUT = {
    "type": "object",
    "properties": {
        "sample": {"type": "integer", "minimum": 50, "maximum": 50000, "default": 5000},
        "noise": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0,
                                             "maximum": 2}, "default": [0.01, 0.05, 0.1]},
        "max_flip_rate": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
        "min_distinct": {"type": "integer", "minimum": 1, "default": 20},
        "seed": {"type": "integer", "default": 0},
    },
    "additionalProperties": False,
}
OUTPUT = {
    "type": "object",
    "required": ["perturbation", "missing", "method"],
    "properties": {
        "perturbation": {"type": "array", "items": {"type": "object", "required": [
            "noise", "flip_rate", "mean_abs_score_change", "auc"]}},
        "missing": {"type": "object", "additionalProperties": {"type": "object"}},
        "method": {"type": "object"},
    },
}


def _auc(y: np.ndarray, score: np.ndarray) -> float | None:
    return float(roc_auc_score(y, score)) if len(set(y.tolist())) == 2 else None


def run(data: AssuranceData, params: dict[str, Any]) -> dict[str, Any]:
    rng = np.random.default_rng(params["seed"])
    size = min(params["sample"], len(data.features))
    chosen = np.sort(rng.choice(len(data.features), size=size, replace=False))
    rows = data.features.iloc[chosen]
    y = data.y_true[chosen]
    base = np.asarray(data.model(rows), dtype=float)
    base_decision = base >= data.threshold
    numeric = [c for c in rows.columns if pd.api.types.is_numeric_dtype(rows[c])
               and rows[c].nunique() > params["min_distinct"]]
    spread = rows[numeric].std(ddof=0).replace(0, 1.0)
    perturbation = []
    for level in params["noise"]:
        noisy = rows.astype({column: float for column in numeric})  # no integer truncation
        noisy[numeric] = noisy[numeric] + rng.normal(size=(size, len(numeric))) * (
            spread.to_numpy() * level)
        score = np.asarray(data.model(noisy), dtype=float)
        perturbation.append({
            "noise": float(level),
            "flip_rate": float(np.mean((score >= data.threshold) != base_decision)),
            "mean_abs_score_change": float(np.mean(np.abs(score - base))),
            "auc": _auc(y, score),
        })
    missing: dict[str, dict[str, Any]] = {}
    base_auc = _auc(y, base)
    for column in rows.columns:
        blank = rows.copy()
        blank[column] = np.nan
        try:
            score = np.asarray(data.model(blank), dtype=float)
        except ValueError as refused:  # e.g. scikit-learn estimators without NaN support
            missing[column] = {"supported": False, "error": str(refused)[:200]}
            continue
        auc = _auc(y, score)
        missing[column] = {
            "supported": True,
            "mean_abs_score_change": float(np.mean(np.abs(score - base))),
            "flip_rate": float(np.mean((score >= data.threshold) != base_decision)),
            "auc_drop": None if auc is None or base_auc is None else base_auc - auc,
        }
    return {"perturbation": perturbation, "missing": missing,
            "method": {"sample": size, "base_auc": base_auc, "threshold": data.threshold,
                       "perturbed_columns": numeric}}


def verdict(output: dict[str, Any], params: dict[str, Any]) -> bool:
    smallest = min(output["perturbation"], key=lambda row: row["noise"])
    return smallest["flip_rate"] <= params["max_flip_rate"]


def headline(output: dict[str, Any]) -> dict[str, float | None]:
    figures: dict[str, float | None] = {
        f"flip_rate@{row['noise']}": row["flip_rate"] for row in output["perturbation"]}
    drops = [v["auc_drop"] for v in output["missing"].values() if v.get("auc_drop") is not None]
    figures["worst_missing_auc_drop"] = max(drops) if drops else None
    return figures


plugin = AssurancePlugin(
    name="robustness", version="1.0",
    title=Bilingual("Robustness to noise and missing values", "對雜訊及缺失值的穩健性"),
    input_schema=INPUT, output_schema=OUTPUT, run=run, verdict=verdict, headline=headline,
    needs=frozenset({"model", "features"}),
)
