"""``aiplus bench core``: how fast the platform serves its hot reads under load, and how soon
its command line answers.

wrk (1 thread, 16 connections) drives a real ``aiplus serve``, started as ``aiplus serve``
would start by default, holding the open data demo catalogue: anonymous CKAN reads
(``package_search``, ``package_show``, ``datastore_search``) that the read cache answers, the
home page, and ``/healthz`` as the baseline measured in the same run (routing and middleware
doing no work: the most this server could give any read). The last rows time ``aiplus --help``
and ``aiplus tokens create`` as a person at a shell waits for them (their ``p50_ms`` is the
median of their runs).
"""

from __future__ import annotations

import statistics
from typing import Any
from urllib.parse import urlencode

import httpx

from aiplus.bench.load import (
    command_seconds,
    database_targets,
    demo_home,
    meets,
    run_wrk,
    serve,
)
from aiplus.core.settings import Settings
from aiplus.platform.registry import Benchmark
from aiplus.platform.serving import default_workers

GOAL_RPS = 500
GOAL_P99_MS = 100
HTTP_GOAL = f">={GOAL_RPS}/s, p99<{GOAL_P99_MS}ms"
SEARCH_WORD = "traffic"
COMMANDS = {  # what a person types, and the most seconds it may take to answer
    "aiplus --help": (["--help"], 1.0),
    "aiplus tokens create demo-admin": (["tokens", "create", "demo-admin"], 1.5),
}


def targets(base: str) -> list[tuple[str, str, str]]:
    """(case, name, path) of each URL to drive. The dataset and the DataStore resource are
    found through the API, so the benchmark follows whatever the demo catalogue holds."""
    search = f"/api/3/action/package_search?{urlencode({'q': SEARCH_WORD})}"
    found = httpx.get(base + search + "&rows=50", timeout=30).json()["result"]["results"]
    resource = next(r["id"] for d in found for r in d["resources"] if r["datastore_active"])
    return [
        ("cached read", "package_search", search),
        ("cached read", "package_show", f"/api/3/action/package_show?id={found[0]['name']}"),
        ("cached read", "datastore_search",
         f"/api/3/action/datastore_search?resource_id={resource}"),
        ("page", "home page", "/"),
        ("baseline", "/healthz", "/healthz"),
    ]


def measure_server(database: str, env: dict[str, str], home: str, seconds: float
                   ) -> list[dict[str, Any]]:
    """One row per target, all against one server with the default number of workers."""
    workers = default_workers(Settings(home=home, database_url=env.get("AIPLUS_DATABASE_URL")))
    rows = []
    with serve({**env, "AIPLUS_HOME": home}, workers=workers) as base:
        for case, name, path in targets(base):
            run_wrk(base + path, 1)  # warm-up: caches, pools, lazily loaded code
            result = run_wrk(base + path, seconds)
            row = {"database": database, "workers": workers, "case": case, "target": name,
                   "requests_per_s": result.requests_per_s, "p50_ms": result.p50_ms,
                   "p99_ms": result.p99_ms, "errors": result.errors}
            judged = case != "baseline"
            rows.append({**row, "goal": HTTP_GOAL if judged else "(baseline)",
                         "passed": meets(row, GOAL_RPS, GOAL_P99_MS, "p99") if judged else None})
    baseline = rows[-1]["requests_per_s"]
    for row in rows:
        row["of_baseline"] = round(row["requests_per_s"] / baseline, 2) if baseline else None
    return rows


def measure_commands(home: str, runs: int) -> list[dict[str, Any]]:
    """Median wall time of each command, run against the demo home."""
    rows = []
    for name, (args, goal_s) in COMMANDS.items():
        times = command_seconds(args, {"AIPLUS_HOME": home}, runs)
        median = statistics.median(times)
        rows.append({"database": "sqlite", "workers": None, "case": "cli", "target": name,
                     "requests_per_s": None, "p50_ms": round(median * 1000, 1),
                     "p99_ms": None, "errors": 0, "goal": f"<{goal_s}s",
                     "passed": median < goal_s, "of_baseline": None})
    return rows


def run(quick: bool = False) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for database, env in database_targets(postgres=not quick):
        with demo_home(env, demo_apps=("open-data",)) as home:
            rows += measure_server(database, env, home, seconds=1 if quick else 10)
            if database == "sqlite":  # the commands write (a token): never while measuring
                rows += measure_commands(home, runs=2 if quick else 5)
    return {
        "goal": f">= {GOAL_RPS} req/s at p99 < {GOAL_P99_MS} ms for every cached read and the "
        "home page (16 connections); median "
        + ", ".join(f"{name} < {goal_s} s" for name, (_, goal_s) in COMMANDS.items()),
        "rows": rows,
        "passed": all(row["passed"] for row in rows if row["passed"] is not None),
    }


benchmark = Benchmark(
    name="core",
    description="wrk (16 connections) against aiplus serve with the open data demo: anonymous "
    "CKAN reads from the read cache, the home page and /healthz (baseline), on SQLite and "
    "PostgreSQL; wall time of aiplus --help and aiplus tokens create.",
    run=run,
)
