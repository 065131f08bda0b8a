"""``aiplus traffic backtest``: robust to messy input, never peeks at the future."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from aiplus.apps.traffic.cli import cli
from aiplus.apps.traffic.forecasting import backtest
from aiplus.apps.traffic.forecasting.series import clean
from tests.apps.traffic.conftest import corridor_like

pytestmark = pytest.mark.nodb
HORIZONS = [15, 30, 45, 60, 75, 90]


def test_cli_writes_one_row_per_origin_and_horizon(messy_csv: str, tmp_path) -> None:
    out, summary = tmp_path / "preds.csv", tmp_path / "summary.json"
    result = CliRunner().invoke(cli, [
        "backtest", "--csv", messy_csv, "--time-col", "time", "--value-col", "minutes",
        "--horizons", "15,30,45,60,75,90", "--train-frac", "0.7", "--out", str(out),
        "--summary", str(summary)])
    assert result.exit_code == 0, result.output
    rows = pd.read_csv(out)
    assert list(rows.columns[:3]) == ["origin_time", "horizon_min", "predicted"]
    assert sorted(rows["horizon_min"].unique()) == HORIZONS
    assert not rows.duplicated(["origin_time", "horizon_min"]).any()
    assert rows["predicted"].gt(0).all() and (rows["lower"] <= rows["upper"]).all()
    source = pd.read_csv(messy_csv)
    times = pd.to_datetime(source["time"]).sort_values().drop_duplicates()
    clean_count = len(times)
    assert pd.to_datetime(rows["origin_time"]).min() > times.iloc[int(clean_count * 0.6)]
    assert "+60 min" in result.output


def test_forecasts_use_only_data_up_to_each_origin_and_beat_persistence() -> None:
    frame = corridor_like(days=6)
    first = backtest.run(frame["time"], frame["minutes"], [60], 0.7)
    at60 = first.summary()["horizons"]["60"]
    assert at60["model"]["mae"] < at60["persistence"]["mae"]
    origin = first.predictions["origin_time"].iloc[len(first.predictions) // 12]
    changed = frame.copy()
    future = pd.to_datetime(changed["time"]) > origin
    changed.loc[future, "minutes"] = changed.loc[future, "minutes"] * 3
    second = backtest.run(changed["time"], changed["minutes"], [60], 0.7)
    pick = lambda result: result.predictions.set_index(["origin_time", "horizon_min"]).loc[
        origin, "predicted"]
    assert pick(first).to_numpy() == pytest.approx(pick(second).to_numpy())


def test_cleaning_counts_what_it_removed() -> None:
    times = pd.Series(["2026-01-01 08:00", "2026-01-01 08:05", "2026-01-01 08:05",
                       "2026-01-01T00:10:00Z", "not a time", "2026-01-01 08:20"] * 10)
    values = pd.Series([10, 11, 11, 12, 13, 0] * 10)
    series = clean(times, values)
    assert series.counts["unparseable"] == 10
    assert series.counts["placeholders"] == 0  # zeros are kept when the series has many
    assert series.raw.index.is_monotonic_increasing and series.raw.index.is_unique
    assert pd.Timestamp("2026-01-01 08:10") in series.raw.index  # UTC converted to HK time


@pytest.mark.parametrize(("args", "message"), [
    (["--time-col", "nope", "--value-col", "minutes"], "lacks the columns"),
    (["--time-col", "time", "--value-col", "minutes", "--horizons", "0,15"], "Horizons"),
    (["--time-col", "time", "--value-col", "minutes", "--train-frac", "1.5"], "training share"),
])
def test_bad_requests_get_clear_errors(messy_csv: str, tmp_path, args, message) -> None:
    result = CliRunner().invoke(cli, ["backtest", "--csv", messy_csv, "--out",
                                      str(tmp_path / "x.csv"), *args])
    assert result.exit_code == 1 and message in result.output
    assert "Traceback" not in result.output


def test_too_short_a_series_is_refused(tmp_path) -> None:
    path = tmp_path / "short.csv"
    corridor_like(days=1).head(20).to_csv(path, index=False)
    result = CliRunner().invoke(cli, ["backtest", "--csv", str(path), "--time-col", "time",
                                      "--value-col", "minutes", "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 1 and "usable rows" in result.output


def test_too_little_history_serves_persistence_with_the_reason(tmp_path) -> None:
    path = tmp_path / "day.csv"
    corridor_like(days=1).to_csv(path, index=False)
    result = CliRunner().invoke(cli, ["backtest", "--csv", str(path), "--time-col", "time",
                                      "--value-col", "minutes", "--horizons", "15,60",
                                      "--train-frac", "0.5", "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 0, result.output
    assert "(persistence)" in result.output and "too little history" in result.output
    rows = pd.read_csv(tmp_path / "o.csv")
    assert rows["predicted"].notna().all() and len(rows) > 0
