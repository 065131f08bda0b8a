"""Shared traffic test data: a small synthetic journey-time series with real-world mess."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def corridor_like(days: int = 6, step_min: int = 5, seed: int = 0) -> pd.DataFrame:
    """Daily peaks, a few incidents and log-normal noise: enough structure to learn."""
    rng = np.random.default_rng(seed)
    times = pd.date_range("2026-09-28", periods=days * 1440 // step_min, freq=f"{step_min}min")
    hour = np.asarray(times.hour + times.minute / 60)
    weekday = np.asarray(times.day_of_week < 5)
    base = 10 + 9 * np.exp(-((hour - 8.5) ** 2) / 1.5) * weekday + 6 * np.exp(
        -((hour - 18) ** 2) / 2)
    incidents = np.zeros(len(times))
    for start in rng.integers(0, len(times) - 30, days):
        incidents[start:start + 24] += np.linspace(12, 0, 24)
    values = (base + incidents) * rng.lognormal(0, 0.05, len(times))
    return pd.DataFrame({"time": times.strftime("%Y-%m-%d %H:%M:%S"), "minutes": values})


@pytest.fixture(scope="session")
def messy_csv(tmp_path_factory: pytest.TempPathFactory) -> str:
    frame = corridor_like(days=4)
    frame.loc[frame.sample(frac=0.02, random_state=1).index, "minutes"] = -1  # placeholders
    frame = frame.drop(frame.sample(frac=0.03, random_state=2).index)  # gaps
    frame = pd.concat([frame, frame.iloc[100:140]])  # overlapping snapshots
    frame = frame.sample(frac=1.0, random_state=3)  # out of order
    path = tmp_path_factory.mktemp("traffic") / "messy.csv"
    frame.to_csv(path, index=False)
    return str(path)
