"""Robustness: how much scores move under small noise and when a feature goes missing.

Perturbation adds Gaussian noise of a stated share of each continuous column's standard
deviation (columns with more than ``min_distinct`` values: noise on coded columns such as a
repayment status of -1/0/1 would test impossible inputs) and counts decisions that flip;
missing-value sensitivity blanks one column at a time and measures the mean change of score
and the loss of AUC. A model that cannot take a blank value
at all is reported as such rather than failing the run.

Both run on a seeded sample of rows stratified by the label (5,000 by default), with Wilson
intervals for the flip rates and normal intervals for the mean score change, so the output says
how precise each figure is. Scoring is the whole cost, so the perturbed copies of the sample are
scored together in two or three large model calls rather than one call per noise level and
column (24 calls on the credit model, each paying the model's thread start-up and, on a busy
machine, waits for its threads).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.metrics import roc_auc_score

from aiplus.core.i18n import Bilingual
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin, ScoringModel

BATCH_ROWS = 200_000
"""Most rows scored in one model call: bounds memory when the sample is large."""
INTERVAL = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
INPUT = {
    "type": "object",
    "properties": {
        "sample": {"type": "integer", "minimum": 50, "maximum": 50000, "default": 5000},
        "noise": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0,
                                             "maximum": 2}, "default": [0.01, 0.05, 0.1]},
        "max_flip_rate": {"type": "number", "minimum": 0, "maximum": 1, "default": 0.05},
        "min_distinct": {"type": "integer", "minimum": 1, "default": 20},
        "confidence": {"type": "number", "minimum": 0.5, "exclusiveMaximum": 1, "default": 0.95},
        "seed": {"type": "integer", "default": 0},
    },
    "additionalProperties": False,
}
OUTPUT = {
    "type": "object",
    "required": ["perturbation", "missing", "method"],
    "properties": {
        "perturbation": {"type": "array", "items": {"type": "object", "required": [
            "noise", "flip_rate", "flip_rate_interval", "mean_abs_score_change",
            "mean_abs_score_change_interval", "auc"],
            "properties": {"flip_rate_interval": INTERVAL,
                           "mean_abs_score_change_interval": INTERVAL}}},
        "missing": {"type": "object", "additionalProperties": {"type": "object"}},
        "method": {"type": "object", "required": ["sample", "rows", "stratified_by",
                                                  "confidence"]},
    },
}


def _auc(y: np.ndarray, score: np.ndarray) -> float | None:
    return float(roc_auc_score(y, score)) if len(set(y.tolist())) == 2 else None


def stratified_sample(y: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted row positions of a seeded sample keeping each label's share of the rows, so a
    5,000-row sample has the same default rate (and AUC is defined) as the whole set."""
    if size >= len(y):
        return np.arange(len(y))
    labels, counts = np.unique(y, return_counts=True)
    takes = np.maximum(1, np.round(counts * size / len(y)).astype(int))
    return np.sort(np.concatenate([
        rng.choice(np.flatnonzero(y == label), size=min(take, count), replace=False)
        for label, take, count in zip(labels, takes, counts)]))


def wilson(share: float, n: int, z: float) -> list[float]:
    """Wilson score interval of a proportion: unlike the normal one it stays inside [0, 1]
    and is not zero-width when no decision flipped."""
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [float(max(0.0, centre - half)), float(min(1.0, centre + half))]


def _changes(score: np.ndarray, base: np.ndarray, threshold: float, z: float
             ) -> dict[str, Any]:
    """Flip rate and mean absolute score change of one perturbed copy, with intervals."""
    change = np.abs(score - base)
    flip = float(np.mean((score >= threshold) != (base >= threshold)))
    half = z * float(change.std(ddof=1)) / np.sqrt(len(change)) if len(change) > 1 else 0.0
    mean = float(change.mean())
    return {"flip_rate": flip, "flip_rate_interval": wilson(flip, len(score), z),
            "mean_abs_score_change": mean,
            "mean_abs_score_change_interval": [max(0.0, mean - half), mean + half]}


def score_copies(model: ScoringModel, copies: Sequence[pd.DataFrame]) -> list[np.ndarray]:
    """Scores of equally long frames, in as few model calls as ``BATCH_ROWS`` allows."""
    size = len(copies[0])
    per_call = max(1, BATCH_ROWS // max(1, size))
    scores: list[np.ndarray] = []
    for start in range(0, len(copies), per_call):
        chunk = copies[start:start + per_call]
        joined = np.asarray(model(pd.concat(chunk, ignore_index=True)), dtype=float)
        scores += np.split(joined, len(chunk))
    return scores


def _noisy_copies(rows: pd.DataFrame, numeric: list[str], levels: Sequence[float],
                  rng: np.random.Generator) -> list[pd.DataFrame]:
    spread = rows[numeric].std(ddof=0).replace(0, 1.0).to_numpy()
    clean = rows[numeric].to_numpy(dtype=float)  # float: no integer truncation of the noise
    noise = rng.normal(size=(len(levels), *clean.shape)) * spread
    copies = []
    for shifted in clean + noise * np.reshape(levels, (-1, 1, 1)):
        copy = rows.astype({column: float for column in numeric})
        copy[numeric] = shifted
        copies.append(copy)
    return copies


def _blank(rows: pd.DataFrame, column: Any) -> pd.DataFrame:
    copy = rows.copy()
    copy[column] = np.nan
    return copy


def _missing_scores(model: ScoringModel, rows: pd.DataFrame
                    ) -> dict[str, np.ndarray | ValueError]:
    """Each column blanked in turn: its scores, or the model's refusal of blank values."""
    blanked = [_blank(rows, column) for column in rows.columns]
    try:
        return dict(zip(rows.columns, score_copies(model, blanked)))
    except ValueError:  # some column refused: find which, one at a time
        found: dict[str, np.ndarray | ValueError] = {}
        for column, frame in zip(rows.columns, blanked):
            try:
                found[column] = np.asarray(model(frame), dtype=float)
            except ValueError as refused:  # e.g. scikit-learn estimators without NaN support
                found[column] = refused
        return found


def run(data: AssuranceData, params: dict[str, Any]) -> dict[str, Any]:
    rng = np.random.default_rng(params["seed"])
    chosen = stratified_sample(data.y_true, params["sample"], rng)
    rows = data.features.iloc[chosen].reset_index(drop=True)
    y = data.y_true[chosen]
    z = float(norm.ppf(0.5 + params["confidence"] / 2))
    base = np.asarray(data.model(rows), dtype=float)
    numeric = [c for c in rows.columns if pd.api.types.is_numeric_dtype(rows[c])
               and rows[c].nunique() > params["min_distinct"]]
    noisy = score_copies(data.model, _noisy_copies(rows, numeric, params["noise"], rng))
    perturbation = [{"noise": float(level), **_changes(score, base, data.threshold, z),
                     "auc": _auc(y, score)} for level, score in zip(params["noise"], noisy)]
    missing: dict[str, dict[str, Any]] = {}
    base_auc = _auc(y, base)
    for column, score in _missing_scores(data.model, rows).items():
        if isinstance(score, ValueError):
            missing[column] = {"supported": False, "error": str(score)[:200]}
            continue
        auc = _auc(y, score)
        missing[column] = {
            "supported": True, **_changes(score, base, data.threshold, z),
            "auc_drop": None if auc is None or base_auc is None else base_auc - auc,
        }
    return {"perturbation": perturbation, "missing": missing,
            "method": {"sample": len(chosen), "rows": len(data.features),
                       "stratified_by": "label", "confidence": params["confidence"],
                       "seed": params["seed"], "base_auc": base_auc,
                       "threshold": data.threshold, "perturbed_columns": numeric}}


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
    name="robustness", version="1.1",
    title=Bilingual("Robustness to noise and missing values", "對雜訊及缺失值的穩健性"),
    input_schema=INPUT, output_schema=OUTPUT, run=run, verdict=verdict, headline=headline,
    needs=frozenset({"model", "features"}),
)
