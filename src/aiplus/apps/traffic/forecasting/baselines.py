"""The baselines every forecast is compared with, computed from the past only.

Persistence (the last observed value) is the hard baseline on real, heavy-tailed travel
times at short horizons; the historical average by time of week is the one to beat at long
horizons; seasonal naive (same time last week) sits between them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aiplus.apps.traffic.forecasting.calendar import week_slot


class WeekProfile:
    """Historical average by time-of-week slot, fitted on a training period only.

    Slots never seen fall back to the average at that time of day, then to the overall
    average, so a short history still gives an answer.
    """

    def __init__(self, grid: pd.Series, step_minutes: int) -> None:
        self.step = step_minutes
        known = grid.dropna()
        self.overall = float(known.mean()) if len(known) else float("nan")
        slots = week_slot(known.index, step_minutes)
        self.by_week = pd.Series(known.values).groupby(slots).mean()
        minute = (known.index.hour * 60 + known.index.minute) // step_minutes
        self.by_day = pd.Series(known.values).groupby(np.asarray(minute)).mean()

    def at(self, times: pd.DatetimeIndex) -> np.ndarray:
        snapped = times.ceil(f"{self.step}min")
        week = self.by_week.reindex(week_slot(snapped, self.step)).to_numpy()
        minute = (snapped.hour * 60 + snapped.minute) // self.step
        day = self.by_day.reindex(np.asarray(minute)).to_numpy()
        return np.where(np.isfinite(week), week, np.where(np.isfinite(day), day, self.overall))


def value_at(grid: pd.Series, times: pd.DatetimeIndex, step_minutes: int) -> np.ndarray:
    """Values of the grid bins holding the given times (NaN where the grid has none)."""
    return grid.reindex(times.ceil(f"{step_minutes}min")).to_numpy()


def seasonal_naive(grid: pd.Series, targets: pd.DatetimeIndex, fallback: np.ndarray,
                   step_minutes: int) -> np.ndarray:
    """Value one week before each target time, else one day before, else ``fallback``."""
    week = value_at(grid, targets - pd.Timedelta(days=7), step_minutes)
    day = value_at(grid, targets - pd.Timedelta(days=1), step_minutes)
    return np.where(np.isfinite(week), week, np.where(np.isfinite(day), day, fallback))
