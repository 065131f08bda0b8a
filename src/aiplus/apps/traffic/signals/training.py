"""Training the learned stage scorer: deep Q-learning from demonstrations (DQfD-style).

Why this recipe: plain DQN trained for minutes on two small networks learned to hold one stage
and lost to fixed time everywhere. Here an expert — the look-ahead ``adaptive`` rule — labels
every state the learner visits, and the loss adds to the double-DQN temporal-difference error a
large-margin term that keeps the expert's stage at least ``MARGIN`` above the others (Hester et
al., "Deep Q-learning from Demonstrations", 2018). Episodes first follow the expert only, then
hand control to the learner (epsilon-greedy), so it also sees and is corrected on its own
mistakes. Reward: minus the vehicles halting on the junction's approaches, per second.

Data: the shipped corridor (two stages, vehicles only: people slow training fivefold) and grid
(four stages with protected lefts) at demand scales drawn from 0.6 to 1.4 and fresh SUMO seeds.
The checkpoint kept is the one with the lowest delay on a validation draw (other seeds and
scales of the same two networks); the RESCO maps are never seen in training or selection.
"""

from __future__ import annotations

import json
import random
from collections import deque
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from aiplus.apps.traffic.signals.controllers import Adaptive, Junction
from aiplus.apps.traffic.signals.learned import (
    FEATURES,
    WEIGHTS,
    LearnedController,
    StageScorer,
    sha256,
)
from aiplus.apps.traffic.signals.scenario import Scenario, corridor, grid

GAMMA = 0.95  # per simulated second: a horizon of about 20 s
MARGIN = 0.5
VALIDATION = (("corridor", 1.3, 9001), ("grid", 0.8, 9002))  # (network, scale, SUMO seed)


def network(name: str, seconds: int) -> Scenario:
    """A training network: the corridor without its pedestrians, or the grid."""
    if name == "grid":
        return grid(seconds)
    shipped = corridor(seconds)
    return Scenario(shipped.name, shipped.net, shipped.routes[:1], 0, seconds)


class Trainer:
    """Collects transitions from SUMO episodes and fits the scorer to them."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        torch.manual_seed(seed)
        self.model, self.target = StageScorer(), StageScorer()
        self.target.load_state_dict(self.model.state_dict())
        self.optimiser = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.replay: deque = deque(maxlen=40_000)
        self.last: dict[str, tuple[torch.Tensor, int, int, float]] = {}
        self.expert = Adaptive()
        self.follow = 1.0  # probability that the expert's stage is the one requested
        self.updates = 0

    def record(self, junction: Junction, now: float, features: torch.Tensor,
               action: int) -> int:
        """Called at every decision: close the previous transition, label this state."""
        label = int(self.expert.choose(junction, now))
        tls = junction.plan.tls
        if tls in self.last:
            before, chosen, expert, then = self.last[tls]
            elapsed = max(now - then, 1.0)
            lanes = {link.incoming for link in junction.plan.links if not link.crossing}
            halting = sum(junction.detectors.lane(x).halting for x in lanes)
            self.replay.append((before, chosen, expert, -halting * elapsed / 100,
                                features, GAMMA ** elapsed))
        if self.rng.random() < self.follow:
            action = label
        self.last[tls] = (features, action, label, now)
        return action

    def learn(self, updates: int, batch: int = 64) -> None:
        if len(self.replay) < batch:
            return
        for _ in range(updates):
            sample = self.rng.sample(self.replay, batch)
            before, mask_before = _pad([row[0] for row in sample])
            after, mask_after = _pad([row[4] for row in sample])
            actions = torch.tensor([row[1] for row in sample])
            labels = torch.tensor([row[2] for row in sample])
            rewards = torch.tensor([row[3] for row in sample], dtype=torch.float32)
            discounts = torch.tensor([row[5] for row in sample], dtype=torch.float32)
            q_all = self.model(before).masked_fill(~mask_before, -1e9)
            q = q_all.gather(1, actions.unsqueeze(1)).squeeze(1)
            with torch.no_grad():  # double DQN: the online net picks, the target net values
                pick = self.model(after).masked_fill(~mask_after, -1e9).argmax(dim=1)
                value = self.target(after).gather(1, pick.unsqueeze(1)).squeeze(1)
                target = rewards + discounts * value
            margins = torch.full_like(q_all, MARGIN).scatter(1, labels.unsqueeze(1), 0.0)
            expert_q = q_all.gather(1, labels.unsqueeze(1)).squeeze(1)
            supervised = ((q_all + margins).max(dim=1).values - expert_q).mean()
            loss = nn.functional.smooth_l1_loss(q, target) + supervised
            self.optimiser.zero_grad()
            loss.backward()
            self.optimiser.step()
            self.updates += 1
            if self.updates % 200 == 0:
                self.target.load_state_dict(self.model.state_dict())

    def episode(self, name: str, scale: float, seed: int, seconds: int,
                epsilon: float) -> dict:
        from aiplus.apps.traffic.signals.simulation import run

        self.last = {}
        controller = LearnedController(self.model, epsilon, self.record, self.rng)
        return run(network(name, seconds), controller, scale=scale, seed=seed).as_dict()


def _pad(rows: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack junctions with different numbers of stages; the mask marks real stages."""
    width = max(len(r) for r in rows)
    batch = torch.zeros(len(rows), width, FEATURES)
    mask = torch.zeros(len(rows), width, dtype=torch.bool)
    for i, r in enumerate(rows):
        batch[i, :len(r)], mask[i, :len(r)] = r, True
    return batch, mask


def validation_delay(model: StageScorer | None, seconds: int,
                     draws: tuple[tuple[str, float, int], ...] = VALIDATION) -> float:
    """Mean delay on the validation draws (never the benchmark maps) of the greedy policy,
    or of the expert when ``model`` is None."""
    from aiplus.apps.traffic.signals.simulation import run

    if model is not None:
        model.eval()
    delays = [run(network(name, seconds), LearnedController(model) if model else Adaptive(),
                  scale=scale, seed=seed).average_delay_s for name, scale, seed in draws]
    if model is not None:
        model.train()
    return sum(delays) / len(delays)


def train(episodes: int = 18, seconds: int = 400, out: Path = WEIGHTS, seed: int = 0,
          progress: Callable[[float, str], None] | None = None,
          updates: int = 300,
          validation: tuple[tuple[str, float, int], ...] = VALIDATION) -> list[dict]:
    """Train, keep the best checkpoint on validation, write weights and checksum; return
    per-episode figures (the last entry: the validation delays and the checkpoint kept).
    ``updates``: gradient steps after each episode (seven times as many after the expert's);
    ``validation``: the (network, demand scale, SUMO seed) draws that pick the checkpoint."""
    torch.set_num_threads(1)  # small batches: threads cost more than they give, and results
    trainer, history = Trainer(seed), []  # stay reproducible
    demonstrations = max(2, episodes // 4)
    best: tuple[float, dict | None, int] = (float("inf"), None, -1)
    for number in range(episodes):
        name = ("corridor", "grid")[number % 2]
        scale = round(trainer.rng.uniform(0.6, 1.4), 2)
        sumo_seed = trainer.rng.randrange(1, 9000)
        own = max(number - demonstrations + 1, 0) / max(episodes - demonstrations, 1)
        trainer.follow = 1.0 if number < demonstrations else max(0.0, 0.5 - own)
        epsilon = 0.0 if number < demonstrations else 0.1 * (1 - own) + 0.02
        figures = trainer.episode(name, scale, sumo_seed, seconds, epsilon)
        if number == demonstrations - 1:
            trainer.learn(updates=7 * updates)  # pre-training on the expert's episodes
        elif number >= demonstrations:
            trainer.learn(updates=updates)
        figures.update(scale=scale, seed=sumo_seed, follow=round(trainer.follow, 2))
        if number >= demonstrations - 1 and (episodes - 1 - number) % 3 == 0:
            delay = validation_delay(trainer.model, seconds, validation)
            figures["validation_delay_s"] = round(delay, 2)
            if delay < best[0]:
                state = {k: v.clone() for k, v in trainer.model.state_dict().items()}
                best = (figures["validation_delay_s"], state, number)
        history.append(figures)
        if progress:
            progress((number + 1) / episodes, json.dumps(figures))
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(best[1] or trainer.model.state_dict(), out)
    out.with_suffix(".sha256").write_text(f"{sha256(out)}  {out.name}\n")
    expert = validation_delay(None, seconds, validation)
    history.append({"kept_episode": best[2], "validation_delay_s": round(best[0], 2),
                    "expert_validation_delay_s": round(expert, 2)})
    return history
