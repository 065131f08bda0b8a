"""Gradient boosting per horizon, with its own safety net and conformal intervals.

One LightGBM model per horizon predicts the change from the current level with an L1
objective (the conditional median, which is what minimises absolute error and shrugs off
heavy tails). The last part of the training period is held out, chronologically, to stop
boosting early, to check the model against persistence and the historical average (when it
does not beat the better of them there, that baseline is served instead, with the reason),
and to calibrate conformal intervals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
import pandas as pd

from aiplus.apps.traffic.forecasting.conformal import ConformalBand
from aiplus.apps.traffic.forecasting.features import (
    base_features,
    causal_profile,
    from_model_space,
    horizon_features,
    level_of,
    relative_columns,
    to_model_space,
)
from aiplus.apps.traffic.forecasting.series import CleanSeries
from aiplus.core.i18n import N_

VALIDATION_SHARE = 0.2
MIN_TRAIN_ROWS = 200
PARAMS = {"objective": "l1", "learning_rate": 0.05, "num_leaves": 31, "min_child_samples": 30,
          "subsample": 0.8, "subsample_freq": 1, "colsample_bytree": 0.8, "reg_lambda": 1.0,
          "verbose": -1, "num_threads": 1, "seed": 7}
"""One thread: a series has thousands of rows, where OpenMP's per-round synchronisation costs
more than it saves (several-fold on a busy machine); callers parallelise over routes."""
ROUNDS = 400


@dataclass
class HorizonModel:
    horizon_min: int
    kind: str
    """``lightgbm``, ``persistence`` or ``historical_average``."""
    booster: lgb.Booster | None
    band: ConformalBand
    reason: str = ""
    validation: dict[str, float] = field(default_factory=dict)


class Forecaster:
    """Fits on a training period of one series; predicts from any later origin."""

    def __init__(self, horizons: list[int], coverage: float = 0.9) -> None:
        self.horizons = sorted(horizons)
        self.coverage = coverage
        self.models: dict[int, HorizonModel] = {}

    def fit(self, series: CleanSeries, train_end: pd.Timestamp,
            exog: pd.DataFrame | None = None) -> Forecaster:
        self.series, self.exog, self.step = series, exog, series.step_minutes
        self.z = pd.Series(to_model_space(series.grid, series.positive), index=series.grid.index)
        self.profile = causal_profile(self.z, self.step)
        self.level, _ = level_of(self.z)
        self.base = base_features(self.z, self.step, exog)
        for horizon in self.horizons:
            self.models[horizon] = self._fit_horizon(horizon, train_end)
        return self

    def _rows(self, horizon: int, train_end: pd.Timestamp) -> tuple[pd.DataFrame, np.ndarray]:
        frame = horizon_features(self.base, self.z, self.level, self.profile, horizon, self.step)
        target = self.z.shift(-(horizon // self.step)) - self.level
        keep = ((frame.index + pd.Timedelta(minutes=horizon) <= train_end)
                & target.notna().to_numpy() & self.z.notna().to_numpy())
        return frame[keep], target[keep].to_numpy()

    def _fit_horizon(self, horizon: int, train_end: pd.Timestamp) -> HorizonModel:
        frame, target = self._rows(horizon, train_end)
        if len(frame) < MIN_TRAIN_ROWS:
            return HorizonModel(horizon, "persistence", None, ConformalBand.fit(
                np.abs(target) if len(target) else np.array([0.0]), self.coverage),
                reason=N_("too little history to learn from: the last observed value is served"))
        cut = int(len(frame) * (1 - VALIDATION_SHARE))
        fitting = lgb.train(PARAMS, lgb.Dataset(frame.iloc[:cut], target[:cut]), ROUNDS,
                            valid_sets=[lgb.Dataset(frame.iloc[cut:], target[cut:])],
                            callbacks=[lgb.early_stopping(40, verbose=False)])
        held = frame.iloc[cut:]
        truth = target[cut:]
        # each candidate is scored exactly as predict() would serve it: a missing
        # historical average falls back to no change, so all three see the same rows
        guesses = {"lightgbm": fitting.predict(held, num_iteration=fitting.best_iteration),
                   "persistence": np.zeros(len(held)),
                   "historical_average": np.nan_to_num(held["ha_target"].to_numpy())}
        errors = {name: float(np.mean(np.abs(truth - guess)))
                  for name, guess in guesses.items()}
        best = min(errors, key=lambda name: errors[name] if np.isfinite(errors[name])
                   else np.inf)
        band = ConformalBand.fit(np.abs(truth - guesses[best]), self.coverage)
        if best != "lightgbm":
            return HorizonModel(horizon, best, None, band, validation=errors, reason=(
                f"the learned model did not beat {best.replace('_', ' ')} on the most recent "
                "training weeks, so that baseline is served"))
        rounds = max(20, int((fitting.best_iteration or ROUNDS) / (1 - VALIDATION_SHARE)))
        booster = lgb.train(PARAMS, lgb.Dataset(frame, target), rounds)
        return HorizonModel(horizon, "lightgbm", booster, band, validation=errors)

    def predict(self, origins: pd.DatetimeIndex, last_values: np.ndarray) -> pd.DataFrame:
        """Forecasts from raw origins, each with its own latest observed value.

        An origin between grid points uses the grid row just before it (complete bins
        only) re-anchored to the origin's own value, so nothing after the origin is used.
        """
        anchor = origins.floor(f"{self.step}min")
        own_level = to_model_space(last_values, self.series.positive)
        rows = []
        for horizon, model in self.models.items():
            frame = horizon_features(self.base, self.z, self.level, self.profile, horizon,
                                     self.step).reindex(anchor)
            shift = frame.index.map(self.level.get).to_numpy(dtype=float) - own_level
            shift = np.where(np.isfinite(shift), shift, 0.0)
            for name in relative_columns(frame):
                frame[name] = frame[name].to_numpy() + shift
            if model.kind == "lightgbm":
                change = model.booster.predict(frame)
            elif model.kind == "historical_average":
                change = frame["ha_target"].to_numpy()
            else:
                change = np.zeros(len(frame))
            change = np.where(np.isfinite(change), change, 0.0)
            centre = own_level + change
            lower, upper = model.band.interval(centre)
            rows.append(pd.DataFrame({
                "origin_time": origins, "horizon_min": horizon,
                "predicted": from_model_space(centre, self.series.positive),
                "lower": from_model_space(lower, self.series.positive),
                "upper": from_model_space(upper, self.series.positive),
                "model": model.kind}))
        return pd.concat(rows, ignore_index=True)
