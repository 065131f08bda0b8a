"""Hong Kong calendar facts that shape traffic: public holidays behave like Sundays."""

from __future__ import annotations

from functools import lru_cache

import holidays
import numpy as np
import pandas as pd

SUNDAY = 6


@lru_cache(maxsize=64)
def _hong_kong(year: int) -> frozenset:
    return frozenset(holidays.country_holidays("HK", years=year).keys())


def is_holiday(times: pd.DatetimeIndex) -> np.ndarray:
    """True where the date is a Hong Kong general holiday (Sundays excluded)."""
    dates = times.normalize()
    found = np.zeros(len(times), dtype=bool)
    for year in np.unique(times.year):
        days = _hong_kong(int(year))
        found |= (times.year == year) & np.isin(dates.date, list(days))
    return found


def day_type(times: pd.DatetimeIndex) -> np.ndarray:
    """Day of week (Monday 0) with public holidays counted as Sunday."""
    return np.where(is_holiday(times), SUNDAY, times.day_of_week)


def week_slot(times: pd.DatetimeIndex, step_minutes: int) -> np.ndarray:
    """Index of the time-of-week slot (holidays as Sundays) for the historical profile."""
    minute = times.hour * 60 + times.minute
    return day_type(times) * (1440 // step_minutes) + minute // step_minutes
