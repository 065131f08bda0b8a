"""``aiplus bench gateway``: the gateway's own overhead. The local model's speed with and
without the gateway is ``aiplus bench llm`` (:mod:`aiplus.gateway.llm_bench`).

Overhead: the gateway runs its whole pipeline (validation, quota admission and settlement in a
real SQLite ledger, input/output guardrail calls, vault, sentence regrouping, OpenCC, metrics)
around a backend that answers at once (:class:`InstantBackend`, a measuring instrument, not a
model); the backend's own time is timed separately and subtracted. Guardrails here allow
everything, so the scanners' cost (measured by their own benchmark) is not counted. Goal:
p95 < 5 ms.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aiplus.core.identity import create_org
from aiplus.core.settings import Settings
from aiplus.guard.contract import CallContext, Direction, ScanResult
from aiplus.gateway.backends import BackendRequest, Usage
from aiplus.gateway.keys import KeyGrant, issue_key
from aiplus.gateway.ledger import Payer
from aiplus.gateway.service import Gateway, Options
from aiplus.platform.services import Platform
from aiplus.platform.registry import Benchmark

GOAL_OVERHEAD_P95_MS = 5.0
ANSWER = ["Hong Kong's ", "weather ", "is warm.", " Bring ", "an umbrella", "."]


class AllowAll:
    def scan(self, text: str, direction: Direction, context: CallContext) -> ScanResult:
        return ScanResult(text, True, 0.0)


class InstantBackend:
    """Answers at once with a fixed text and records how long its own work took."""

    def __init__(self) -> None:
        self.spent = 0.0

    def models(self) -> list[str]:
        return ["instant"]

    def available(self) -> bool:
        return True

    def stream(self, request: BackendRequest, usage: Usage) -> Iterator[str]:
        started = time.perf_counter()
        usage.prompt_tokens, usage.completion_tokens = 20, len(ANSWER)
        self.spent += time.perf_counter() - started
        return self._pieces()

    def _pieces(self) -> Iterator[str]:
        for piece in ANSWER:
            started = time.perf_counter()
            yield piece
            self.spent += time.perf_counter() - started

    def close(self) -> None:
        return None


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 3)


def overhead(calls: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as home:
        platform = Platform.build(Settings(home=Path(home), json_logs=False, log_level="WARNING"))
        platform.migrate()
        with platform.db.transaction() as session:
            create_org(session, "bench-org", "Bench", "基準")
            key, _ = issue_key(session, "bench-org", "bench", "bench", requests_per_minute=10**9)
            grant = KeyGrant(key.id, "bench-org", key.org_id, "bench", 32_000, ())
        backend = InstantBackend()
        gateway = Gateway(backend, AllowAll(), db=platform.db)
        context = CallContext(org="bench-org", app="bench")
        payer = Payer(org_id=grant.org_id, key=grant)
        messages = [{"role": "user", "content": "What is the weather in Hong Kong today?"}]
        samples, ledger_free = [], []
        for with_ledger in (True, False):
            for _ in range(calls):
                backend.spent = 0.0
                started = time.perf_counter()
                stream = gateway.stream_chat(messages, model="instant", context=context,
                                             options=Options(payer=payer if with_ledger else None))
                for _piece in stream:
                    pass
                spent = (time.perf_counter() - started - backend.spent) * 1000
                (samples if with_ledger else ledger_free).append(spent)
        platform.close()
    return {"calls": calls, "overhead_ms_p50": _percentile(samples, 0.5),
            "overhead_ms_p95": _percentile(samples, 0.95),
            "overhead_without_ledger_ms_p95": _percentile(ledger_free, 0.95),
            "goal_p95_ms": GOAL_OVERHEAD_P95_MS,
            "meets_goal": _percentile(samples, 0.95) < GOAL_OVERHEAD_P95_MS}


def _rows(cost: dict[str, Any]) -> list[dict[str, Any]]:
    """The overhead beside its baseline, the same pipeline without the usage ledger."""
    return [{"measure": "gateway overhead p50 / p95 ms (backend time subtracted)",
             "gateway": f"{cost['overhead_ms_p50']} / {cost['overhead_ms_p95']}",
             "baseline": f"without the usage ledger p95 {cost['overhead_without_ledger_ms_p95']}"}]


def run(quick: bool = False, **_: Any) -> dict[str, Any]:
    cost = overhead(50 if quick else 300)
    return {"goal": f"gateway overhead p95 < {GOAL_OVERHEAD_P95_MS} ms excluding the model",
            "rows": _rows(cost), "passed": cost["meets_goal"], "overhead": cost}


BENCHMARK = Benchmark("gateway", "GenAI gateway overhead (p95 goal < 5 ms); the local "
                      "model's speed is `aiplus bench llm`", run)
