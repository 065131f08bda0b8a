"""A learned controller: one small network scores every green stage of any junction.

The network sees one stage at a time, as a row of features every junction has whatever its
phase layout: the stage's incoming queue and waiting time, the vehicles that will reach its
stop lines within 10 s, how many of them it could discharge into the space downstream, the
occupancy of its outgoing lanes, its max-pressure weight, how long since it was last served,
whether it is showing now and for how long, people classified as waiting for its crossings,
plus two junction-wide figures (total queue, number of stages). Counts are scaled by fixed
constants, not by the junction's totals, so a stage on a large map reads the same as one on
the small training networks. The same weights score every stage of every junction; the stage
with the highest Q-value is requested. Training lives in
:mod:`aiplus.apps.traffic.signals.training`; the weights ship as ``weights/learned_policy.pt``
with their SHA-256 beside them and load with ``weights_only=True``.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from aiplus.apps.traffic.signals.controllers import SATURATION_FLOW, Controller, Junction
from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_

WEIGHTS = Path(__file__).resolve().parent / "weights" / "learned_policy.pt"
CHECKSUM = WEIGHTS.with_suffix(".sha256")
FEATURES = 14
LOOK_AHEAD = 10.0  # seconds of arrivals a stage's row counts


class ServiceMemory:
    """When each stage of each junction last showed green (what a stage's row cannot see)."""

    def __init__(self) -> None:
        self.last: dict[str, list[float]] = {}

    def since_served(self, junction: Junction, now: float) -> list[float]:
        count = len(junction.plan.stages)
        last = self.last.setdefault(junction.plan.tls, [now] * count)
        if not junction.guard.in_transition:
            last[junction.guard.stage] = now
        return [now - t for t in last]


def junction_features(junction: Junction, now: float, memory: ServiceMemory) -> torch.Tensor:
    """One row of :data:`FEATURES` numbers per green stage of ``junction``."""
    lane, space = junction.detectors.lane, junction.detectors.space
    count = len(junction.plan.stages)
    since = memory.since_served(junction, now)
    every = {link.incoming for link in junction.plan.links if not link.crossing}
    total_halting = sum(lane(x).halting for x in every)
    green = min(junction.guard.green_for(now), 120.0) / 60
    rows = []
    for s in range(count):
        exits: dict[str, set[str]] = {}
        for incoming, outgoing in junction.movements(s):
            exits.setdefault(incoming, set()).add(outgoing)
        outgoing = set().union(*exits.values()) if exits else set()
        halting = sum(lane(x).halting for x in exits)
        arriving = sum(lane(x).arriving(LOOK_AHEAD) for x in exits)
        # vehicles the stage could clear in the look-ahead: per lane, the queue and arrivals,
        # no more than saturation flow allows and no more than fits downstream
        clearable = sum(min(lane(x).halting + lane(x).arriving(LOOK_AHEAD),
                            SATURATION_FLOW * LOOK_AHEAD, sum(space(o) for o in out))
                        for x, out in exits.items())
        capacity = sum(space(o) + lane(o).vehicles for o in outgoing)
        occupancy = sum(lane(o).vehicles for o in outgoing) / capacity if capacity else 0.0
        waiting = sum(lane(x).waiting_s for x in exits)
        current = s == junction.guard.stage
        rows.append([
            halting / 10, math.log1p(halting) / 3, arriving / 10, clearable / 10, occupancy,
            junction.pressure(s) / 10, math.log1p(waiting / 10) / 5,
            min(since[s], 240.0) / 120, float(current), green if current else 0.0,
            math.log1p(junction.waiting_pedestrians(s)), len(exits) / 4,
            total_halting / 20, count / 4])
    return torch.tensor(rows, dtype=torch.float32)


class StageScorer(nn.Module):
    """Q-value of requesting a stage, from that stage's row (weights shared by all stages)."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(FEATURES, 64), nn.ReLU(), nn.Linear(64, 64),
                                 nn.ReLU(), nn.Linear(64, 1))

    def forward(self, stages: torch.Tensor) -> torch.Tensor:
        return self.net(stages).squeeze(-1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


Recorder = Callable[[Junction, float, torch.Tensor, int], int]


class LearnedController(Controller):
    """Greedy on the learned Q-values; while training, epsilon-greedy and recording."""

    name = "learned"

    def __init__(self, model: StageScorer, epsilon: float = 0.0,
                 recorder: Recorder | None = None, rng: random.Random | None = None):
        self.model, self.epsilon, self.recorder = model, epsilon, recorder
        self.rng = rng or random.Random(0)
        self.memory = ServiceMemory()

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> LearnedController:
        checksum = path.with_suffix(".sha256")
        if not path.is_file() or not checksum.is_file() or \
                checksum.read_text().split()[0] != sha256(path):
            raise Unavailable(N_("The learned signal policy is missing or its checksum does "
                                 "not match; retrain it with 'aiplus traffic signals train'."))
        model = StageScorer()
        model.load_state_dict(torch.load(path, weights_only=True))
        model.eval()
        return cls(model)

    def choose(self, junction: Junction, now: float) -> int | None:
        features = junction_features(junction, now, self.memory)
        if self.epsilon and self.rng.random() < self.epsilon:
            action = self.rng.randrange(len(features))
        else:
            with torch.no_grad():
                action = int(self.model(features).argmax())
        if self.recorder:  # while training, the trainer may substitute its teacher's choice
            action = self.recorder(junction, now, features, action)
        return action
