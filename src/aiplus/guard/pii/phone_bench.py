"""``aiplus bench pii``: context-aware phone recognition beside the recogniser it replaced.

Three systems run on the same sentences in one run: the recogniser as it stands (context may
raise a number ``phonenumbers`` doubts), the same recogniser with ``context_raises=False``
(exactly the validator-only recogniser before), and a shape-only regex (every 8-digit number,
the precision floor). Sets: the phone-in-context set of :mod:`~aiplus.guard.pii.phone_eval`,
``dev`` (tuned on) and ``heldout`` (never tuned on), per language; and the general generated
PII set's held-out split (:func:`~aiplus.guard.pii.evaluation.generate`, ``split="test"``), to
show that numbers without cues keep their precision.
"""

from __future__ import annotations

from typing import Any

from aiplus.guard.pii.analyzer import analyze
from aiplus.guard.pii.bench import NAIVE_PATTERNS
from aiplus.guard.pii.entities import PHONE
from aiplus.guard.pii.evaluation import Detector, Sample, generate as generate_general
from aiplus.guard.pii.phone_eval import LANGS, SPLITS, generate, score
from aiplus.guard.pii.phones import PhoneRecogniser
from aiplus.platform.registry import Benchmark

OURS, BEFORE, SHAPE = "context-aware", "validator only (before)", "shape only (regex)"
GENERAL = "general test split"


def _detector(recogniser: PhoneRecogniser) -> Detector:
    chosen = (recogniser,)
    return lambda text: [(e.type, e.start, e.end)
                         for e in analyze(text, PHONE, recognisers=chosen)]


def _shape_only(text: str) -> list[tuple[str, int, int]]:
    return [(str(PHONE), m.start(), m.end()) for m in NAIVE_PATTERNS[PHONE].finditer(text)]


SYSTEMS: dict[str, Detector] = {
    OURS: _detector(PhoneRecogniser()),
    BEFORE: _detector(PhoneRecogniser(context_raises=False)),
    SHAPE: _shape_only,
}


def _sets(quick: bool) -> dict[str, list[Sample]]:
    sets: dict[str, list[Sample]] = {}
    for split in SPLITS:
        samples = generate(split, repeats=2 if quick else 6)
        for lang in LANGS:
            sets[f"{split} {lang}"] = [s for s in samples if s.lang == lang]
        sets[f"{split} all"] = samples
    sets[GENERAL] = generate_general(150 if quick else 600, seed=4242, split="test")
    return sets


def _passed(results: dict[str, dict[str, dict[str, Any]]]) -> bool:
    """Held-out, each language: F1 above the baseline, no more false positives on decoys;
    general set: PHONE precision not below the baseline's."""
    held_out = all(
        results[f"heldout {lang}"][OURS]["f1"] > results[f"heldout {lang}"][BEFORE]["f1"]
        and results[f"heldout {lang}"][OURS]["fp_on_decoys"]
        <= results[f"heldout {lang}"][BEFORE]["fp_on_decoys"]
        for lang in LANGS)
    return held_out and results[GENERAL][OURS]["precision"] >= results[GENERAL][BEFORE]["precision"]


def run(quick: bool = False) -> dict[str, Any]:
    """Every system on every set, in one run."""
    results = {name: {system: score(detect, samples) for system, detect in SYSTEMS.items()}
               for name, samples in _sets(quick).items()}
    columns = ("gold", "precision", "recall", "f1", "recall_assigned", "recall_unassigned",
               "fp_on_decoys")
    rows = [{"set": name, "system": system, **{c: figures[c] for c in columns}}
            for name, by_system in results.items() for system, figures in by_system.items()]
    return {
        "goal": "held-out phone-context split, English and Chinese each: PHONE F1 above the "
                "validator-only recogniser with no more false positives on decoys; general "
                "held-out PII split: PHONE precision not below it",
        "held_out": [f"heldout {lang}" for lang in (*LANGS, "all")] + [GENERAL],
        "tuned_on": [f"dev {lang}" for lang in (*LANGS, "all")],
        "rows": rows,
        "sets": results,
        "passed": _passed(results),
    }


benchmark = Benchmark(
    name="pii",
    description="Hong Kong phone numbers in context (EN / zh-Hant, dev and held-out splits, "
                "unassigned ranges with and without cues, decoys): span P/R/F1 against the "
                "validator-only recogniser and a shape-only regex, in the same run.",
    run=run,
)
