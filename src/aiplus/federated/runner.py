"""One federated experiment end to end: split, scale, train three ways, score, write results.

The three ways are those the issue asks to compare on the same held-out test rows: each
participant alone (local-only), the federation (Flower, simulated or deployed), and all data
pooled (centralised; what FL tries to match without pooling).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.ethics.fairness import fairness_report
from aiplus.federated import boosting, networks, privacy
from aiplus.federated.data import Moments, Scaler, Schema, Shard, compress, to_shard
from aiplus.federated.metrics import auc, ks
from aiplus.federated.partition import Partitioning, split
from aiplus.federated.plan import Plan
from aiplus.federated.server.app import JOURNAL_FILE, TREES_FILE, WEIGHTS_FILE

RESULTS_FILE = "results.json"
THRESHOLD = 0.5
"""Scores at or above this are read as 'likely to default' for the fairness figures."""
PREDICTIONS_FILE = "predictions.csv"
Launcher = Callable[[Plan, str], None]
Scorer = Callable[[np.ndarray], np.ndarray]


@dataclass
class Experiment:
    train: pd.DataFrame
    test: pd.DataFrame
    label: str
    participants: int = 5
    partitioning: Partitioning = field(default_factory=lambda: Partitioning("iid"))
    model: str = "lr"
    strategy: str = "fedavg"
    proximal_mu: float = 0.01
    rounds: int = 5
    local_epochs: int = 1
    secagg: bool = False
    dp_epsilon: float | None = None
    dp_clip: float = 1.0
    faults: str = ""
    seed: int = 0

    def validate(self) -> None:
        if self.model not in networks.MODEL_KINDS:
            raise ValidationFailed(N_("Unknown model {model}: use lr, mlp or xgb."),
                                   model=self.model)
        if self.strategy not in ("fedavg", "fedprox"):
            raise ValidationFailed(N_("Unknown strategy {strategy}: use fedavg or fedprox."),
                                   strategy=self.strategy)
        if not 1 <= self.rounds <= 100:
            raise ValidationFailed(N_("Rounds must be from 1 to 100."))
        if self.dp_epsilon is not None and self.dp_epsilon <= 0:
            raise ValidationFailed(N_("The privacy budget epsilon must be above 0."))
        if self.model == "xgb" and (self.secagg or self.dp_epsilon):
            raise ValidationFailed(N_("Secure aggregation and differential privacy apply to "
                                      "the weight models (lr, mlp), not to trees (xgb)."))
        if not Plan(participants=self.participants, faults=self.faults).faults_valid():
            raise ValidationFailed(N_("Unknown drill {faults}: use PARTICIPANT:KIND with KIND "
                                      "nan, poison, dropout or schema."), faults=self.faults)
        if self.secagg and self.participants < 3:
            raise ValidationFailed(N_("Secure aggregation needs at least 3 participants."))


def prepare(exp: Experiment, folder: Path) -> tuple[Schema, list[Shard], Shard]:
    """Write each participant's shard to ``folder``; return the schema, shards and test."""
    schema = Schema.infer(exp.train, exp.label)
    schema.check(exp.test, "test")
    parts = split(exp.train, exp.label, exp.participants, exp.partitioning, exp.seed)
    scaler = Scaler.from_moments([Moments.of(compress(p, schema)) for p in parts])
    shards = [to_shard(p, schema, scaler) for p in parts]
    for index, shard in enumerate(shards):
        shard.save(folder / f"partition-{index}.npz")
    return schema, shards, to_shard(exp.test, schema, scaler)


def train_alone(exp: Experiment, shard: Shard, plan: Plan) -> Scorer:
    """Same model, same epochs (or boosting rounds) as the federation, on one body of data."""
    if exp.model == "xgb":
        booster = boosting.boost(shard, exp.rounds * boosting.TREES_PER_ROUND, seed=exp.seed)
        return lambda x: boosting.score(booster, x)
    model = networks.build(exp.model, plan.n_features, exp.seed)
    networks.train(model, shard, networks.TrainSettings(epochs=exp.rounds * exp.local_epochs,
                                                    seed=exp.seed))
    return lambda x: networks.score(model, x)


def federated_scorer(plan: Plan, server_dir: Path) -> Scorer:
    """The federation's final model as the coordinator saved it."""
    if plan.model == "xgb":
        trees = (server_dir / TREES_FILE).read_bytes()
        return lambda x: boosting.score(trees, x)
    model = networks.build(plan.model, plan.n_features)
    with np.load(server_dir / WEIGHTS_FILE) as saved:
        networks.set_weights(model, [saved[k] for k in saved.files])
    return lambda x: networks.score(model, x)


def _score(scorer: Scorer, test: Shard) -> dict[str, float | None]:
    scores = scorer(test.x)
    return {"auc": auc(test.y, scores), "ks": ks(test.y, scores)}


def pooled(shards: list[Shard]) -> Shard:
    return Shard(*(np.concatenate([getattr(s, f) for s in shards]) for f in
                   ("x", "y", "ids", "sex")))


def wire_log(wire_dir: Path) -> list[dict[str, object]]:
    """Every message the participants sent, as their wire taps described it."""
    return [json.loads(line) for path in sorted(wire_dir.glob("*.jsonl"))
            for line in path.read_text().splitlines()]


def run(exp: Experiment, out_dir: Path, launch: Launcher,
        baselines: bool = True) -> dict[str, object]:
    """Run the experiment; ``launch`` is the simulation or the loopback deployment."""
    exp.validate()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aiplus-fl-") as tmp:
        work = Path(tmp)
        (work / "wire").mkdir()
        schema, shards, test = prepare(exp, work)
        noise = privacy.noise_for(exp.dp_epsilon, exp.rounds) if exp.dp_epsilon else 0.0
        plan = Plan(model=exp.model, strategy=exp.strategy,
                    proximal_mu=exp.proximal_mu if exp.strategy == "fedprox" else 0.0,
                    rounds=exp.rounds, participants=exp.participants,
                    n_features=len(schema.features), local_epochs=exp.local_epochs,
                    data_dir=str(work), out_dir=str(work / "server"), secagg=exp.secagg,
                    dp_noise_multiplier=noise, dp_clip=exp.dp_clip if exp.dp_epsilon else 0.0,
                    faults=exp.faults, seed=exp.seed)
        started = time.perf_counter()
        launch(plan, str(work / "wire"))
        elapsed = time.perf_counter() - started
        federated = federated_scorer(plan, work / "server")
        journal = json.loads((work / "server" / JOURNAL_FILE).read_text())
        wire = wire_log(work / "wire")
        saved = TREES_FILE if exp.model == "xgb" else WEIGHTS_FILE
        artefact = "model" + Path(saved).suffix
        shutil.copyfile(work / "server" / saved, out_dir / artefact)
    scores = federated(test.x)
    results: dict[str, object] = {
        "model": exp.model, "strategy": exp.strategy, "partition": str(exp.partitioning),
        "rounds": exp.rounds, "participants": exp.participants, "secagg": exp.secagg,
        "features": list(schema.features), "label": exp.label, "artefact": artefact,
        "federated": {"auc": auc(test.y, scores), "ks": ks(test.y, scores)},
        "bytes_sent": {"to_coordinator": sum(int(m["bytes"]) for m in wire),
                       "to_participants": sum(r["bytes_down"] for r in journal)},
        "time_s": round(elapsed, 2),
        "privacy": {"epsilon": round(privacy.epsilon(noise, exp.rounds), 3) if noise else None,
                    "delta": privacy.DELTA if noise else None,
                    "noise_multiplier": round(noise, 4), "clipping_norm": plan.dp_clip,
                    "accountant": "opacus RDP" if noise else None},
        "journal": journal,
        "wire": wire,
        "incidents": incidents_of(journal),
        "fairness": fairness_by_sex(test, scores),
        "participants_detail": [],
    }
    for index, shard in enumerate(shards):
        row = {"participant": index, "rows": len(shard),
               "default_rate": round(float(shard.y.mean()), 4)}
        if baselines:
            row["local_only"] = _score(train_alone(exp, shard, plan), test)
        results["participants_detail"].append(row)  # type: ignore[union-attr]
    if baselines:
        results["centralised"] = _score(train_alone(exp, pooled(shards), plan),
                                        test)
    (out_dir / RESULTS_FILE).write_text(json.dumps(results, indent=1))
    pd.DataFrame({"id": test.ids, "score": np.round(scores, 6)}).to_csv(
        out_dir / PREDICTIONS_FILE, index=False)
    return results


def fairness_by_sex(test: Shard, scores: np.ndarray) -> dict[str, object]:
    """Sex is not a feature, but proxies can carry it: compare groups on the test rows."""
    if not np.all(np.isfinite(scores)):
        return {}
    report = fairness_report(test.y.astype(int), (scores >= THRESHOLD).astype(int),
                             sensitive=pd.DataFrame({"SEX": test.sex}), y_score=scores,
                             bootstrap=100)
    return {"threshold": THRESHOLD, "groups": report["groups"],
            "disparities": report["disparities"]}


def incidents_of(journal: list[dict]) -> list[dict[str, object]]:
    """Rejected updates and failed participants, one line each, for the incident log."""
    found: list[dict[str, object]] = []
    for entry in journal:
        for item in entry["rejected"]:
            found.append({"round": entry["round"], "participant": item["participant"],
                          "kind": item["reason"]})
        for reason in entry["failures"]:
            found.append({"round": entry["round"], "participant": None, "kind": "failure",
                          "reason": reason})
    return found
