"""Turn an irregular, messy observation log into a clean regular series.

Real feeds repeat snapshots, arrive out of order, skip minutes and carry placeholder or
absurd values. Everything downstream assumes one value per regular step, with gaps left as
NaN (never invented), so cleaning happens once here and reports what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

TIMEZONE = "Asia/Hong_Kong"
GRID_MINUTES = (1, 3, 5, 15)
"""Grid steps that divide 15 minutes, so every standard horizon falls on the grid."""
SPIKE_FACTOR = 20.0
"""A value this many times above or below the series median is treated as a sensor error."""


@dataclass
class CleanSeries:
    """A cleaned series: raw (deduplicated) observations and the same on a regular grid."""

    raw: pd.Series
    grid: pd.Series
    step_minutes: int
    positive: bool
    counts: dict[str, int] = field(default_factory=dict)


def parse_times(values: pd.Series) -> pd.Series:
    """Timestamps as naive Hong Kong local time; unparseable ones become NaT.

    Local time matters because demand follows the local clock (peaks, holidays).
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values
    numeric = pd.to_numeric(values, errors="coerce")
    if numeric.notna().mean() > 0.99:
        unit = "ms" if float(numeric.abs().median()) > 1e11 else "s"
        epoch = pd.to_datetime(numeric, unit=unit, utc=True, errors="coerce")
        return epoch.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    values = values.astype(str).str.strip()
    has_zone = values.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    zoned = pd.to_datetime(values.where(has_zone), errors="coerce", utc=True, format="mixed")
    local = zoned.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    naive_local = pd.to_datetime(values.where(~has_zone), errors="coerce", format="mixed")
    return local.where(has_zone, naive_local)


def grid_step(times: pd.DatetimeIndex) -> int:
    """The grid step in minutes: the smallest step dividing 15 minutes that is at least the
    feed's typical spacing, so that most bins hold an observation."""
    if len(times) < 3:
        return 5
    seconds = np.asarray(times.values.astype("datetime64[s]").astype(np.int64))
    spacing = np.diff(seconds) / 60
    spacing = spacing[spacing > 0]
    typical = float(np.median(spacing)) if len(spacing) else 5.0
    if typical > 15:
        return round(typical)
    covering = [step for step in GRID_MINUTES if step >= typical - 1e-9]
    return covering[0]


def clean(times: pd.Series, values: pd.Series, step_minutes: int | None = None) -> CleanSeries:
    """Deduplicate, order, drop unusable records and place the series on a regular grid.

    Grid bins are closed on the right and labelled by their end, so the value at grid time
    ``g`` uses only observations at or before ``g`` (no look-ahead inside a bin).
    """
    counts = {"records": len(values), "placeholders": 0, "outliers": 0}
    stamp = parse_times(times.reset_index(drop=True))
    number = pd.to_numeric(values.reset_index(drop=True), errors="coerce")
    usable = stamp.notna() & number.notna() & np.isfinite(number)
    counts["unparseable"] = int((~usable).sum())
    frame = pd.DataFrame({"t": stamp[usable], "v": number[usable].astype(float)})
    if frame.empty:
        raise ValidationFailed(N_("The series has no usable rows (time and number)."))
    positive = bool((frame["v"] > 0).mean() >= 0.95)
    if positive:
        placeholder = frame["v"] <= 0
        counts["placeholders"] = int(placeholder.sum())
        frame = frame[~placeholder]
        middle = float(frame["v"].median())
        spike = (frame["v"] > middle * SPIKE_FACTOR) | (frame["v"] < middle / SPIKE_FACTOR)
        counts["outliers"] = int(spike.sum())
        frame = frame[~spike]
    counts["duplicates"] = int(frame["t"].duplicated().sum())
    counts["out_of_order"] = int((frame["t"].diff().dt.total_seconds() < 0).sum())
    raw = frame.groupby("t")["v"].mean().sort_index()
    step = step_minutes or grid_step(raw.index)
    grid = raw.resample(f"{step}min", closed="right", label="right").mean()
    counts["gaps"] = int(grid.isna().sum())
    return CleanSeries(raw=raw, grid=grid, step_minutes=step, positive=positive, counts=counts)
