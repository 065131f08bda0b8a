"""``aiplus bench opendata``: catalogue search and show at DATA.GOV.HK's scale and beyond.

For each database (SQLite; PostgreSQL when its server answers) and each size (5,500 datasets
from 110 organisations, DATA.GOV.HK's size, then 100,000; ``--quick``: 2,000 and 10,000), a
fresh database is filled by :func:`aiplus.apps.opendata.generate.generate` (the ingest rate is
reported) and then measured:

* ``package_search`` and ``package_show`` **in-process**: the CKAN action functions exactly as
  the HTTP route calls them (query parsing, SQL, serialisation), without HTTP and JSON
  encoding, over a mix of realistic queries: an English word, a Chinese word, an organisation
  filter with five facets, the newest datasets (``sort=metadata_modified desc``) and an English
  word sorted by date. p50/p95 per kind.
* the **baseline** in the same run: the same words answered by plain SQL, ``lower(column) LIKE
  '%word%'`` over the title and description columns, with ``COUNT(*)`` and a page of ten
  ``ORDER BY modified_at DESC``.
* **HTTP** (full runs only): one search and one show through a real ``aiplus serve`` on that
  database, driven by wrk with one connection (so latency, not queueing, is measured).

The DataStore's 1M-row ``datastore_search`` is measured by ``aiplus.data.datastore.bench``
when that module exists; its rows are merged here.
"""

from __future__ import annotations

import importlib
import math
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from aiplus.apps.opendata.generate import analyse, generate
from aiplus.core.identity import ANONYMOUS
from aiplus.core.settings import Settings
from aiplus.data.ckan_api.actions import ACTIONS, ActionContext
from aiplus.platform.registry import Benchmark
from aiplus.platform.services import Platform

SEARCH_GOALS_MS = {5_500: 30.0, 100_000: 150.0}
SHOW_GOAL_MS = 10.0
INGEST_GOAL_PER_S = 100_000 / 300  # 100,000 datasets within five minutes
FULL_SIZES = ((5_500, 110), (100_000, 110))
QUICK_SIZES = ((2_000, 110), (10_000, 110))
ENGLISH = ("temperature", "parking", "population", "air quality", "library", "waiting time",
           "recycling", "bus")
CHINESE = ("氣溫", "停車場", "人口", "空氣質素", "圖書館", "等候時間", "回收", "巴士")
FACETS = ["organization", "groups", "tags", "res_format", "license_id"]
PG_SERVER = os.environ.get("AIPLUS_BENCH_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
FACET_CASE = "fq org + 5 facets"
COLUMNS = ("database", "datasets", "measure", "case", "samples", "hits", "p50_ms", "p95_ms",
           "rate_per_s", "goal", "meets_goal")


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _row(**values: Any) -> dict[str, Any]:
    return {column: values.get(column, "") for column in COLUMNS}


def _search_goal(size: int) -> float:
    """The goal for a catalogue of ``size`` datasets (quick runs use the nearer full size)."""
    return SEARCH_GOALS_MS[5_500] if size <= 5_500 else SEARCH_GOALS_MS[100_000]


@contextmanager
def _database(kind: str) -> Iterator[tuple[str, str]]:
    """A fresh home and an empty database URL for one measurement."""
    with tempfile.TemporaryDirectory(prefix="aiplus-bench-opendata-") as home:
        if kind == "sqlite":
            yield home, f"sqlite:///{home}/aiplus.db"
            return
        from aiplus.bench.load import scratch_postgres

        with scratch_postgres(PG_SERVER) as url:
            yield home, url


def postgres_reachable() -> str | None:
    """None when the benchmark PostgreSQL server answers, else why not."""
    try:
        engine = create_engine(PG_SERVER)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as error:  # noqa: BLE001 - any failure: measure SQLite only, say so
        return f"{type(error).__name__}: {str(error).splitlines()[0][:160]}"


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def search_cases(orgs: list[str]) -> dict[str, list[tuple[dict[str, Any], str]]]:
    """package_search requests by kind, with the locale each is asked in."""
    return {
        "q English word": [({"q": word}, "en") for word in ENGLISH],
        "q Chinese word": [({"q": word}, "zh-Hant") for word in CHINESE],
        FACET_CASE: [
            ({"fq": f"organization:{org}", "facet.field": FACETS, "rows": 20}, "en")
            for org in orgs],
        "newest (sort modified)": [({"sort": "metadata_modified desc"}, "en")],
        "q English + sort modified": [({"q": word, "sort": "metadata_modified desc"}, "en")
                                          for word in ENGLISH],
    }


def measure_actions(platform: Platform, rounds: int, shows: int, seed: int = 7,
                    only: str | None = None
                    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(search rows, show rows) measured in-process on ``platform``'s catalogue; ``only``
    restricts the search to one kind of request (and skips package_show)."""
    rng = random.Random(seed)
    with platform.db.read() as session:
        orgs = list(session.scalars(text(
            "SELECT o.slug FROM organisations o JOIN data_datasets d ON d.org_id = o.id "
            "GROUP BY o.slug ORDER BY count(*) DESC, o.slug")))
        names = list(session.scalars(text("SELECT name FROM data_datasets ORDER BY name")))
    picked_orgs = orgs[:2] + orgs[len(orgs) // 2:len(orgs) // 2 + 2] + orgs[-2:]
    contexts = {locale: ActionContext(platform, ANONYMOUS, locale, "http://bench.invalid")
                for locale in ("en", "zh-Hant")}
    search = ACTIONS["package_search"].function
    show = ACTIONS["package_show"].function
    rows = []
    for case, requests in search_cases(picked_orgs).items():
        if only is not None and case != only:
            continue
        for data, locale in requests:  # warm-up: first calls load jieba, plans, pages
            search(contexts[locale], dict(data))
        timings, hits = [], []
        for index in range(rounds):
            data, locale = requests[index % len(requests)]
            elapsed, result = _timed(lambda d=data, loc=locale: search(contexts[loc], dict(d)))
            timings.append(elapsed)
            hits.append(result["count"])
        rows.append((case, timings, hits))
    search_rows = [dict(case=case, samples=len(t), hits=round(sum(h) / len(h)),
                        p50_ms=round(percentile(t, 0.5), 2), p95_ms=round(percentile(t, 0.95), 2))
                   for case, t, h in rows]
    if only is not None:
        return search_rows, []
    sample = [rng.choice(names) for _ in range(shows)]
    for name in sample[:10]:
        show(contexts["en"], {"id": name})
    timings = [_timed(lambda n=name: show(contexts["en"], {"id": n}))[0] for name in sample]
    show_rows = [dict(case="by name", samples=len(timings), hits=1,
                      p50_ms=round(percentile(timings, 0.5), 2),
                      p95_ms=round(percentile(timings, 0.95), 2))]
    return search_rows, show_rows


def measure_like_baseline(platform: Platform, rounds: int) -> list[dict[str, Any]]:
    """The same words by plain SQL LIKE over titles and descriptions: count + newest ten."""
    where = ("state = 'active' AND private = :private AND (lower(title_en) LIKE :p OR "
             "lower(title_zh) LIKE :p OR lower(notes_en) LIKE :p OR lower(notes_zh) LIKE :p)")
    count = text(f"SELECT count(*) FROM data_datasets WHERE {where}")
    page = text(f"SELECT id, name, title_en, title_zh FROM data_datasets WHERE {where} "
                "ORDER BY modified_at DESC, id LIMIT 10")
    rows = []
    for case, words in (("LIKE English word", ENGLISH), ("LIKE Chinese word", CHINESE)):
        timings, hits = [], []
        with platform.db.read() as session:
            for word in words:  # warm-up
                session.execute(count, {"p": f"%{word}%", "private": False}).scalar()
            for index in range(rounds):
                params = {"p": f"%{words[index % len(words)].lower()}%", "private": False}
                started = time.perf_counter()
                found = session.execute(count, params).scalar() or 0
                session.execute(page, params).all()
                timings.append((time.perf_counter() - started) * 1000)
                hits.append(found)
        rows.append(dict(case=case, samples=len(timings),
                         hits=round(sum(hits) / len(hits)),
                         p50_ms=round(percentile(timings, 0.5), 2),
                         p95_ms=round(percentile(timings, 0.95), 2)))
    return rows


def measure_http(home: str, url: str, platform: Platform, seconds: float
                 ) -> list[dict[str, Any]]:
    """One search and one show through ``aiplus serve`` on this database, wrk -c1."""
    from aiplus.bench.load import run_wrk, serve

    with platform.db.read() as session:
        name = session.scalar(text("SELECT name FROM data_datasets ORDER BY name LIMIT 1"))
    paths = {
        "package_search q + 5 facets": "/api/3/action/package_search?"
        + urlencode([("q", "temperature")] + [("facet.field", f) for f in FACETS]),
        "package_show": f"/api/3/action/package_show?{urlencode({'id': name})}",
    }
    rows = []
    with serve({"AIPLUS_HOME": home, "AIPLUS_DATABASE_URL": url}) as base:
        for case, path in paths.items():
            run_wrk(base + path, 1, connections=1)  # warm-up
            result = run_wrk(base + path, seconds, connections=1)
            rows.append(dict(case=case, samples=result.requests,
                             hits=f"{result.errors} errors",
                             p50_ms=result.p50_ms, p95_ms=result.p95_ms,
                             rate_per_s=result.requests_per_s,
                             show=case == "package_show"))
    return rows


def measure_size(database: str, datasets: int, orgs: int, quick: bool,
                 console: Callable[[str], None]) -> list[dict[str, Any]]:
    goal = _search_goal(datasets)
    rounds = 40 if quick else 120
    rows: list[dict[str, Any]] = []
    base = {"database": database, "datasets": datasets}
    with _database(database) as (home, url):
        platform = Platform.build(Settings(home=home, database_url=url, log_level="WARNING",
                                           json_logs=False))
        try:
            platform.migrate()
            result = generate(platform, datasets, orgs, seed=datasets, statistics=False)
            console(f"  {database}: generated {datasets:,} datasets in {result.seconds:.1f} s")
            rows.append(_row(**base, measure="ingest", case=f"generate, {orgs} orgs",
                             samples=datasets, rate_per_s=round(result.rate),
                             goal=f">= {INGEST_GOAL_PER_S:.0f}/s",
                             meets_goal=result.rate >= INGEST_GOAL_PER_S))
            # As a catalogue built through the API stands on SQLite (nothing runs ANALYZE
            # there), then with the planner statistics the generator normally refreshes.
            before = measure_actions(platform, max(12, rounds // 4), 0, only=FACET_CASE)[0]
            for row in before:
                rows.append(_row(**base, measure="package_search", **{
                    **row, "case": row["case"] + " (no ANALYZE)"}, goal="(info)"))
            analyse(platform)
            search_rows, show_rows = measure_actions(platform, rounds, 100 if quick else 300)
            for row in search_rows:
                rows.append(_row(**base, measure="package_search", **row,
                                 goal=f"p95 < {goal:.0f} ms", meets_goal=row["p95_ms"] < goal))
            for row in measure_like_baseline(platform, max(16, rounds // 2)):
                rows.append(_row(**base, measure="baseline", **row, goal="-"))
            for row in show_rows:
                rows.append(_row(**base, measure="package_show", **row,
                                 goal=f"p95 < {SHOW_GOAL_MS:.0f} ms",
                                 meets_goal=row["p95_ms"] < SHOW_GOAL_MS))
            if not quick:
                for row in measure_http(home, url, platform, 10):
                    is_show = row.pop("show")
                    limit = SHOW_GOAL_MS if is_show else goal
                    rows.append(_row(**base, measure="http wrk -c1", **row,
                                     goal=f"p95 < {limit:.0f} ms (info)"))
        finally:
            platform.close()
    return rows


def datastore_rows(quick: bool) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """Rows from ``aiplus.data.datastore.bench.run`` if that module exists."""
    try:
        module = importlib.import_module("aiplus.data.datastore.bench")
    except ImportError as error:
        note = f"not measured here: aiplus.data.datastore.bench is not available ({error.name})"
        return [_row(database="-", measure="datastore_search", case="1M rows, filtered page",
                     goal="p95 < 100 ms", meets_goal=note)], None
    report: dict[str, Any] = module.run(quick=quick)
    rows = []
    for found in report.get("rows", []):
        baseline = "baseline" in str(found.get("backend", ""))
        note = f" ({found['note']})" if found.get("note") else ""
        size = found.get("rows")
        rows.append(_row(
            database=found.get("backend", found.get("database", "-")),
            datasets=f"{size:,} rows" if isinstance(size, int) else "",
            measure="datastore_search" + (" baseline" if baseline else ""),
            case=f"filtered page{note}", samples=found.get("queries", ""),
            p50_ms=found.get("p50_ms"), p95_ms=found.get("p95_ms"),
            rate_per_s=found.get("ingest_rows_per_s"),
            goal="-" if baseline else "p95 < 100 ms",
            meets_goal="" if baseline else found.get("meets_goal", "")))
    return rows, report


def run(quick: bool = False, databases: tuple[str, ...] | None = None,
        sizes: tuple[tuple[int, int], ...] | None = None,
        console: Callable[[str], None] = print) -> dict[str, Any]:
    sizes = sizes or (QUICK_SIZES if quick else FULL_SIZES)
    notes = []
    if databases is None:
        databases = ("sqlite",)
        unreachable = postgres_reachable()
        if unreachable is None:
            databases += ("postgresql",)
        else:
            notes.append(f"PostgreSQL not measured: {unreachable}")
    rows: list[dict[str, Any]] = []
    for database in databases:
        for datasets, orgs in sizes:
            rows.extend(measure_size(database, datasets, orgs, quick, console))
    store_rows, store_report = datastore_rows(quick)
    rows.extend(store_rows)
    judged = [row for row in rows if isinstance(row["meets_goal"], bool) and row["measure"] in (
        "package_search", "package_show", "ingest")]
    passed = bool(judged) and all(row["meets_goal"] for row in judged)
    if store_report is not None:
        passed = passed and bool(store_report.get("passed"))
    else:
        notes.append("datastore_search on 1M rows: aiplus.data.datastore.bench not available")
    return {
        "goal": ("package_search p95 < 30 ms at 5,500 datasets and < 150 ms at 100,000; "
                 "package_show p95 < 10 ms; ingest >= 100,000 datasets in 5 minutes; "
                 "datastore_search filtered page on 1M rows p95 < 100 ms"),
        "method": ("package_search/package_show: the CKAN action functions in-process "
                   "(parsing, SQL, serialisation; no HTTP); baseline: plain SQL LIKE over "
                   "title/notes with COUNT and ORDER BY modified_at LIMIT 10, same words, same "
                   "run; http rows (full run): aiplus serve + wrk, one connection"),
        "rows": rows,
        "notes": notes,
        "datastore": store_report,
        "passed": passed,
    }


benchmark = Benchmark(
    name="opendata",
    description="Catalogue at 5,500 and 100,000 datasets (quick: 2,000 and 10,000) on SQLite "
    "and PostgreSQL: ingest rate, package_search and package_show p50/p95 beside a plain "
    "SQL LIKE baseline; DataStore figures merged when available.",
    run=run,
)
