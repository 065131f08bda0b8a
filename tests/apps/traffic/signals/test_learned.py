"""The learned stage scorer: features for any phase layout, checked weights, reproducible
training."""

from pathlib import Path

import pytest
import torch

from aiplus.apps.traffic.signals.controllers import Junction
from aiplus.apps.traffic.signals.learned import (
    FEATURES,
    WEIGHTS,
    LearnedController,
    ServiceMemory,
    junction_features,
    sha256,
)
from aiplus.apps.traffic.signals.observe import LaneView
from aiplus.apps.traffic.signals.plan import Link, SignalPlan, Stage
from aiplus.apps.traffic.signals.safety import SafetyRules, SignalGuard
from aiplus.apps.traffic.signals.training import train
from aiplus.core.errors import Unavailable

pytestmark = pytest.mark.nodb


class Queues:
    """Stands in for the detectors: fixed queues per incoming lane, empty exits."""

    def __init__(self, halting: dict[str, int]) -> None:
        self.halting = halting

    def lane(self, lane: str) -> LaneView:
        count = self.halting.get(lane, 0)
        return LaneView(count, count, (), waiting_s=10.0 * count)

    def space(self, lane: str) -> float:
        return 20.0


def junction(stages: int, halting: dict[str, int]) -> Junction:
    """A junction whose stage ``s`` serves the single movement in{s} -> out{s}."""
    states = ["".join("G" if i == s else "r" for i in range(stages)) for s in range(stages)]
    plan = SignalPlan("J", tuple(Stage(state, 30.0) for state in states),
                      tuple(Link(i, f"in{i}", f"out{i}", False) for i in range(stages)))
    guard = SignalGuard(None, plan, SafetyRules(), stage=0, since=0.0)
    return Junction(plan, guard, Queues(halting), SafetyRules(), {})


@pytest.mark.parametrize("stages", [2, 3, 5])
def test_one_row_per_stage_whatever_the_layout(stages):
    rows = junction_features(junction(stages, {"in1": 12}), 20.0, ServiceMemory())
    assert rows.shape == (stages, FEATURES)
    queue = rows[:, 0]
    assert queue[1] > 0 and queue.sum() == queue[1]  # the queue belongs to stage 1 only
    assert rows[0, 8] == 1.0 and rows[1:, 8].sum() == 0  # the current-stage flag
    assert LearnedController.load().model(rows).shape == (stages,)


def test_the_shipped_policy_serves_a_long_queue_over_an_empty_green():
    policy = LearnedController.load()
    assert policy.choose(junction(4, {"in2": 25}), 30.0) == 2


def test_weights_with_a_wrong_checksum_are_refused(tmp_path):
    copy = tmp_path / "policy.pt"
    copy.write_bytes(WEIGHTS.read_bytes() + b"tampered")
    copy.with_suffix(".sha256").write_text(f"{sha256(WEIGHTS)}  policy.pt\n")
    with pytest.raises(Unavailable):
        LearnedController.load(copy)


def _train(out: Path) -> list[dict]:
    return train(episodes=2, seconds=60, out=out, updates=10, validation=(("grid", 1.0, 7),))


def test_training_is_reproducible_and_ships_a_checked_policy(tmp_path):
    first, second = tmp_path / "a" / "policy.pt", tmp_path / "b" / "policy.pt"
    history = _train(first)
    _train(second)
    assert sha256(first) == sha256(second)
    assert history[-1]["kept_episode"] == 1 and history[-1]["validation_delay_s"] >= 0
    assert all(run["safety_violations"] == 0 for run in history[:-1])
    loaded = LearnedController.load(first)
    assert torch.equal(next(loaded.model.parameters()),
                       torch.load(first, weights_only=True)["net.0.weight"])
