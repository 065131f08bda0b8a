"""``aiplus bench traffic``: forecasting errors per horizon beside persistence, historical
average and seasonal naive measured in the same run, STID network-wide, conformal coverage,
and the adaptive-signal figures from the signals half when it is installed."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from aiplus.platform.registry import Benchmark

HORIZONS = [15, 30, 45, 60, 75, 90]
TRAIN_FRAC = 0.7
FLOOR_HA, FLOOR_PERSISTENCE = 0.8, 0.95


def _exogenous(data: Any) -> pd.DataFrame:
    """Rain and detector-site speeds, the inputs a forecaster may use besides the route."""
    frame = data.detector_speeds().add_prefix("speed_")
    frame["rain"] = data.rainfall.reindex(frame.index)
    return frame


def forecasting(data: Any, routes: list[str] | None = None) -> dict[str, Any]:
    """Backtest every route; errors per horizon averaged over routes (same origins)."""
    from aiplus.apps.traffic.forecasting.backtest import run

    exog = _exogenous(data)
    per_route, pooled = {}, []
    for route in routes or list(data.journey_minutes.columns):
        series = data.journey_minutes[route]
        result = run(pd.Series(series.index), pd.Series(series.to_numpy()), HORIZONS, TRAIN_FRAC,
                     exog=exog)
        frame = result.predictions.assign(truth=result.truth(), route=route)
        pooled.append(frame)
        per_route[route] = {h: v["served"] for h, v in result.summary()["horizons"].items()}
    frame = pd.concat(pooled, ignore_index=True)
    table = {}
    for horizon, group in frame.groupby("horizon_min"):
        keep = np.isfinite(group["truth"])
        group = group[keep]
        mae = {name: float(np.mean(np.abs(group["truth"] - group[column])))
               for name, column in (("model", "predicted"), ("persistence", "persistence"),
                                    ("historical_average", "historical_average"),
                                    ("seasonal_naive", "seasonal_naive"))}
        rmse = float(np.sqrt(np.mean((group["truth"] - group["predicted"]) ** 2)))
        mape = float(np.mean(np.abs(group["truth"] - group["predicted"]) / group["truth"]) * 100)
        inside = (group["truth"] >= group["lower"]) & (group["truth"] <= group["upper"])
        table[str(horizon)] = {"mae": mae, "model_rmse": rmse, "model_mape": mape,
                               "interval_coverage_90": float(inside.mean()), "n": len(group)}
    at60 = table["60"]["mae"]
    return {"per_horizon": table, "served_models": per_route, "floor_60min": {
        "vs_historical_average": at60["model"] / at60["historical_average"],
        "vs_persistence": at60["model"] / at60["persistence"],
        "met": at60["model"] <= FLOOR_HA * at60["historical_average"]
        and at60["model"] <= FLOOR_PERSISTENCE * at60["persistence"]}}


def network(data: Any, epochs: int) -> dict[str, Any]:
    """STID on all routes at a 5-minute grid, beside persistence on the same origins."""
    from aiplus.apps.traffic.forecasting.stid import INPUT_STEPS, StidForecaster

    grid = data.journey_minutes.resample("5min", closed="right", label="right").mean()
    steps = [h // 5 for h in HORIZONS]
    train_end = grid.index[int(len(grid) * TRAIN_FRAC)]
    started = time.perf_counter()
    model = StidForecaster(steps, epochs=epochs).fit(grid, train_end)
    fit_s = time.perf_counter() - started
    first = int(np.searchsorted(grid.index, train_end, side="right"))
    origins = np.arange(max(first, INPUT_STEPS), len(grid) - max(steps))
    predicted = model.predict(grid, origins)
    values = grid.to_numpy()
    table = {}
    for index, (horizon, k) in enumerate(zip(HORIZONS, steps, strict=True)):
        truth = values[origins + k]
        keep = np.isfinite(truth)
        table[str(horizon)] = {
            "stid": float(np.mean(np.abs(truth - predicted[:, index, :])[keep])),
            "persistence": float(np.mean(np.abs(truth - values[origins])[keep]))}
    return {"per_horizon_mae": table, "epochs": epochs, "fit_seconds": round(fit_s, 1)}


SIMULATED_DAYS = 14
SIMULATION_CACHE = Path(tempfile.gettempdir()) / "aiplus-traffic-sim"


def run(quick: bool = False, simulate_days: int = 0, **_: Any) -> dict[str, Any]:
    """Forecasting figures on the shipped simulated fortnight (or a fresh SUMO run of
    ``simulate_days``, cached per day), then the signals half's figures."""
    from aiplus.apps.traffic.demo import DATA
    from aiplus.apps.traffic.simulation.run import SimulatedData, simulate

    report: dict[str, Any] = {}
    started = time.perf_counter()
    if simulate_days or not (DATA / "journey_times.csv.gz").exists():
        days = simulate_days or SIMULATED_DAYS
        data = simulate(date(2026, 9, 28), days, seed=7, folder=SIMULATION_CACHE)
        report["simulation"] = {"days": days, "seconds": round(time.perf_counter() - started, 1),
                                "cache": str(SIMULATION_CACHE)}
    else:
        data = SimulatedData.load(DATA)
        report["simulation"] = {"days": int(len(data.journey_minutes) // 720),
                                "source": "shipped data set (src/aiplus/apps/traffic/data)"}
    routes = list(data.journey_minutes.columns)[:2] if quick else None
    started = time.perf_counter()
    report["forecasting"] = forecasting(data, routes)
    report["forecasting"]["seconds"] = round(time.perf_counter() - started, 1)
    report["network_stid"] = network(data, epochs=3 if quick else 25)
    try:
        from aiplus.apps.traffic.signals.bench import run_signals_bench
    except ImportError:
        report["signals"] = {"skipped": "signals benchmark not installed"}
    else:
        report["signals"] = run_signals_bench(quick=quick)
    return report


benchmark = Benchmark(
    name="traffic",
    description="Journey-time MAE per horizon (+15…+90 min) against persistence, historical "
                "average and seasonal naive on a held-out simulated period, STID network-wide, "
                "conformal coverage; adaptive signals delay vs fixed-time and max-pressure",
    run=run,
)
