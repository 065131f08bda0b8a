"""Benchmark: our analyzer vs a naive regex baseline on the generated bilingual set.

``run(quick=False)`` scores both on the same sentences (per-type exact-span precision, recall,
F1, and how many reported HKIDs have a wrong check digit). The goal: F1 >= 0.98 on HKID, PHONE
and EMAIL with zero invalid HKIDs. Not registered with ``aiplus bench``; call it directly::

    python -c "from aiplus.guard.pii.bench import run; print(run(quick=True))"

The set is synthetic and written by the same team as the recognisers, so it measures rule
coverage of known Hong Kong formats and traps, not accuracy on real documents.
"""

from __future__ import annotations

import re
import time
from typing import Any

from aiplus.guard.pii.analyzer import analyze
from aiplus.guard.pii.evaluation import EVAL_TYPES, Span, evaluate, generate

GOAL_F1 = 0.98
GOAL_TYPES = ("HKID", "PHONE", "EMAIL")

# The kind of patterns found in many code bases: shape only, no check digit, no boundaries.
NAIVE_PATTERNS: dict[str, re.Pattern[str]] = {
    "HKID": re.compile(r"[A-Z]{1,2}\d{6}\(?[0-9A]\)?"),
    "PHONE": re.compile(r"(?:\+852[ -]?)?\d{4}[ -]?\d{4}"),
    "EMAIL": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "CREDIT_CARD": re.compile(r"\b(?:\d[ -]?){12,18}\d\b"),
    "PASSPORT": re.compile(r"\b[KH]\d{8}\b"),
}


def naive_detect(text: str) -> list[Span]:
    return [(t, m.start(), m.end()) for t, p in NAIVE_PATTERNS.items() for m in p.finditer(text)]


def analyzer_detect(text: str) -> list[Span]:
    return [(e.type, e.start, e.end) for e in analyze(text)]


def run(quick: bool = False) -> dict[str, Any]:
    samples = generate(400 if quick else 3000, seed=2026)
    rows: list[dict[str, Any]] = []
    results = {}
    for system, detect in (("aiplus.guard.pii", analyzer_detect), ("naive regex", naive_detect)):
        started = time.perf_counter()
        result = evaluate(detect, samples)
        seconds = time.perf_counter() - started
        results[system] = result
        for entity_type in EVAL_TYPES:
            row = result["per_type"][entity_type]
            rows.append({"system": system, "type": entity_type, **row,
                         "meets_goal": row["f1"] >= GOAL_F1 if entity_type in GOAL_TYPES
                         else None})
        rows.append({"system": system, "type": "ALL", "sentences": len(samples),
                     "invalid_hkid_reported": result["invalid_hkid_reported"],
                     "sentences_per_second": round(len(samples) / seconds, 1)})
    ours = results["aiplus.guard.pii"]
    passed = ours["invalid_hkid_reported"] == 0 and all(
        ours["per_type"][t]["f1"] >= GOAL_F1 for t in GOAL_TYPES)
    return {
        "goal": f"F1 >= {GOAL_F1} on {', '.join(GOAL_TYPES)} and zero invalid HKIDs reported, "
                f"on {len(samples)} generated English/Traditional Chinese sentences",
        "rows": rows,
        "passed": passed,
    }
