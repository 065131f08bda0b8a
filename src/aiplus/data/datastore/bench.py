"""DataStore benchmark: bulk ingest rate and a filtered ``datastore_search`` page on a large
resource, on DuckDB and (when the server answers) PostgreSQL, against a naive baseline.

The data is a synthetic traffic-detector feed shaped like Transport Department's "traffic
speed, volume and road occupancy" open data: 1,000,000 rows (``quick``: 100,000) of detector,
district, lane, 30-second period, speed, volume, occupancy and a validity flag, generated here
(nothing is downloaded). The query is the page an app asks for: one detector's fast lane,
newest first, 100 rows, with the total (``filters`` + ``sort`` + ``limit`` + ``include_total``).
The baseline answers the same question by scanning the CSV file with Python's csv module.
Goal: p95 < 100 ms for the filtered page.
"""

from __future__ import annotations

import csv
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

GOAL_P95_MS = 100.0
DETECTORS = 500
LANES = ("Fast Lane", "Middle Lane", "Slow Lane")
DISTRICTS = ("Central and Western", "Wan Chai", "Eastern", "Southern", "Yau Tsim Mong",
             "Sham Shui Po", "Kowloon City", "Wong Tai Sin", "Kwun Tong", "Sha Tin")
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def generate(path: Path, rows: int, seed: int = 7) -> Path:
    """Write ``rows`` detector readings (detector-major, then time, then lane) to ``path``."""
    rng = random.Random(seed)
    steps = max(1, -(-rows // (DETECTORS * len(LANES))))
    start = datetime(2026, 11, 1)
    written = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["detector_id", "district", "lane", "period_from", "speed", "volume",
                         "occupancy", "valid"])
        for detector in range(DETECTORS):
            ident = f"AID{detector + 1:05d}"
            district = DISTRICTS[detector % len(DISTRICTS)]
            batch = []
            for step in range(steps):
                stamp = (start + timedelta(seconds=30 * step)).strftime("%Y-%m-%d %H:%M:%S")
                for lane in LANES:
                    if written >= rows:
                        break
                    speed = rng.randint(5, 110)
                    batch.append((ident, district, lane, stamp, speed, rng.randint(0, 40),
                                  rng.randint(0, 100), "Y" if speed > 6 else "N"))
                    written += 1
            writer.writerows(batch)
    return path


def _percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return round(p50, 2), round(p95, 2)


def _query(detector: str) -> dict[str, Any]:
    return {"filters": {"detector_id": detector, "lane": "Fast Lane"},
            "sort": "period_from desc", "limit": 100, "include_total": True}


def _measure_store(store: Any, path: Path, rows: int, queries: int) -> dict[str, Any]:
    rid = str(uuid.uuid4())
    began = time.perf_counter()
    info = store.ingest(rid, path, "csv", max_bytes=2**34, max_rows=rows + 1)
    ingest_s = time.perf_counter() - began
    assert info["total"] == rows, info["total"]
    rng = random.Random(11)
    detectors = [f"AID{rng.randint(1, DETECTORS):05d}" for _ in range(queries)]
    for detector in detectors[:5]:  # warm-up: caches, plans, pools
        store.search(rid, **_query(detector))
    samples = []
    for detector in detectors:
        began = time.perf_counter()
        result = store.search(rid, **_query(detector))
        samples.append((time.perf_counter() - began) * 1000)
        assert len(result["records"]) == min(100, result["total"]) and result["total"] > 0
    p50, p95 = _percentiles(samples)
    return {"rows": rows, "ingest_s": round(ingest_s, 2),
            "ingest_rows_per_s": round(rows / ingest_s), "queries": queries,
            "p50_ms": p50, "p95_ms": p95}


def _baseline(path: Path, rows: int, queries: int) -> dict[str, Any]:
    """The same page by scanning the file with the csv module (no database, no index)."""
    began = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as handle:
        for _ in csv.reader(handle):
            pass
    read_s = time.perf_counter() - began
    rng = random.Random(11)
    samples = []
    for _ in range(queries):
        detector = f"AID{rng.randint(1, DETECTORS):05d}"
        began = time.perf_counter()
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            hits = [r for r in reader if r[0] == detector and r[2] == "Fast Lane"]
        hits.sort(key=lambda r: r[3], reverse=True)
        page, total = hits[:100], len(hits)
        samples.append((time.perf_counter() - began) * 1000)
        assert page and total
    p50, p95 = _percentiles(samples)
    return {"rows": rows, "ingest_s": round(read_s, 2),
            "ingest_rows_per_s": round(rows / read_s), "queries": queries,
            "p50_ms": p50, "p95_ms": p95}


def run(quick: bool = False) -> dict[str, Any]:
    from aiplus.data.datastore.store import DuckDBStore, PostgresStore

    rows = 100_000 if quick else 1_000_000
    queries = 30 if quick else 100
    server = os.environ.get("AIPLUS_BENCH_POSTGRES_URL", POSTGRES_URL)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="aiplus-datastore-bench-") as folder:
        path = generate(Path(folder) / "detectors.csv", rows)
        size_mb = round(path.stat().st_size / 2**20, 1)

        def add(backend: str, case: str, figures: dict[str, Any] | None, note: str = "") -> None:
            row = {"backend": backend, "case": case, "file_mb": size_mb,
                   **(figures or {"rows": rows, "ingest_s": None, "ingest_rows_per_s": None,
                                  "queries": 0, "p50_ms": None, "p95_ms": None})}
            row["meets_goal"] = bool(figures) and figures["p95_ms"] < GOAL_P95_MS
            row["note"] = note
            results.append(row)

        case = "filtered page (detector + lane, sort time desc, limit 100, total)"
        with DuckDBStore(Path(folder) / "duck" / "datastore.duckdb") as duck:
            add("duckdb", case, _measure_store(duck, path, rows, queries))
        try:
            from aiplus.bench.load import scratch_postgres

            with scratch_postgres(server) as url, PostgresStore(url) as pg:
                add("postgresql", case, _measure_store(pg, path, rows, queries),
                    "an index per column")
        except Exception as exc:  # noqa: BLE001 - an absent server is reported, not fatal
            add("postgresql", case, None, f"skipped: {type(exc).__name__}: {str(exc)[:80]}")
        add("python csv scan (baseline)", case, _baseline(path, rows, 3 if quick else 5),
            "ingest = one csv.reader pass over the file")
    measured = [r for r in results if r["p95_ms"] is not None and "baseline" not in r["backend"]]
    return {
        "goal": f"datastore_search filtered page p95 < {GOAL_P95_MS:g} ms on a {rows:,}-row "
                "resource",
        "rows": results,
        "passed": bool(measured) and all(r["meets_goal"] for r in measured),
    }
