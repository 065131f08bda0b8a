"""Benchmarks: our analyzer vs a naive regex baseline, and vs Presidio's defaults.

``run_pii_bench(quick=False)`` scores our engine (``ner=True``) and Presidio's default
recognisers with the same packaged spaCy model, in the same run, on the *held-out* test split
(English, Traditional Chinese, code-mixed): per-type precision/recall/F1, invalid HKIDs
reported, and latency p50/p95 per text. Presidio's names map onto ours (``PHONE_NUMBER`` ->
PHONE, ``EMAIL_ADDRESS`` -> EMAIL, ``LOCATION`` -> ADDRESS, ...); types it has no recogniser
for score zero recall, which is the point of comparing. ``aiplus bench guard`` reports it
(:mod:`aiplus.apps.aisecurity.bench`); ``aiplus bench pii`` measures phones in context
(:mod:`~aiplus.guard.pii.phone_bench`).

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

from functools import cache
from statistics import quantiles

from aiplus.guard.pii.analyzer import analyze
from aiplus.guard.pii.evaluation import EVAL_TYPES, Sample, Span, evaluate, generate
from aiplus.guard.pii.ner import nlp_engine

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
    """Deterministic recognisers (no NER) vs the naive regexes on both splits' templates."""
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


# Presidio's entity names -> ours (US_BANK_NUMBER is its nearest to a bank account).
PRESIDIO_TYPES = {"PHONE_NUMBER": "PHONE", "EMAIL_ADDRESS": "EMAIL", "CREDIT_CARD": "CREDIT_CARD",
                  "PERSON": "PERSON", "LOCATION": "ADDRESS", "US_PASSPORT": "PASSPORT",
                  "US_BANK_NUMBER": "BANK_ACCOUNT"}


@cache
def presidio_analyzer() -> Any:
    """Presidio's ``AnalyzerEngine`` with its default recognisers and the packaged model.

    Its email recogniser calls ``tldextract``, whose default would fetch the public suffix
    list from the internet; it is pointed at the snapshot bundled with tldextract instead.
    """
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    return AnalyzerEngine(nlp_engine=nlp_engine(), supported_languages=["en"])


def presidio_detect(text: str) -> list[Span]:
    results = presidio_analyzer().analyze(text, language="en")
    return [(PRESIDIO_TYPES[r.entity_type], r.start, r.end) for r in results
            if r.entity_type in PRESIDIO_TYPES]


def ner_detect(text: str) -> list[Span]:
    return [(e.type, e.start, e.end) for e in analyze(text, ner=True)]


def _timed(detect: Any, samples: list[Sample]) -> tuple[dict[str, Any], dict[str, float]]:
    """Scores, and per-text latency (each text detected once more, timed)."""
    result = evaluate(detect, samples)
    times = []
    for sample in samples:
        started = time.perf_counter()
        detect(sample.text)
        times.append((time.perf_counter() - started) * 1000)
    cuts = quantiles(times, n=20)
    return result, {"p50_ms": round(cuts[9], 2), "p95_ms": round(cuts[18], 2)}


def run_pii_bench(quick: bool = False) -> dict[str, Any]:
    """Our engine vs Presidio defaults on the held-out test split, in the same run."""
    samples = generate(150 if quick else 600, seed=4242, split="test")
    ner_detect(samples[0].text)  # load the models before timing
    presidio_detect(samples[0].text)
    systems = {}
    compared = (("aiplus.guard.pii", ner_detect), ("presidio defaults", presidio_detect))
    for system, detect in compared:
        result, latency = _timed(detect, samples)
        systems[system] = {"per_type": result["per_type"],
                           "invalid_hkid_reported": result["invalid_hkid_reported"], **latency}
    ours = systems["aiplus.guard.pii"]
    passed = ours["invalid_hkid_reported"] == 0 and all(
        ours["per_type"][t]["f1"] >= GOAL_F1 for t in GOAL_TYPES)
    return {
        "goal": f"F1 >= {GOAL_F1} on {', '.join(GOAL_TYPES)} and zero invalid HKIDs reported, "
                f"on {len(samples)} held-out English/Chinese/code-mixed sentences",
        "types": list(EVAL_TYPES),
        "systems": systems,
        "passed": passed,
    }

