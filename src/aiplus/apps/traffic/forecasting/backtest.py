"""Backtest one series: learn on the first part, forecast every later origin.

This is what ``aiplus traffic backtest`` runs. Each origin in the test period is forecast
from data up to that origin only; the model itself learns from the training period only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from aiplus.apps.traffic.forecasting.baselines import WeekProfile, seasonal_naive
from aiplus.apps.traffic.forecasting.boosting import Forecaster
from aiplus.apps.traffic.forecasting.metrics import scores
from aiplus.apps.traffic.forecasting.series import CleanSeries, clean, parse_times
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

MAX_HORIZON_MIN = 24 * 60
MIN_ROWS = 50


@dataclass
class Backtest:
    predictions: pd.DataFrame
    """origin_time, horizon_min, predicted, lower, upper, model + the baselines' forecasts."""
    series: CleanSeries
    train_end: pd.Timestamp
    forecaster: Forecaster

    def summary(self) -> dict[str, object]:
        """Masked errors per horizon for the model and each baseline on the test period."""
        truth = self.truth()
        table: dict[str, object] = {}
        for horizon, group in self.predictions.assign(truth=truth).groupby("horizon_min"):
            table[str(horizon)] = {
                name: scores(group["truth"].to_numpy(), group[column].to_numpy())
                for name, column in (("model", "predicted"), ("persistence", "persistence"),
                                     ("historical_average", "historical_average"),
                                     ("seasonal_naive", "seasonal_naive"))}
            served = self.forecaster.models[int(horizon)]
            table[str(horizon)]["served"] = served.kind
            if served.reason:
                table[str(horizon)]["reason"] = served.reason
        return {"step_minutes": self.series.step_minutes, "cleaning": self.series.counts,
                "train_end": self.train_end.isoformat(), "horizons": table}

    def truth(self) -> np.ndarray:
        target = (pd.DatetimeIndex(self.predictions["origin_time"])
                  + pd.to_timedelta(self.predictions["horizon_min"].to_numpy(), unit="min"))
        exact = self.series.raw.reindex(target).to_numpy()
        binned = self.series.grid.reindex(target.ceil(f"{self.series.step_minutes}min"))
        return np.where(np.isfinite(exact), exact, binned.to_numpy())


def check_horizons(horizons: list[int]) -> list[int]:
    if not horizons or any(h <= 0 or h > MAX_HORIZON_MIN for h in horizons):
        raise ValidationFailed(N_("Horizons must be whole minutes between 1 and {most}."),
                               most=MAX_HORIZON_MIN)
    return sorted(set(horizons))


def run(times: pd.Series, values: pd.Series, horizons: list[int], train_frac: float,
        exog: pd.DataFrame | None = None) -> Backtest:
    """Backtest a series given as two columns (times in any common format)."""
    horizons = check_horizons(horizons)
    if not 0.1 <= train_frac <= 0.95:
        raise ValidationFailed(N_("The training share must be between 0.1 and 0.95."))
    series = clean(times, values)
    if len(series.raw) < MIN_ROWS:
        raise ValidationFailed(N_("At least {count} usable rows are needed to backtest."),
                               count=MIN_ROWS)
    step = series.step_minutes
    usable = [h for h in horizons if h % step == 0]
    if len(usable) != len(horizons):
        series = clean(times, values, step_minutes=int(np.gcd.reduce([step, *horizons])))
    train_end = series.raw.index[int(len(series.raw) * train_frac) - 1]
    forecaster = Forecaster(horizons).fit(series, train_end, exog)
    test = series.raw[series.raw.index > train_end]
    if test.empty:
        raise ValidationFailed(N_("No observations are left after the training share."))
    frame = forecaster.predict(pd.DatetimeIndex(test.index), test.to_numpy())
    return Backtest(_with_baselines(frame, series, train_end), series, train_end, forecaster)


def _with_baselines(frame: pd.DataFrame, series: CleanSeries,
                    train_end: pd.Timestamp) -> pd.DataFrame:
    """Add the three baselines' forecasts, each from data up to the origin only."""
    origins = pd.DatetimeIndex(frame["origin_time"])
    target = origins + pd.to_timedelta(frame["horizon_min"].to_numpy(), unit="min")
    profile = WeekProfile(series.grid[series.grid.index <= train_end], series.step_minutes)
    last = series.raw.reindex(origins).to_numpy()
    frame["persistence"] = last
    frame["historical_average"] = profile.at(target)
    frame["seasonal_naive"] = seasonal_naive(series.grid, target, last, series.step_minutes)
    return frame


def run_csv(path: Path, time_col: str, value_col: str, horizons: list[int],
            train_frac: float) -> tuple[Backtest, pd.DataFrame]:
    """Backtest a CSV file; returns the backtest and the rows to write."""
    try:
        table = pd.read_csv(path, usecols=[time_col, value_col], dtype={time_col: str},
                            on_bad_lines="skip")
    except ValueError as problem:
        raise ValidationFailed(N_("The file lacks the columns {columns}: {problem}"),
                               columns=f"{time_col}, {value_col}", problem=str(problem)) from None
    result = run(table[time_col], table[value_col], horizons, train_frac)
    original = _original_stamps(table[time_col])
    rows = result.predictions[["origin_time", "horizon_min", "predicted", "lower", "upper"]].copy()
    rows["origin_time"] = rows["origin_time"].map(original).fillna(
        rows["origin_time"].astype(str))
    return result, rows


def _original_stamps(column: pd.Series) -> dict[pd.Timestamp, str]:
    """The first spelling of each parsed time in the input, to write times back unchanged."""
    parsed = parse_times(column)
    found: dict[pd.Timestamp, str] = {}
    for stamp, text in zip(parsed, column.astype(str), strict=True):
        if pd.notna(stamp) and stamp not in found:
            found[stamp] = text
    return found
