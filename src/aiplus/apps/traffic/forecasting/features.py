"""Causal features for forecasting a series ``h`` minutes ahead of an origin.

Every feature at grid time ``g`` uses values at or before ``g`` only (shifts and trailing
windows), plus facts known in advance about the target time (its time of week, whether it is
a public holiday) and the same time last week or yesterday, which are in the past for every
horizon up to a day. Values are expressed relative to the current level (in log space for
positive series), so one model serves short and long routes and heavy tails are tamed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aiplus.apps.traffic.forecasting.calendar import day_type, is_holiday

LAG_MINUTES = (5, 10, 15, 30, 45, 60, 90, 120, 180)
WINDOW_MINUTES = (15, 30, 60, 180)


def to_model_space(values: pd.Series | np.ndarray, positive: bool) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return np.log(array) if positive else array


def from_model_space(values: np.ndarray, positive: bool) -> np.ndarray:
    return np.exp(values) if positive else values


def level_of(z: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The last known value at each grid time and how many steps old it is."""
    level = z.ffill()
    seen = pd.Series(np.where(z.notna(), np.arange(len(z)), np.nan), index=z.index).ffill()
    age = pd.Series(np.arange(len(z)), index=z.index) - seen
    return level, age


def base_features(z: pd.Series, step: int, exog: pd.DataFrame | None) -> pd.DataFrame:
    """Horizon-independent features on the grid, relative to the current level."""
    level, age = level_of(z)
    columns: dict[str, pd.Series] = {"age_steps": age}
    for minutes in LAG_MINUTES:
        if minutes % step == 0:
            columns[f"lag_{minutes}"] = z.shift(minutes // step) - level
    for minutes in WINDOW_MINUTES:
        window = max(1, minutes // step)
        rolling = z.rolling(window, min_periods=1)
        columns[f"mean_{minutes}"] = rolling.mean() - level
        if window > 2:
            columns[f"std_{minutes}"] = rolling.std()
            columns[f"max_{minutes}"] = rolling.max() - level
    columns["missing_60"] = z.isna().rolling(max(1, 60 // step), min_periods=1).mean()
    columns["week_ago_now"] = z.shift(7 * 1440 // step) - level
    columns["origin_minute"] = pd.Series(z.index.hour * 60 + z.index.minute, index=z.index)
    if exog is not None:
        aligned = exog.reindex(exog.index.union(z.index)).ffill().reindex(z.index)
        for name in aligned.columns:
            columns[f"x_{name}"] = aligned[name]
            columns[f"x_{name}_d30"] = aligned[name] - aligned[name].shift(max(1, 30 // step))
    return pd.DataFrame(columns, index=z.index)


def causal_profile(z: pd.Series, step: int) -> pd.Series:
    """At each grid time, the average of earlier values at the same time of week (else the
    same time of day): a historical average that never includes the value it describes.

    A profile fitted once on the training period would contain each training target itself
    and teach the model to copy it; this one is honest for every row.
    """
    minute = np.asarray((z.index.hour * 60 + z.index.minute) // step)
    week = np.asarray(z.index.day_of_week) * (1440 // step) + minute

    def earlier(keys: np.ndarray) -> pd.Series:
        return (z.fillna(0.0).groupby(keys).cumsum().groupby(keys).shift(1)
                / z.notna().astype(float).groupby(keys).cumsum().groupby(keys).shift(1))

    return earlier(week).fillna(earlier(minute))


RELATIVE = ("lag_", "mean_", "max_", "week_ago_now", "ha_", "week_ago_target", "day_ago_target")


def horizon_features(base: pd.DataFrame, z: pd.Series, level: pd.Series,
                     profile: pd.Series, horizon_min: int, step: int) -> pd.DataFrame:
    """Add what is known about the target time ``g + h`` to the base features."""
    k = horizon_min // step
    target = base.index + pd.Timedelta(minutes=horizon_min)
    frame = base.copy()
    frame["target_minute"] = target.hour * 60 + target.minute
    frame["target_day"] = day_type(target)
    frame["target_holiday"] = is_holiday(target).astype(float)
    frame["ha_target"] = profile.shift(-k).to_numpy() - level.to_numpy()
    frame["ha_origin"] = profile.to_numpy() - level.to_numpy()
    frame["week_ago_target"] = z.shift(7 * 1440 // step - k).to_numpy() - level.to_numpy()
    frame["day_ago_target"] = z.shift(1440 // step - k).to_numpy() - level.to_numpy()
    return frame


def relative_columns(frame: pd.DataFrame) -> list[str]:
    """Columns expressed relative to the level (to re-anchor them at an off-grid origin)."""
    return [name for name in frame.columns if name.startswith(RELATIVE)]
