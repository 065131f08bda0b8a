"""The traffic benchmark's verdict and printed rows, on hand-made figures (the full run is
``aiplus bench traffic`` / ``aiplus traffic bench-forecast``, never a unit test)."""

from __future__ import annotations

import pytest

from aiplus.apps.traffic import bench

pytestmark = pytest.mark.nodb


def _signals(ratios: list[float]) -> dict:
    delay = {f"map{i}": {"maxpressure": {"delay_s": 10.0, "vs_fixed_pct": -5.0,
                                         "vs_maxpressure_pct": 0.0},
                         "adaptive": {"delay_s": 10.0 * r, "vs_fixed_pct": -9.0,
                                      "vs_maxpressure_pct": round(100 * (r - 1), 1)}}
             for i, r in enumerate(ratios)}
    return {"delay": delay, "floors": {"adaptive": {
        "no_worse_than_maxpressure_on_any_map": all(r <= 1.0 for r in ratios),
        "better_than_maxpressure_on_maps": sum(r < 1 for r in ratios), "maps": len(ratios)}}}


def test_signals_verdict_needs_no_map_worse_and_most_better() -> None:
    rows, ok = bench._signals_part(_signals([0.9, 0.8, 1.0]))
    assert ok and len(rows) == 6 and rows[1]["figure"] == "delay s map0 adaptive"
    assert not bench._signals_part(_signals([0.9, 1.2, 0.8]))[1]
    assert not bench._signals_part(_signals([0.9, 1.0, 1.0]))[1]
    assert not bench._signals_part({"skipped": "not installed"})[1]
    assert bench._signals_part({"rows": [{"part": "signals"}], "passed": True}) == (
        [{"part": "signals"}], True)


def test_forecast_rows_put_every_baseline_beside_the_model() -> None:
    figures = {"mae": 1.0, "rmse": 2.0, "mape": 3.0, "n": 5}
    table = {name: figures for name in ("model", "persistence", "historical_average",
                                        "seasonal_naive")}
    report = {"forecasting": {"per_horizon": {"60": {**table, "interval_coverage_90": 0.9}}},
              "network_stid": {"per_horizon_mae": {"60": {
                  "stid": 1.0, "persistence": 2.0, "historical_average": 1.5}}}}
    rows = bench.forecast_rows(report)
    assert [row["figure"] for row in rows] == [
        "MAE +60 min", "RMSE +60 min", "MAPE +60 min", "90% interval coverage +60 min",
        "MAE +60 min"]
    assert "seasonal naive 1.000" in rows[0]["baselines"]
    assert "historical average 1.500" in rows[-1]["baselines"]
