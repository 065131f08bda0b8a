"""``aiplus bench enquiry``: retrieval quality against BM25, hand-over precision/recall, the
subject classifier, speech speed, and the end-to-end latency of ``POST /api/enquiry/ask``
through the real application against the bare ``FaqIndex.search`` in the same run.

The retrieval and voice figures come from their packages' own benchmarks
(:func:`~aiplus.apps.enquiry.retrieval.bench.run_retrieval_bench`,
:func:`~aiplus.apps.enquiry.voice.bench.run_voice_bench`); this module adds what only the
whole service can show: what the HTTP layer, masking, the database and the audit entry cost
on top of the search itself.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from importlib import resources as package_files
from pathlib import Path
from typing import Any

from aiplus.apps.enquiry.demo import load_demo_kb
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.core.settings import Settings
from aiplus.platform.app import create_app
from aiplus.platform.registry import Benchmark
from aiplus.platform.services import Platform

ASK_GOAL_P95_MS = 250.0


def eval_queries(split: str = "test") -> list[str]:
    text = package_files.files("aiplus.apps.enquiry").joinpath("eval", f"{split}.jsonl").read_text(
        encoding="utf-8")
    return [json.loads(line)["query"] for line in text.splitlines() if line.strip()]


def _timed(call: Any, queries: list[str]) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        call(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(statistics.quantiles(times, n=20)[18], 2),
            "mean_ms": round(statistics.fmean(times), 2)}


def run_service_latency(queries: list[str] | None = None) -> dict[str, Any]:
    """Ask every query through the app (TestClient) and through the bare index, interleaved
    per run so both see the same warm caches."""
    # Imported here, not with the module: the app imports this module on every start, and
    # Starlette's test client (with its deprecation warning) belongs to benchmark runs only.
    from fastapi.testclient import TestClient

    queries = queries or eval_queries()
    with tempfile.TemporaryDirectory(prefix="aiplus-bench-enquiry-") as home:
        settings = Settings(home=Path(home), public_rate_limit=1_000_000, json_logs=False,
                            log_level="WARNING")
        platform = Platform.build(settings)
        try:
            platform.migrate()
            load_demo_kb(platform)
            index = KnowledgeBases(platform).models(enquiry_settings().default_kb).index
            with TestClient(create_app(platform=platform)) as client:
                def ask(query: str) -> None:
                    response = client.post("/api/enquiry/ask", json={"text": query})
                    response.raise_for_status()

                ask(queries[0])  # warm: models loaded, first connection made
                index.search(queries[0])
                bare = _timed(lambda q: index.search(q, k=10), queries)
                api = _timed(ask, queries)
        finally:
            platform.close()
    api_summary, bare_summary = _summary(api), _summary(bare)
    return {
        "queries": len(queries),
        "api_ask": api_summary,
        "baseline_bare_search": bare_summary,
        "overhead_p50_ms": round(api_summary["p50_ms"] - bare_summary["p50_ms"], 2),
        "goal_api_p95_ms": ASK_GOAL_P95_MS,
        "meets_goal": api_summary["p95_ms"] <= ASK_GOAL_P95_MS,
    }


def _latency_rows(latency: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"part": "service", "measure": name, "queries": latency["queries"], **latency[key]}
            for name, key in (("POST /api/enquiry/ask", "api_ask"),
                              ("baseline: bare FaqIndex.search", "baseline_bare_search"))]


def run(quick: bool = False, **_: Any) -> dict[str, Any]:
    """Every part's figures in one report; each part keeps its own rows and goal."""
    from aiplus.apps.enquiry.retrieval.bench import run_retrieval_bench
    from aiplus.apps.enquiry.voice.bench import run_voice_bench

    queries = eval_queries()
    retrieval = run_retrieval_bench(faq_count=200 if quick else 1000)
    voice = run_voice_bench()
    latency = run_service_latency(queries[:40] if quick else queries)
    rows = [*({"part": "retrieval", **row} for row in retrieval.get("rows", [])),
            *({"part": "voice", **row} for row in voice.get("rows", [])),
            *_latency_rows(latency)]
    goals = [part.get("goal") for part in (retrieval, voice) if part.get("goal")]
    return {
        "rows": rows,
        "goal": "; ".join([*goals, f"ask p95 <= {ASK_GOAL_P95_MS:.0f} ms"]),
        "passed": all(part.get("passed", True) for part in (retrieval, voice))
                  and latency["meets_goal"],
        "retrieval": retrieval, "voice": voice, "service_latency": latency,
    }


benchmark = Benchmark(
    name="enquiry",
    description="1823 enquiry service: P@1 and MRR@10 against BM25 and plain dense retrieval "
                "(own set and StackFAQ, dev and held-out), hand-over precision/recall, "
                "subject confusion matrix, speech real-time factor, /api/enquiry/ask latency "
                "against the bare index search",
    run=run,
)
