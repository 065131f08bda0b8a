"""Explanations: SHAP global importance and local explanations, and partial dependence.

Tree ensembles get SHAP's exact TreeExplainer (values in the model's log-odds); any other model
gets the model-agnostic permutation explainer against a background sample (values in
probability). Both run on a stated, seeded sample of rows, because exact SHAP on 30,000 rows
is minutes of work for figures that a 1,000-row sample already pins down.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import shap

from aiplus.core.i18n import Bilingual
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin, number_map

INPUT = {
    "type": "object",
    "properties": {
        "sample": {"type": "integer", "minimum": 10, "maximum": 20000, "default": 1000},
        "background": {"type": "integer", "minimum": 10, "maximum": 1000, "default": 100},
        "local_rows": {"type": "integer", "minimum": 0, "maximum": 50, "default": 5},
        "top": {"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
        "dependence_features": {"type": "integer", "minimum": 0, "maximum": 10, "default": 3},
        "grid": {"type": "integer", "minimum": 2, "maximum": 50, "default": 10},
        "seed": {"type": "integer", "default": 0},
    },
    "additionalProperties": False,
}
OUTPUT = {
    "type": "object",
    "required": ["global_importance", "local", "partial_dependence", "method"],
    "properties": {
        "global_importance": number_map(),
        "local": {"type": "array", "items": {"type": "object",
                                             "required": ["row", "score", "contributions"]}},
        "partial_dependence": {"type": "object"},
        "method": {"type": "object", "required": ["explainer", "sample", "units"]},
    },
}


def _shap_values(data: AssuranceData, rows: pd.DataFrame, params: dict[str, Any]
                 ) -> tuple[np.ndarray, float, str, str]:
    if data.tree_model is not None:
        explainer = shap.TreeExplainer(data.tree_model)
        with warnings.catch_warnings():  # shap notes LightGBM's output shape changed; handled
            warnings.simplefilter("ignore", UserWarning)
            values = explainer.shap_values(rows)
        base = explainer.expected_value
        if isinstance(values, list):  # older per-class output: keep the positive class
            values, base = values[1], base[1]
        return np.asarray(values), float(np.ravel(base)[-1]), "TreeExplainer", "log-odds"
    background = shap.sample(data.features, params["background"], random_state=params["seed"])
    explainer = shap.PermutationExplainer(
        lambda x: data.model(pd.DataFrame(x, columns=rows.columns)), background,
        seed=params["seed"])
    explanation = explainer(rows)
    return (np.asarray(explanation.values), float(np.ravel(explanation.base_values)[0]),
            "PermutationExplainer", "probability")


def partial_dependence(data: AssuranceData, rows: pd.DataFrame, feature: str,
                       grid: int) -> list[dict[str, float]]:
    """Mean score when every sampled row takes each grid value of ``feature`` (all grid values
    scored in one model call)."""
    values = np.unique(np.quantile(rows[feature].astype(float), np.linspace(0, 1, grid)))
    changed = pd.concat([rows] * len(values), ignore_index=True).astype({feature: float})
    changed[feature] = np.repeat(values, len(rows))
    means = np.asarray(data.model(changed), dtype=float).reshape(len(values), len(rows))
    return [{"value": float(value), "mean_score": float(mean)}
            for value, mean in zip(values, means.mean(axis=1))]


def run(data: AssuranceData, params: dict[str, Any]) -> dict[str, Any]:
    frame = data.features
    size = min(params["sample"], len(frame))
    rows = frame.sample(n=size, random_state=params["seed"]) if size < len(frame) else frame
    values, base, explainer, units = _shap_values(data, rows, params)
    importance = pd.Series(np.abs(values).mean(axis=0), index=rows.columns)
    importance = importance.sort_values(ascending=False)
    scores = data.model(rows)
    local = []
    for position in range(min(params["local_rows"], size)):
        contributions = pd.Series(values[position], index=rows.columns)
        strongest = contributions.abs().sort_values(ascending=False).index[:params["top"]]
        local.append({
            "row": int(rows.index[position]) if np.issubdtype(rows.index.dtype, np.integer)
            else position,
            "score": float(scores[position]), "base_value": base,
            "contributions": {name: float(contributions[name]) for name in strongest},
            "values": {name: float(rows.iloc[position][name]) for name in strongest},
        })
    dependence = {name: partial_dependence(data, rows, name, params["grid"])
                  for name in importance.index[:params["dependence_features"]]}
    return {
        "global_importance": {name: float(v) for name, v in importance.items()},
        "local": local, "partial_dependence": dependence,
        "method": {"explainer": explainer, "sample": size, "units": units,
                   "library": "shap", "library_version": shap.__version__},
    }


def headline(output: dict[str, Any]) -> dict[str, float | None]:
    return dict(list(output["global_importance"].items())[:3])


plugin = AssurancePlugin(
    name="explainability", version="1.0",
    title=Bilingual("Explainability (SHAP)", "可解釋性（SHAP）"),
    input_schema=INPUT, output_schema=OUTPUT, run=run, verdict=lambda output, params: None,
    headline=headline, needs=frozenset({"model", "features"}),
)
