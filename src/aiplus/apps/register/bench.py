"""``aiplus bench ai-register``: how fast the public register is served, cached vs uncached."""

from __future__ import annotations

from typing import Any

from aiplus.bench.load import measure_cached_read, meets
from aiplus.platform.registry import Benchmark


def run(quick: bool = False) -> dict[str, Any]:
    rows = measure_cached_read("/api/register", seconds=2 if quick else 10, databases=False)
    for row in rows:
        row["meets_goal"] = meets(row, 500, 50)
    return {
        "goal": ">= 500 req/s at p95 < 50 ms for the cached register",
        "rows": rows,
        "passed": all(row["meets_goal"] for row in rows if row["case"] == "cached"),
    }


benchmark = Benchmark(
    name="ai-register",
    description="GET /api/register with wrk against aiplus serve (SQLite), cached vs uncached.",
    run=run,
)
