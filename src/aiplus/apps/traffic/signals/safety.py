"""The safety wrapper every controller goes through.

Controllers only *ask* for a green stage. The guard decides when the lights may actually
change and writes every light state itself: a stage keeps green for at least ``min_green``;
crossings that were green get ``ped_walk`` seconds of walk and then ``ped_clearance`` seconds
of red while vehicles still flow; links losing green show amber for ``amber`` seconds and the
junction is all-red for ``all_red`` seconds before the next stage. ``max_green`` stops any
controller from starving the other approaches. ``violations`` re-checks a guard's log, so the
benchmark proves the rules held rather than trusting the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from aiplus.apps.traffic.signals.plan import GREEN, SignalPlan


@dataclass(frozen=True)
class SafetyRules:
    min_green: float = 5.0
    amber: float = 3.0
    all_red: float = 2.0
    ped_walk: float = 7.0
    ped_clearance: float = 5.0
    max_green: float = 90.0

    @property
    def lost_time(self) -> float:
        return self.amber + self.all_red


@dataclass
class SignalGuard:
    """Owns one traffic light's state; turns stage requests into safe light sequences."""

    conn: object
    plan: SignalPlan
    rules: SafetyRules
    pedestrian_aware: bool = False
    stage: int = 0
    since: float = 0.0
    walk_since: float | None = None
    shown: str = ""
    pending: list[tuple[str, float]] = field(default_factory=list)
    target: int | None = None
    log: list[tuple[float, str]] = field(default_factory=list)

    def start(self, now: float, demand: frozenset[int] = frozenset()) -> None:
        self.since = now
        self._show(now, self._green_state(demand, now))

    @property
    def in_transition(self) -> bool:
        return self.target is not None

    def green_for(self, now: float) -> float:
        return 0.0 if self.in_transition else now - self.since

    def ready(self, now: float) -> bool:
        """May a controller's request for another stage be granted now?"""
        if self.in_transition or now - self.since < self.rules.min_green:
            return False
        return self.walk_since is None or now - self.walk_since >= self.rules.ped_walk

    def request(self, stage: int, now: float) -> None:
        """Ask for ``stage``; ignored unless the rules allow a change now."""
        if stage == self.stage or not self.ready(now):
            return
        sequence = []
        if any(self.shown[i] in GREEN for i in self.plan.crossings):
            sequence.append((self.plan.crossings_off(self.shown), self.rules.ped_clearance))
        before = sequence[-1][0] if sequence else self.shown
        amber = self.plan.amber(self.stage, stage, before)
        if amber != before:
            sequence.append((amber, self.rules.amber))
        sequence.append((self.plan.all_red(self.stage, stage, amber), self.rules.all_red))
        self.pending, self.target, self.walk_since = [], stage, None
        end = now
        for state, duration in sequence:
            self.pending.append((state, end))
            end += duration
        self.pending.append(("", end))  # the green of the target stage, built when reached

    def tick(self, now: float, demand: frozenset[int] = frozenset()) -> None:
        """Advance time: run the transition, or refresh crossings of the current green."""
        if self.target is not None:
            while self.pending and self.pending[0][1] <= now:
                state, _ = self.pending.pop(0)
                if state:
                    self._show(now, state)
                else:
                    self.stage, self.target, self.since = self.target, None, now
                    self._show(now, self._green_state(demand, now))
            return
        if now - self.since >= self.rules.max_green and self.ready(now):
            self.request((self.stage + 1) % len(self.plan.stages), now)
            return self.tick(now, demand)
        self._show(now, self._green_state(demand, now))

    def _green_state(self, demand: frozenset[int], now: float) -> str:
        """The stage's state; aware of pedestrians, a crossing turns green only on demand."""
        state = self.plan.stages[self.stage].state
        if self.pedestrian_aware:
            # a walk starts only as the stage turns green, so people never stretch a green
            # the vehicles no longer need; later arrivals wait for the stage's next turn
            opening = now - self.since < 1.0
            lit = {i for i, c in enumerate(self.shown) if c in GREEN}
            state = "".join(
                "r" if i in self.plan.crossings and not (
                    i in lit or (opening and i in demand)) else c
                for i, c in enumerate(state))
        if self.walk_since is None and any(state[i] in GREEN for i in self.plan.crossings):
            self.walk_since = now
        return state

    def _show(self, now: float, state: str) -> None:
        if state != self.shown:
            self.conn.trafficlight.setRedYellowGreenState(self.plan.tls, state)
            self.shown = state
            self.log.append((now, state))


def violations(log: list[tuple[float, str]], plan: SignalPlan, rules: SafetyRules) -> list[str]:
    """Every breach of the rules in a guard's log (empty when the guard did its job)."""
    found = []
    for (t0, before), (t1, after) in pairwise(log):
        for i, (a, b) in enumerate(zip(before, after, strict=True)):
            if a in GREEN and b == "r" and i not in plan.crossings:
                found.append(f"{plan.tls}@{t1}: link {i} went from green to red without amber")
            if a == "y" and b != "r":
                found.append(f"{plan.tls}@{t1}: link {i} left amber to '{b}', not red")
            if a == "y" and b == "r" and t1 - t0 < rules.amber:
                found.append(f"{plan.tls}@{t1}: amber of link {i} lasted {t1 - t0:.0f} s")
            if a == "r" and b in GREEN and i not in plan.crossings:
                started = max((t for t, s in log if t < t1 and s[i] in "y"), default=None)
                if started is not None and t1 - started < rules.amber + rules.all_red:
                    found.append(f"{plan.tls}@{t1}: link {i} got green before all-red ended")
    greens = [(t, s) for t, s in log if "y" not in s and any(
        s[i] in GREEN for i in range(len(s)) if i not in plan.crossings)]
    for (t0, s0), (t1, _) in pairwise(greens):
        vehicle = {i for i, c in enumerate(s0) if c in GREEN and i not in plan.crossings}
        ended = [t for t, s in log if t > t0 and any(s[i] == "y" for i in vehicle)]
        if ended and ended[0] <= t1 and ended[0] - t0 < rules.min_green:
            found.append(f"{plan.tls}@{t0}: green ended after {ended[0] - t0:.0f} s")
    return found
