"""Trains and evaluates the waiting-vs-passing classifier on simulated people.

Training uses the shipped corridor demand; evaluation uses a fresh pedestrian demand drawn
with another seed, so the figures are on people the model never saw. Ground truth is what
each person then did: stepped onto the crossing (waiting to cross) or walked on (passing).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_score, recall_score
from sklearn.preprocessing import StandardScaler

from aiplus.apps.traffic.signals.netbuild import pedestrian_demand
from aiplus.apps.traffic.signals.pedestrians import FEATURES, WEIGHTS, PedestrianWatch
from aiplus.apps.traffic.signals.plan import read_plan
from aiplus.apps.traffic.signals.scenario import Scenario, corridor, start_sumo, sumo_binary


def collect(scenario: Scenario, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Features and ground truth of every second someone spent in a waiting area, with the
    network's own signal program running."""
    label = f"pedestrian-data-{seed}-{id(scenario)}"
    conn = start_sumo([sumo_binary(), "-n", str(scenario.net), "-r",
                       ",".join(map(str, scenario.routes)), "-e", str(scenario.seconds),
                       "--no-step-log", "--no-warnings", "--seed", str(seed)], label)
    try:
        plans = [read_plan(conn, tls) for tls in conn.trafficlight.getIDList()]
        watch = PedestrianWatch.for_plans(conn, plans, record=True)
        watch.rng = np.random.default_rng(seed)
        while conn.simulation.getTime() < scenario.seconds:
            conn.simulationStep()
            watch.update(conn.simulation.getTime())
    finally:
        conn.close()
    rows = np.array([row for row, _ in watch.samples], dtype=float)
    return rows, np.array([label for _, label in watch.samples])


def held_out(seconds: int, seed: int = 99) -> tuple[np.ndarray, np.ndarray]:
    shipped = corridor(seconds)
    with tempfile.TemporaryDirectory(prefix="aiplus-peds-") as folder:
        people = pedestrian_demand(shipped.net, Path(folder) / "people.xml", seconds, seed)
        return collect(Scenario("corridor-held-out", shipped.net, (people,), 0, seconds), seed)


def evaluate(model, rows: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    predicted = model.waiting(rows)
    return {"precision": round(float(precision_score(truth, predicted)), 4),
            "recall": round(float(recall_score(truth, predicted)), 4),
            "accuracy": round(float((predicted == truth).mean()), 4),
            "waiting_share": round(float(truth.mean()), 4), "samples": len(truth)}


def train(seconds: int = 1800, out: Path = WEIGHTS) -> dict:
    """Fit the classifier, write its JSON weights and return held-out figures."""
    from aiplus.apps.traffic.signals.pedestrians import Classifier

    rows, truth = collect(corridor(seconds), seed=1)
    scaler = StandardScaler().fit(rows)
    fitted = LogisticRegression(max_iter=1000, class_weight="balanced").fit(
        scaler.transform(rows), truth)
    model = Classifier(scaler.mean_, scaler.scale_, fitted.coef_[0], float(fitted.intercept_[0]))
    test_rows, test_truth = held_out(seconds)
    metrics = evaluate(model, test_rows, test_truth)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({
        "features": FEATURES, "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
        "coef": fitted.coef_[0].tolist(), "intercept": float(fitted.intercept_[0]),
        "threshold": 0.5, "held_out": metrics, "train_samples": len(truth)}, indent=1))
    return metrics
