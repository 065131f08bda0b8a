"""``aiplus bench core``: read throughput and p95 latency of a cached read on a real server."""

from __future__ import annotations

from typing import Any

from aiplus.bench.load import measure_cached_read, meets
from aiplus.platform.registry import Benchmark

GOAL_RPS = 500
GOAL_P95_MS = 50


def run(quick: bool = False) -> dict[str, Any]:
    rows = measure_cached_read("/api/orgs", seconds=2 if quick else 10)
    for row in rows:
        row["meets_goal"] = meets(row, GOAL_RPS, GOAL_P95_MS)
    cached = [row for row in rows if row["case"] == "cached"]
    return {
        "goal": f">= {GOAL_RPS} req/s at p95 < {GOAL_P95_MS} ms for a cached read",
        "rows": rows,
        "passed": all(row["meets_goal"] for row in cached),
    }


benchmark = Benchmark(
    name="core",
    description="GET /api/orgs with wrk (16 connections) against aiplus serve, "
    "cached vs uncached, on SQLite and PostgreSQL.",
    run=run,
)
