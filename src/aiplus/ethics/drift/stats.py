"""Distribution drift between reference and recent data, column by column.

The choice of test follows Evidently's defaults: with at most 1,000 rows on either side, the
two-sample Kolmogorov-Smirnov test (numeric) or chi-squared (categorical) at p < 0.05; beyond
that, where any p-value becomes "significant", an effect size: the Wasserstein distance in
units of the reference's standard deviation (numeric) or the Jensen-Shannon distance
(categorical), drifted above 0.1. The data set drifts when the share of drifted columns
reaches a threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp, wasserstein_distance

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.ethics import inputs

SMALL = 1000
P_VALUE = 0.05
DISTANCE = 0.1
MAX_CATEGORIES = 20
"""A numeric column with at most this many values is compared as categories."""


def is_categorical(reference: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(reference) or reference.nunique() <= MAX_CATEGORIES


def _frequencies(reference: pd.Series, recent: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    categories = sorted(set(reference.astype(str)) | set(recent.astype(str)))
    ref = reference.astype(str).value_counts().reindex(categories, fill_value=0).to_numpy()
    cur = recent.astype(str).value_counts().reindex(categories, fill_value=0).to_numpy()
    return ref, cur


def column_drift(reference: pd.Series, recent: pd.Series) -> dict[str, Any]:
    """One column's test, statistic, threshold and verdict."""
    reference, recent = reference.dropna(), recent.dropna()
    small = len(reference) <= SMALL and len(recent) <= SMALL
    categorical = is_categorical(reference)
    if categorical and small:
        ref, cur = _frequencies(reference, recent)
        keep = (ref + cur) > 0
        if keep.sum() < 2:
            value = 1.0
        else:
            value = float(chi2_contingency(np.vstack([ref[keep], cur[keep]]))[1])
        return {"test": "chi-squared", "kind": "categorical", "p_value": value,
                "threshold": P_VALUE, "drifted": value < P_VALUE}
    if categorical:
        ref, cur = _frequencies(reference, recent)
        value = float(jensenshannon(ref / ref.sum(), cur / cur.sum(), base=2))
        return {"test": "jensen-shannon", "kind": "categorical", "distance": value,
                "threshold": DISTANCE, "drifted": value > DISTANCE}
    if small:
        value = float(ks_2samp(reference, recent).pvalue)
        return {"test": "kolmogorov-smirnov", "kind": "numeric", "p_value": value,
                "threshold": P_VALUE, "drifted": value < P_VALUE}
    spread = float(reference.std(ddof=0)) or 1.0
    value = float(wasserstein_distance(reference, recent)) / spread
    return {"test": "wasserstein-normed", "kind": "numeric", "distance": value,
            "threshold": DISTANCE, "drifted": value > DISTANCE}


def drift_report(reference: pd.DataFrame, recent: pd.DataFrame, columns: list[str],
                 prediction_column: str | None = None, threshold: float = 0.5
                 ) -> dict[str, Any]:
    """Per-column drift, prediction drift, and whether the data set as a whole drifted."""
    wanted = [*columns, *([prediction_column] if prediction_column else [])]
    inputs.require_columns(reference, wanted)
    inputs.require_columns(recent, wanted)
    if reference.empty or recent.empty:
        raise ValidationFailed(N_("Reference and recent data need rows."))
    per_column = {c: column_drift(reference[c], recent[c]) for c in columns}
    drifted = [c for c, r in per_column.items() if r["drifted"]]
    share = len(drifted) / len(columns) if columns else 0.0
    prediction = (column_drift(reference[prediction_column], recent[prediction_column])
                  if prediction_column else None)
    return {
        "columns": per_column, "drifted_columns": drifted, "share_drifted": share,
        "prediction": prediction, "threshold": threshold,
        "dataset_drift": share >= threshold or bool(prediction and prediction["drifted"]),
        "rows": {"reference": len(reference), "recent": len(recent)},
    }
