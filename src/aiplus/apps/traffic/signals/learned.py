"""A learned controller: a deep Q-network that scores each green stage of a junction.

The network sees one stage at a time through features any junction has (its share of the
junction's queue, of the vehicles about to arrive and of the pressure, its log queue, whether
it is the current stage and for how long, pedestrians classified as waiting), so one set of
weights drives any phase layout. Training
first imitates the look-ahead controller for a few episodes (a demonstration warm start), then
runs DQN with a target network and experience replay, alternating the shipped corridor
(two stages) and grid (four stages with protected left turns) at demand scales drawn from 0.6
to 1.4. Reward: minus the vehicles halting on the junction's approaches.
The weights ship as ``weights/learned_policy.pt`` with their SHA-256 beside them.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import deque
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from aiplus.apps.traffic.signals.controllers import Adaptive, Controller, Junction
from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_

WEIGHTS = Path(__file__).resolve().parent / "weights" / "learned_policy.pt"
CHECKSUM = WEIGHTS.with_suffix(".sha256")
FEATURES = 8


def junction_features(junction: Junction, now: float) -> torch.Tensor:
    """One row per stage. Counts are shares of the junction's totals (plus one log-scaled
    queue), so a policy trained on short urban links still reads long rural approaches."""
    lane = junction.detectors.lane
    count = len(junction.plan.stages)
    incoming = [junction.incoming(s) for s in range(count)]
    every = set().union(*incoming)
    halting = [sum(lane(x).halting for x in lanes) for lanes in incoming]
    arriving = [sum(lane(x).arriving(10.0) for x in lanes) for lanes in incoming]
    pressure = [junction.pressure(s) for s in range(count)]
    people = [junction.waiting_pedestrians(s) for s in range(count)]
    total_halting = sum(lane(x).halting for x in every) + 1
    total_arriving = sum(lane(x).arriving(10.0) for x in every) + 1
    total_pressure = sum(abs(p) for p in pressure) + 1
    green = min(junction.guard.green_for(now), 120.0) / 60
    rows = [[halting[s] / total_halting, arriving[s] / total_arriving,
             math.log1p(halting[s]) / 3, pressure[s] / total_pressure,
             float(s == junction.guard.stage), green if s == junction.guard.stage else 0.0,
             people[s] / (sum(people) + 1), len(incoming[s]) / max(len(every), 1)]
            for s in range(count)]
    return torch.tensor(rows, dtype=torch.float32)


class StageScorer(nn.Module):
    """Q-value of serving a stage, from that stage's features (shared across stages)."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(FEATURES, 64), nn.ReLU(), nn.Linear(64, 64),
                                 nn.ReLU(), nn.Linear(64, 1))

    def forward(self, stages: torch.Tensor) -> torch.Tensor:
        return self.net(stages).squeeze(-1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class LearnedController(Controller):
    """Greedy on the learned Q-values; while training, epsilon-greedy and recording."""

    name = "learned"

    def __init__(self, model: StageScorer, epsilon: float = 0.0,
                 recorder: Callable[[Junction, float, torch.Tensor, int], int] | None = None):
        self.model, self.epsilon, self.recorder = model, epsilon, recorder

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> LearnedController:
        if not path.is_file() or CHECKSUM.read_text().split()[0] != sha256(path):
            raise Unavailable(N_("The learned signal policy is missing or its checksum does "
                                 "not match; retrain it with 'aiplus traffic signals train'."))
        model = StageScorer()
        model.load_state_dict(torch.load(path, weights_only=True))
        model.eval()
        return cls(model)

    def choose(self, junction: Junction, now: float) -> int | None:
        features = junction_features(junction, now)
        if random.random() < self.epsilon:
            action = random.randrange(len(features))
        else:
            with torch.no_grad():
                action = int(self.model(features).argmax())
        if self.recorder:  # while training, the trainer may substitute its teacher's choice
            action = self.recorder(junction, now, features, action)
        return action


class Trainer:
    """Demonstration warm start, then DQN; every episode is one SUMO run."""

    def __init__(self, seed: int = 0) -> None:
        random.seed(seed)
        torch.manual_seed(seed)
        self.model, self.target = StageScorer(), StageScorer()
        self.target.load_state_dict(self.model.state_dict())
        self.optimiser = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.replay: deque = deque(maxlen=50_000)
        self.last: dict[str, tuple[torch.Tensor, int]] = {}
        self.teacher = Adaptive()
        self.demonstrations: list[tuple[torch.Tensor, int]] = []
        self.following = False
        self.episodes = 0

    def reward(self, junction: Junction) -> float:
        lanes = {link.incoming for link in junction.plan.links if not link.crossing}
        return -sum(junction.detectors.lane(x).halting for x in lanes) / 10

    def record(self, junction: Junction, now: float, features: torch.Tensor,
               action: int) -> int:
        tls = junction.plan.tls
        if tls in self.last:
            before, chosen = self.last[tls]
            self.replay.append((before, chosen, self.reward(junction), features))
        if self.following:
            action = self.teacher.choose(junction, now)
            self.demonstrations.append((features, action))
        self.last[tls] = (features, action)
        return action

    def imitate(self, epochs: int = 5) -> None:
        loss_of = nn.CrossEntropyLoss()
        for _ in range(epochs):
            random.shuffle(self.demonstrations)
            for features, action in self.demonstrations:
                loss = loss_of(self.model(features).unsqueeze(0), torch.tensor([action]))
                self.optimiser.zero_grad()
                loss.backward()
                self.optimiser.step()
        self.target.load_state_dict(self.model.state_dict())

    def learn(self, updates: int, batch: int = 64, gamma: float = 0.9) -> None:
        if len(self.replay) < batch:
            return
        for step in range(updates):
            sample = random.sample(self.replay, batch)
            before, _ = _pad([f for f, _, _, _ in sample])
            after, mask_after = _pad([n for _, _, _, n in sample])
            actions = torch.tensor([a for _, a, _, _ in sample])
            rewards = torch.tensor([r for _, _, r, _ in sample])
            q = self.model(before).gather(1, actions.unsqueeze(1)).squeeze(1)
            with torch.no_grad():
                best = self.target(after).masked_fill(~mask_after, -1e9).max(dim=1).values
                target = rewards + gamma * best
            loss = nn.functional.smooth_l1_loss(q, target)
            self.optimiser.zero_grad()
            loss.backward()
            self.optimiser.step()
            if step % 100 == 0:
                self.target.load_state_dict(self.model.state_dict())

    def episode(self, scale: float, seconds: int, epsilon: float) -> dict:
        from aiplus.apps.traffic.signals.scenario import corridor, grid
        from aiplus.apps.traffic.signals.simulation import run

        self.last = {}
        controller = LearnedController(self.model, epsilon, self.record)
        self.episodes += 1
        if self.episodes % 2:  # alternate two layouts: two-stage corridor, four-stage grid
            scenario = grid(seconds)
        else:
            shipped = corridor(seconds)  # vehicles only: people slow training down fivefold
            scenario = type(shipped)(shipped.name, shipped.net, shipped.routes[:1], 0, seconds)
        return run(scenario, controller, scale=scale).as_dict()


def _pad(rows: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack junctions with different numbers of stages; the mask marks real stages."""
    width = max(len(r) for r in rows)
    batch = torch.zeros(len(rows), width, FEATURES)
    mask = torch.zeros(len(rows), width, dtype=torch.bool)
    for i, r in enumerate(rows):
        batch[i, :len(r)], mask[i, :len(r)] = r, True
    return batch, mask


def train(episodes: int = 10, seconds: int = 600, out: Path = WEIGHTS,
          progress: Callable[[float, str], None] | None = None) -> list[dict]:
    """Train the policy and write its weights and checksum; return per-episode figures."""
    trainer, history = Trainer(), []
    warmup = max(2, episodes // 5)
    for number in range(episodes):
        scale = random.uniform(0.6, 1.4)
        trainer.following = number < warmup
        if trainer.following:  # demonstrations: the teacher drives, the network watches
            figures = trainer.episode(scale, seconds, epsilon=0.0)
            if number == warmup - 1:
                trainer.imitate()
        else:
            epsilon = max(0.05, 0.3 * (1 - (number - warmup) / max(episodes - warmup, 1)))
            figures = trainer.episode(scale, seconds, epsilon)
            trainer.learn(updates=300)
        figures["scale"] = round(scale, 2)
        history.append(figures)
        if progress:
            progress((number + 1) / episodes, json.dumps(figures))
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(trainer.model.state_dict(), out)
    out.with_suffix(".sha256").write_text(f"{sha256(out)}  {out.name}\n")
    return history
