"""The benchmark's measuring functions, on a small catalogue (the full run is `aiplus bench`)."""

from aiplus.apps.opendata import bench
from aiplus.apps.opendata.generate import generate
from aiplus.bench.runner import available


def test_opendata_benchmark_is_registered():
    assert available()["opendata"] is bench.benchmark


def test_search_show_and_baseline_measurements(platform):
    generate(platform, 120, 4, seed=5)
    search_rows, show_rows = bench.measure_actions(platform, rounds=6, shows=4)
    assert [row["case"] for row in search_rows] == list(bench.search_cases([]))
    assert all(row["p95_ms"] >= row["p50_ms"] > 0 and row["samples"] == 6 for row in search_rows)
    assert next(r for r in search_rows if r["case"].startswith("newest"))["hits"] == 120
    assert show_rows[0]["samples"] == 4
    baseline = bench.measure_like_baseline(platform, rounds=4)
    assert [row["case"] for row in baseline] == ["LIKE English word", "LIKE Chinese word"]
    assert all(row["hits"] > 0 for row in baseline)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 0.5) == 50 and bench.percentile(values, 0.95) == 95
    assert bench.percentile([3.0], 0.95) == 3.0
