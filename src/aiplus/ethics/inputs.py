"""Checks on the predictions an assurance test receives, with errors that name the column.

Every assurance test starts here, so a person who uploads a file with a missing column, blank
cells, a label of 2 or one group only reads which column is wrong, in their language, instead
of a stack trace from deep inside a library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

MAX_GROUPS = 50
"""More groups than this in one sensitive column is almost always an ID or a raw number."""


def as_series(values: Any, name: str) -> pd.Series:
    """One column of values with a name used in error messages."""
    if isinstance(values, pd.Series):
        series = values.reset_index(drop=True)
        return series.rename(series.name if series.name is not None else name)
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValidationFailed(N_("Column {column} must be a single column of values."),
                               column=name)
    return pd.Series(array, name=name)


def no_missing(series: pd.Series) -> pd.Series:
    missing = int(series.isna().sum())
    if missing:
        raise ValidationFailed(
            N_("Column {column} has {count} empty or missing values; fill or remove those rows."),
            column=str(series.name), count=missing)
    return series


def binary(values: Any, name: str) -> np.ndarray:
    """0/1 integers; refuses anything else (2, "yes", 0.5) naming the column and values."""
    series = no_missing(as_series(values, name))
    if series.dtype == bool:
        return series.to_numpy(dtype=np.int64)
    numeric = pd.to_numeric(series, errors="coerce")
    found = set(pd.unique(series[numeric.isna() | ~numeric.isin([0, 1])]).tolist())
    if found:
        shown = ", ".join(sorted(map(str, found))[:5])
        raise ValidationFailed(
            N_("Column {column} must hold only 0 and 1 (binary outcomes); it also holds: "
               "{values}."), column=str(series.name), values=shown)
    return numeric.to_numpy(dtype=np.int64)


def scores(values: Any, name: str) -> np.ndarray:
    """Probability-like scores in [0, 1]."""
    series = no_missing(as_series(values, name))
    numeric = pd.to_numeric(series, errors="coerce")
    if numeric.isna().any() or (numeric < 0).any() or (numeric > 1).any():
        raise ValidationFailed(N_("Column {column} must hold scores between 0 and 1."),
                               column=str(series.name))
    return numeric.to_numpy(dtype=np.float64)


def sensitive_frame(sensitive: Any, expected_rows: int) -> pd.DataFrame:
    """The sensitive features as text columns (groups), each with two to 50 groups."""
    if isinstance(sensitive, pd.Series):
        frame = sensitive.reset_index(drop=True).to_frame(name=sensitive.name or "group")
    elif isinstance(sensitive, pd.DataFrame):
        frame = sensitive.reset_index(drop=True)
    elif isinstance(sensitive, Mapping):
        frame = pd.DataFrame({str(k): list(v) for k, v in sensitive.items()})
    else:
        frame = pd.DataFrame({"group": list(sensitive)})
    if frame.shape[1] == 0:
        raise ValidationFailed(N_("Name at least one sensitive column, such as SEX."))
    out = {}
    for column in frame.columns:
        series = no_missing(frame[column].rename(str(column)))
        same_length(series, expected_rows)
        groups = series.astype(str)
        count = groups.nunique()
        if count < 2:
            raise ValidationFailed(
                N_("Column {column} has only one group ({group}); fairness needs at least two."),
                column=str(column), group=str(groups.iloc[0]) if len(groups) else "")
        if count > MAX_GROUPS:
            raise ValidationFailed(
                N_("Column {column} has {count} groups; group values first (for example age "
                   "bands) so that it has at most {limit}."),
                column=str(column), count=count, limit=MAX_GROUPS)
        out[str(column)] = groups
    return pd.DataFrame(out)


def same_length(series: pd.Series, expected: int) -> None:
    if len(series) != expected:
        raise ValidationFailed(
            N_("Column {column} has {got} rows but the labels have {expected}."),
            column=str(series.name), got=len(series), expected=expected)


def require_columns(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    """Refuse a table that lacks a named column, listing the columns it does have."""
    for column in columns:
        if column not in frame.columns:
            shown = ", ".join(map(str, list(frame.columns)[:30]))
            raise ValidationFailed(
                N_("The file has no column {column}. Its columns are: {columns}."),
                column=column, columns=shown)
