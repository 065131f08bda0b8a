"""Signals benchmark: every controller on the shipped corridor and grid and the RESCO maps of the
installed ``sumo-rl`` package, delay beside fixed-time and max-pressure in the same run, the
safety log re-checked, and the pedestrian classifier's precision/recall on held-out people.

Floor (issue 10): the adaptive controller no worse than max-pressure on any map, better on
most. Runs are independent SUMO processes, so they run in parallel across the CPU cores.
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from aiplus.apps.traffic.signals.scenario import Scenario, corridor, grid, resco

CONTROLLERS = ("fixed", "actuated", "maxpressure", "adaptive", "learned")
FULL_MAPS = ("cologne1", "cologne3", "cologne8", "ingolstadt1", "ingolstadt7",
             "arterial4x4", "grid4x4")
TOLERANCE = 0.02  # "no worse" allows 2 % of simulation noise


def scenarios(quick: bool) -> list[Scenario]:
    if quick:
        return [corridor(600), grid(600), resco("cologne1", 900)]
    return [corridor(3600), grid(3600), *(resco(name, 3600) for name in FULL_MAPS)]


def _one(job: tuple[Scenario, str, bool | None]) -> dict[str, Any]:
    from aiplus.apps.traffic.signals.simulation import run

    scenario, controller, aware = job
    started = time.perf_counter()
    figures = run(scenario, controller, pedestrian_aware=aware).as_dict()
    figures["pedestrian_aware"] = aware
    figures["wall_s"] = round(time.perf_counter() - started, 1)
    return figures


def _compare(runs: list[dict[str, Any]]) -> dict[str, Any]:
    table: dict[str, dict[str, dict]] = {}
    for figures in runs:
        if figures["pedestrian_aware"] is None:
            table.setdefault(figures["scenario"], {})[figures["controller"]] = figures
    summary = {}
    for name, by in table.items():
        mp, fixed = by["maxpressure"]["average_delay_s"], by["fixed"]["average_delay_s"]
        summary[name] = {
            controller: {"delay_s": f["average_delay_s"],
                         "vs_fixed_pct": round(100 * (f["average_delay_s"] - fixed) / fixed, 1),
                         "vs_maxpressure_pct": round(
                             100 * (f["average_delay_s"] - mp) / mp, 1)}
            for controller, f in by.items()}
    floors = {}
    for controller in ("adaptive", "learned"):
        ratios = [summary[n][controller]["delay_s"] / summary[n]["maxpressure"]["delay_s"]
                  for n in summary if controller in summary[n]]
        floors[controller] = {
            "no_worse_than_maxpressure_on_any_map": all(r <= 1 + TOLERANCE for r in ratios),
            "better_than_maxpressure_on_maps": sum(r < 1 for r in ratios),
            "maps": len(ratios)}
    return {"delay": summary, "floors": floors}


def run_signals_bench(quick: bool = False) -> dict[str, Any]:
    """Every controller on every scenario, then the pedestrian classifier; JSON-ready."""
    from aiplus.apps.traffic.signals.pedestrian_training import evaluate, held_out
    from aiplus.apps.traffic.signals.pedestrians import Classifier

    started = time.perf_counter()
    chosen = scenarios(quick)
    jobs: list[tuple[Scenario, str, bool | None]] = [
        (s, c, None) for s in chosen for c in CONTROLLERS]
    # pedestrian awareness on the corridor: the same controller with and without it
    jobs.append((chosen[0], "adaptive", False))
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        runs = list(pool.map(_one, jobs))
    result = _compare(runs)
    result["runs"] = runs
    aware = next(r for r in runs if r["scenario"] == chosen[0].name
                 and r["controller"] == "adaptive" and r["pedestrian_aware"] is None)
    blind = next(r for r in runs if r["pedestrian_aware"] is False)
    result["pedestrian_awareness"] = {
        "corridor_pedestrian_delay_s": {"aware": aware["pedestrian_delay_s"],
                                        "unaware": blind["pedestrian_delay_s"]},
        "corridor_vehicle_delay_s": {"aware": aware["average_delay_s"],
                                     "unaware": blind["average_delay_s"]}}
    rows, truth = held_out(600 if quick else 1800)
    result["pedestrian_classifier"] = evaluate(Classifier.load(), rows, truth)
    result["quick"] = quick
    result["safety_violations"] = sum(r["safety_violations"] for r in runs)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return json.loads(json.dumps(result))
