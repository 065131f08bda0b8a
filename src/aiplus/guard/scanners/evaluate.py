"""The guardrail chains compared on the independent evaluation sets (:mod:`evalsets`), and
their caught / wrongly-blocked rates with 95% Wilson intervals.

Three chains judge every case the same way a call meets them, the user's words and the
document they hand the model:

- ``guard``: the platform's default chain as :mod:`chain` builds it: the
  words as ``input`` (injection with protective context, personal-data requests, secrets),
  the document on its own as ``document`` (indirect injection);
- ``previous``: the chain before this work: the injection scanner alone, without protective
  context, on the whole message (words and document joined, as the gateway used to see it);
- ``rules_only``: the same split as ``guard`` with every model switched off (phrase rules of
  the injection, personal-data and indirect scanners).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from aiplus.guard.contract import Direction, Scanner
from aiplus.guard.scanners.chain import build_scanners, combine
from aiplus.guard.scanners.evalsets import Case
from aiplus.guard.scanners.exfiltration import PersonalDataRequestScanner
from aiplus.guard.scanners.indirect import IndirectInjectionScanner
from aiplus.guard.scanners.injection import InjectionScanner
from aiplus.guard.scanners.policy import DEFAULT, Policy

Judge = Callable[[Case], bool]  # True = blocked
Z95 = 1.959964


def wilson(hits: int, total: int) -> list[float] | None:
    """The 95% Wilson score interval of ``hits / total``."""
    if total == 0:
        return None
    p = hits / total
    centre = (p + Z95**2 / (2 * total)) / (1 + Z95**2 / total)
    half = Z95 * math.sqrt(p * (1 - p) / total + Z95**2 / (4 * total**2)) / (1 + Z95**2 / total)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def _chain(policy: Policy, scanners: list[Scanner]) -> Judge:
    def judge(case: Case) -> bool:
        blocked = not combine(policy, scanners, case.text, Direction.INPUT)[0].allowed
        if not blocked and case.document is not None:
            blocked = not combine(policy, scanners, case.document, Direction.DOCUMENT)[0].allowed
        return blocked
    return judge


def guard_chain() -> Judge:
    return _chain(DEFAULT, build_scanners(DEFAULT, ()))


def rules_only_chain() -> Judge:
    policy = Policy(scanners=("injection", "exfiltration", "indirect_injection"))
    return _chain(policy, [InjectionScanner(use_classifier=False),
                           PersonalDataRequestScanner(use_model=False),
                           IndirectInjectionScanner(use_classifier=False)])


def previous_chain() -> Judge:
    scanner = InjectionScanner(use_intent=False)

    def judge(case: Case) -> bool:
        text = case.text if case.document is None else f"{case.text}\n\n{case.document}"
        return not scanner.scan(text).allowed
    return judge


CHAINS: dict[str, Callable[[], Judge]] = {
    "guard": guard_chain, "previous": previous_chain, "rules_only": rules_only_chain}


def _rate(flags: list[bool]) -> dict[str, Any]:
    hits = sum(flags)
    return {"n": len(flags), "blocked": hits,
            "rate": round(hits / len(flags), 4) if flags else None,
            "ci95": wilson(hits, len(flags))}


def evaluate(judge: Judge, cases: list[Case]) -> dict[str, Any]:
    """Caught (attacks) and blocked (benign) rates overall, per class, per language, per
    class and language, and per source, with latency per case."""
    groups: dict[str, list[bool]] = defaultdict(list)
    seconds = []
    for case in cases:
        started = time.perf_counter()
        blocked = judge(case)
        seconds.append(time.perf_counter() - started)
        side = "attacks" if case.label == 1 else "benign"
        for key in (side, f"class:{case.klass}", f"lang:{side}:{case.lang}",
                    f"class_lang:{case.klass}:{case.lang}", f"source:{case.source}"):
            groups[key].append(blocked)
    return {"cases": len(cases),
            "ms_per_case": round(1000 * float(np.mean(seconds)), 2) if seconds else None,
            "p95_ms": round(1000 * float(np.percentile(seconds, 95)), 2) if seconds else None,
            **{key: _rate(flags) for key, flags in sorted(groups.items())}}
