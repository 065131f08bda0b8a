"""STID, conformal bands and the simulated corridor's building blocks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import numpy as np
import pandas as pd
import pytest

from aiplus.apps.traffic.forecasting.conformal import ConformalBand
from aiplus.apps.traffic.forecasting.metrics import scores
from aiplus.apps.traffic.forecasting.stid import StidForecaster
from aiplus.apps.traffic.simulation import run as simulation
from aiplus.apps.traffic.simulation.scenario import plan
from tests.apps.traffic.conftest import corridor_like

pytestmark = pytest.mark.nodb


def test_stid_learns_a_network_forecast_better_than_the_mean() -> None:
    frame = corridor_like(days=3, step_min=15)
    minutes = frame.set_index(pd.to_datetime(frame["time"]))["minutes"]
    grid = pd.DataFrame({"a": minutes, "b": minutes * 1.5})
    model = StidForecaster([1, 4], epochs=3).fit(grid, grid.index[200])
    origins = np.arange(210, 280)
    predicted = model.predict(grid, origins)
    assert predicted.shape == (70, 2, 2)
    truth = grid.to_numpy()[origins + 1]
    assert np.mean(np.abs(predicted[:, 0, :] - truth)) < np.mean(np.abs(truth - truth.mean()))


def test_conformal_band_covers_the_stated_share() -> None:
    errors = np.abs(np.random.default_rng(0).normal(size=1000))
    band = ConformalBand.fit(errors, 0.9)
    assert np.mean(errors <= band.half_width) == pytest.approx(0.9, abs=0.01)
    assert ConformalBand.fit(np.array([]), 0.9).half_width == float("inf")


def test_masked_metrics_ignore_gaps_and_zeros() -> None:
    figures = scores(np.array([10.0, 0.0, np.nan, 20.0]), np.array([11.0, 5.0, 3.0, 18.0]))
    assert figures == {"mae": 1.5, "rmse": pytest.approx(np.sqrt(2.5)), "mape": 10.0, "n": 2}


def test_a_simulated_day_has_peaks_rain_and_valid_sumo_input(tmp_path) -> None:
    monday, holiday = plan(date(2026, 9, 28), 7), plan(date(2026, 10, 1), 7)
    assert holiday.kind == 6 and monday.kind == 0
    assert monday.through_rate(8.6, True) > 2 * monday.through_rate(3, True)
    assert monday.through_rate(8.6, True) > holiday.through_rate(8.6, True)
    routes = ET.fromstring(simulation._routes_xml(monday))
    departures = [float(e.get("begin") or e.get("depart")) for e in routes
                  if e.tag in ("flow", "vehicle")]
    assert departures == sorted(departures) and len(departures) > 1000
    ET.fromstring(simulation._additional_xml(monday, tmp_path))
