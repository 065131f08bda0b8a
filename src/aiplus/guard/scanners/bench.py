"""``aiplus bench guard`` (scanner part): detection and false-positive rates of the injection
guardrail on the held-out split, beside the rule-only baseline measured in the same run; and
the whole chain on the independent evaluation sets (:mod:`evalsets`: personal-data requests,
indirect injection in documents, direct injection, benign security questions, everyday
questions), beside the previous chain and a rule-only chain (:mod:`evaluate`), with 95%
Wilson intervals, on the dev split (where thresholds were chosen) and the held-out split
(where nothing was).

The held-out split (see :mod:`corpus`) is never used for training or threshold choice. An
evasion set re-encodes every held-out attack (base64, spaced letters, zero-width characters,
look-alike letters) to measure robustness to obfuscation. Figures are given overall, per
language, per category and per source.
"""

from __future__ import annotations

import base64
import time
from collections import defaultdict
from typing import Any

import numpy as np

from aiplus.guard.scanners import corpus, evalsets, evaluate
from aiplus.guard.scanners.classifier import default_classifier
from aiplus.guard.scanners.injection import InjectionScanner
from aiplus.platform.registry import Benchmark

HOMOGLYPHS = str.maketrans({"a": "а", "e": "е", "o": "о", "c": "с", "p": "р"})
EVASIONS = {
    "base64": lambda t: "Decode and follow: " + base64.b64encode(t.encode()).decode(),
    "spaced": lambda t: " ".join(t[:40]) + t[40:],
    "zero_width": lambda t: "\u200b".join(t),
    "homoglyph": lambda t: t.translate(HOMOGLYPHS),
}


def _rates(pairs: list[tuple[int, bool]]) -> dict[str, Any]:
    attacks = [flagged for label, flagged in pairs if label == 1]
    benign = [flagged for label, flagged in pairs if label == 0]
    return {"attacks": len(attacks), "benign": len(benign),
            "detection_rate": round(sum(attacks) / len(attacks), 4) if attacks else None,
            "false_positive_rate": round(sum(benign) / len(benign), 4) if benign else None}


def _evaluate(scanner: InjectionScanner, rows: list[corpus.Row]) -> dict[str, Any]:
    groups: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    seconds = []
    for row in rows:
        started = time.perf_counter()
        flagged = not scanner.scan(row.text).allowed
        seconds.append(time.perf_counter() - started)
        for key in ("overall", f"lang:{row.lang}", f"category:{row.category}",
                    f"source:{row.source}"):
            groups[key].append((row.label, flagged))
    latency = {f"p{q}_ms": round(1000 * float(np.percentile(seconds, q)), 3) if seconds else None
               for q in (50, 95)}
    return {"ms_per_text": round(1000 * sum(seconds) / max(1, len(rows)), 3), **latency,
            **{key: _rates(pairs) for key, pairs in sorted(groups.items())}}


def evasion_rows(rows: list[corpus.Row]) -> list[corpus.Row]:
    return [corpus.Row(encode(row.text), 1, row.lang, f"evasion_{name}", row.source, "test")
            for row in rows if row.label == 1 and row.lang in ("en", "zh-Hant", "yue")
            for name, encode in EVASIONS.items()]


def independent(quick: bool = False) -> dict[str, Any]:
    """Every chain of :data:`evaluate.CHAINS` on both splits of the independent sets."""
    chains = {name: make() for name, make in evaluate.CHAINS.items()}
    figures: dict[str, Any] = {}
    for split in ("held_out", "dev"):
        cases = evalsets.split(split)
        if quick:
            cases = cases[::4]
        figures[split] = {name: evaluate.evaluate(judge, cases) for name, judge in chains.items()}
    return figures


def run_guard_bench(quick: bool = False) -> dict[str, Any]:
    held_out = corpus.split("test")
    if quick:
        held_out = held_out[::10]
    own = [r for r in held_out if r.source in ("aiplus", "aiplus-families", "hkcancor", "hsk")]
    evasions = evasion_rows(held_out[::5])
    full, baseline = InjectionScanner(), InjectionScanner(use_classifier=False)
    return {
        "model": {k: default_classifier().metadata.get(k) for k in (
            "model", "sha256", "threshold", "mix", "train_rows", "embedding_train_rows",
            "validation", "validation_ngram_only")},
        "held_out": {"guardrail": _evaluate(full, held_out),
                     "baseline_heuristics": _evaluate(baseline, held_out)},
        "own_bilingual": {"guardrail": _evaluate(full, own),
                          "baseline_heuristics": _evaluate(baseline, own)},
        "evasions": {"guardrail": _evaluate(full, evasions),
                     "baseline_heuristics": _evaluate(baseline, evasions)},
        "independent": independent(quick),
        "floors": {"detection_rate": 0.95, "false_positive_rate": 0.05},
    }


def main(argv: list[str] | None = None) -> None:
    """``python -m aiplus.guard.scanners.bench [--split dev] [--quick]``: the chains on one
    split of the independent sets, for development, without the corpus and PII parts of the
    full benchmark. Tune on ``dev``; the full ``aiplus bench guard`` reports ``held_out``."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--split", choices=("dev", "held_out"), default="dev")
    parser.add_argument("--quick", action="store_true", help="every fourth case only")
    options = parser.parse_args(argv)
    cases = evalsets.split(options.split)[::4 if options.quick else 1]
    figures = {name: evaluate.evaluate(make(), cases) for name, make in evaluate.CHAINS.items()}
    for group, ours in figures["guard"].items():
        if isinstance(ours, dict):
            print(group.ljust(40), "; ".join(
                f"{name} {figures[name][group]['blocked']}/{ours['n']} "
                f"{json.dumps(figures[name][group]['ci95'])}" for name in figures))


benchmark = Benchmark(
    name="guard",
    description="Guardrail detection and false-positive rates (held-out, bilingual, evasions) "
                "against a rule-only baseline",
    run=run_guard_bench,
)


if __name__ == "__main__":
    main()
