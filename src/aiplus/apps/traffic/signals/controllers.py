"""Signal controllers. Each one looks at a junction and names the green stage it wants;
the :class:`~aiplus.apps.traffic.signals.safety.SignalGuard` decides when it gets it.

All of them read only the junction's own plan and detectors, so they run unchanged on any
network and phase layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiplus.apps.traffic.signals.observe import Detectors
from aiplus.apps.traffic.signals.plan import SignalPlan
from aiplus.apps.traffic.signals.safety import SafetyRules, SignalGuard

SATURATION_FLOW = 0.5  # vehicles per second per lane leaving a queue on green


@dataclass
class Junction:
    """What a controller may see: the plan, the guard's state, detectors and pedestrians."""

    plan: SignalPlan
    guard: SignalGuard
    detectors: Detectors
    rules: SafetyRules
    pedestrians: dict[int, int]  # crossing signal index -> people classified as waiting

    def movements(self, stage: int) -> set[tuple[str, str]]:
        return {(link.incoming, link.outgoing) for link in self.plan.served(stage)}

    def incoming(self, stage: int) -> set[str]:
        return {link.incoming for link in self.plan.served(stage)}

    def waiting_pedestrians(self, stage: int) -> int:
        green = self.plan.stages[stage].green
        return sum(n for i, n in self.pedestrians.items() if i in green)

    def pressure(self, stage: int) -> float:
        """Max-pressure weight: vehicles upstream minus downstream, over served movements."""
        lane = self.detectors.lane
        return float(sum(lane(i).vehicles - lane(o).vehicles for i, o in self.movements(stage)))


class Controller:
    """Names the stage a junction should show next; ``None`` keeps the current one."""

    name = "controller"

    def choose(self, junction: Junction, now: float) -> int | None:
        raise NotImplementedError


class FixedTime(Controller):
    """The network's own programmed cycle: each stage for its programmed green time."""

    name = "fixed"

    def choose(self, junction: Junction, now: float) -> int | None:
        stage = junction.guard.stage
        if junction.guard.green_for(now) >= junction.plan.stages[stage].programmed:
            return (stage + 1) % len(junction.plan.stages)
        return None


class Actuated(Controller):
    """Gap-out actuation: extend green while vehicles keep arriving, then serve the next
    stage in cycle order that has someone waiting."""

    name = "actuated"
    gap = 3.0

    def choose(self, junction: Junction, now: float) -> int | None:
        stage = junction.guard.stage
        if any(junction.detectors.lane(lane).arriving(self.gap)
               for lane in junction.incoming(stage)):
            return None
        count = len(junction.plan.stages)
        for step in range(1, count):
            candidate = (stage + step) % count
            lanes = junction.incoming(candidate)
            if junction.waiting_pedestrians(candidate) or any(
                    junction.detectors.lane(lane).vehicles for lane in lanes):
                return candidate
        return None


class MaxPressure(Controller):
    """Varaiya's max-pressure: serve the stage with the largest upstream-minus-downstream
    vehicle count (the RESCO baseline to beat)."""

    name = "maxpressure"

    def choose(self, junction: Junction, now: float) -> int | None:
        stages = range(len(junction.plan.stages))
        return max(stages, key=lambda s: (junction.pressure(s), s == junction.guard.stage))


class Adaptive(Controller):
    """Max-pressure with look-ahead: weighs queues and the vehicles that will reach the stop
    line within the look-ahead, charges a switch the lost time of amber and all-red, and adds
    pedestrians classified as waiting, so it neither switches for a gap nor holds a green
    that no longer serves anyone."""

    name = "adaptive"
    horizon = 10.0
    pedestrian_weight = 1.0

    def value(self, junction: Junction, stage: int, now: float) -> float:
        current = stage == junction.guard.stage
        lost = 0.0 if current else junction.rules.lost_time
        window = max(self.horizon - lost, 1.0)
        lane, space = junction.detectors.lane, junction.detectors.space
        exits: dict[str, set[str]] = {}
        for incoming, outgoing in junction.movements(stage):
            exits.setdefault(incoming, set()).add(outgoing)
        served = 0.0
        for incoming, outgoing in exits.items():
            view = lane(incoming)
            demand = view.halting + view.arriving(window)
            # nobody is served into a full street: the look-ahead stops at downstream space
            room = sum(space(o) for o in outgoing)
            served += min(demand, SATURATION_FLOW * window, room)
        downstream = sum(lane(o).vehicles for _, o in junction.movements(stage))
        upstream = sum(lane(i).vehicles for i, _ in junction.movements(stage))
        pressure = upstream - downstream
        # people waiting count for the stages that would open their crossing next; a walk
        # missed in the current stage only comes back after a change, so it never holds one
        people = 0 if current else junction.waiting_pedestrians(stage)
        return served + 0.1 * pressure + self.pedestrian_weight * people

    def choose(self, junction: Junction, now: float) -> int | None:
        stages = range(len(junction.plan.stages))
        return max(stages, key=lambda s: (self.value(junction, s, now),
                                          s == junction.guard.stage))


CONTROLLERS: dict[str, type[Controller]] = {
    c.name: c for c in (FixedTime, Actuated, MaxPressure, Adaptive)}
