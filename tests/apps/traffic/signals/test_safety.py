"""The safety wrapper: stages read from any program, and no controller can break the rules."""

import random
from types import SimpleNamespace

import pytest

from aiplus.apps.traffic.signals.plan import Link, SignalPlan, stages_of
from aiplus.apps.traffic.signals.safety import SafetyRules, SignalGuard, violations

pytestmark = pytest.mark.nodb

# netconvert's layout: two vehicle stages with crossings (16-19), each followed by a
# pedestrian-clearance phase and amber.
PROGRAM = [("gGGgrrrrgGGgrrrrrGrG", 37), ("gGGgrrrrgGGgrrrrrrrr", 5), ("yyyyrrrryyyyrrrrrrrr", 3),
           ("rrrrgGGgrrrrgGGgGrGr", 37), ("rrrrgGGgrrrrgGGgrrrr", 5), ("rrrryyyyrrrryyyyrrrr", 3)]


def plan() -> SignalPlan:
    links = tuple(Link(i, f"in{i}", f"out{i}", i >= 16) for i in range(20))
    return SignalPlan("J", stages_of(PROGRAM), links)


class Lights:
    """Stands in for a TraCI connection: records the states the guard writes."""

    def __init__(self) -> None:
        self.states: list[str] = []
        self.trafficlight = SimpleNamespace(setRedYellowGreenState=self.set)

    def set(self, _tls: str, state: str) -> None:
        self.states.append(state)


def test_stages_drop_clearance_tails_and_keep_protected_turns():
    assert [s.state for s in plan().stages] == ["gGGgrrrrgGGgrrrrrGrG", "rrrrgGGgrrrrgGGgGrGr"]
    cologne = [("rrrrrGGGggrrrrrGGGgg", 29), ("rrrrryyyggrrrrryyygg", 5),
               ("rrrrrrrrGGrrrrrrrrGG", 6), ("rrrrrrrryyrrrrrrrryy", 5)]
    assert len(stages_of(cologne)) == 2


@pytest.mark.parametrize("aware", [False, True])
def test_a_rogue_controller_cannot_break_the_rules(aware):
    rules = SafetyRules()
    guard = SignalGuard(Lights(), plan(), rules, pedestrian_aware=aware)
    guard.start(0.0, frozenset({16}))
    rng = random.Random(3)
    for now in range(1, 600):
        guard.request(rng.randrange(2), float(now))  # asks for a change every second
        guard.tick(float(now), frozenset({17}) if now % 50 < 20 else frozenset())
    assert len(guard.log) > 20
    assert violations(guard.log, guard.plan, rules) == []
    # every change of stage went through amber and all-red
    assert any("y" in state for _, state in guard.log)
    assert any(set(state) == {"r"} for _, state in guard.log)


def test_violations_are_found_in_an_unsafe_log():
    p, rules = plan(), SafetyRules()
    green_a, green_b = p.stages[0].state, p.stages[1].state
    found = violations([(0.0, green_a), (2.0, green_b)], p, rules)
    assert any("without amber" in f for f in found)
    short_amber = [(0.0, green_a), (10.0, p.amber(0, 1, green_a)), (11.0, green_b)]
    assert any("amber" in f for f in violations(short_amber, p, rules))


def test_pedestrian_aware_guard_gives_walk_only_on_demand_and_clears_it():
    rules = SafetyRules()
    guard = SignalGuard(Lights(), plan(), rules, pedestrian_aware=True)
    guard.start(0.0, frozenset({17}))
    assert guard.shown[17] == "G" and guard.shown[19] == "r"  # nobody waits at 19
    guard.tick(1.0, frozenset({17, 19}))
    assert guard.shown[19] == "r"  # a late arrival waits for the stage's next turn
    guard.request(1, 6.0)  # min green passed, but the walk has not
    assert not guard.in_transition
    guard.request(1, 8.0)
    guard.tick(8.0)
    assert guard.in_transition and guard.shown[17] == "r"  # pedestrian clearance first
    assert any(c in "Gg" for c in guard.shown[:16])  # while vehicles keep green
    for now in range(9, 20):
        guard.tick(float(now))
    assert guard.stage == 1
    assert violations(guard.log, guard.plan, rules) == []
