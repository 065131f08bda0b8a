"""Run one controller on one scenario in SUMO and measure it.

Delay is SUMO's tripinfo ``timeLoss`` over every vehicle, those still in the network at the
end included (``write-unfinished``), so a controller cannot look good by gridlocking traffic.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import traci
from lxml import etree

from aiplus.apps.traffic.signals.controllers import Controller, Junction
from aiplus.apps.traffic.signals.observe import Detectors
from aiplus.apps.traffic.signals.plan import read_plan
from aiplus.apps.traffic.signals.safety import SafetyRules, SignalGuard, violations
from aiplus.apps.traffic.signals.scenario import (
    Scenario,
    ScenarioError,
    check,
    start_sumo,
    sumo_binary,
)
from aiplus.core.i18n import N_

PEDESTRIAN_AWARE = {"adaptive", "learned"}


@dataclass(frozen=True)
class RunResult:
    scenario: str
    controller: str
    seconds: int
    vehicles: int
    arrived: int
    average_delay_s: float
    average_queue: float
    throughput_per_hour: float
    pedestrians: int
    pedestrian_delay_s: float
    teleports: int
    safety_violations: int

    def as_dict(self) -> dict:
        return asdict(self)


def make_controller(name: str) -> Controller:
    from aiplus.apps.traffic.signals.controllers import CONTROLLERS

    if name == "learned":
        from aiplus.apps.traffic.signals.learned import LearnedController

        return LearnedController.load()
    if name not in CONTROLLERS:
        raise ScenarioError(N_("Unknown controller {name}; choose one of {choices}."), name=name,
                            choices=", ".join([*CONTROLLERS, "learned"]))
    return CONTROLLERS[name]()


class Simulation:
    """A running SUMO instance with a guard and a controller on every traffic light."""

    def __init__(self, scenario: Scenario, controller: Controller, rules: SafetyRules,
                 tripinfo: Path, pedestrian_aware: bool, seed: int = 42,
                 scale: float = 1.0) -> None:
        lights = check(scenario)
        self.scenario, self.controller, self.rules = scenario, controller, rules
        self.label = f"signals-{uuid.uuid4().hex}"
        command = [
            sumo_binary(), "-n", str(scenario.net), "-r", ",".join(map(str, scenario.routes)),
            "-b", str(scenario.begin), "-e", str(scenario.begin + scenario.seconds),
            "--tripinfo-output", str(tripinfo), "--tripinfo-output.write-unfinished",
            "--no-step-log", "--no-warnings", "--seed", str(seed),
            "--time-to-teleport", "300", "--scale", str(scale)]
        try:
            self.conn = start_sumo(command, self.label)
        except (traci.exceptions.TraCIException, traci.exceptions.FatalTraCIError) as exc:
            raise ScenarioError(N_("SUMO could not load the scenario: {reason}"),
                                reason=_why_sumo_failed(command)) from exc
        self.now = float(scenario.begin)
        plans = [read_plan(self.conn, tls) for tls in lights]
        plans = [p for p in plans if len(p.stages) > 1]
        lanes = {x for p in plans for link in p.links for x in (link.incoming, link.outgoing)}
        self.detectors = Detectors(self.conn, lanes)
        self.pedestrians = None
        if pedestrian_aware and any(p.crossings for p in plans):
            from aiplus.apps.traffic.signals.pedestrians import PedestrianWatch

            self.pedestrians = PedestrianWatch.for_plans(self.conn, plans)
        self.junctions = [
            Junction(p, SignalGuard(self.conn, p, rules, pedestrian_aware), self.detectors,
                     rules, {}) for p in plans]
        for junction in self.junctions:
            junction.guard.start(self.now)
        self.queue_sum, self.samples, self.teleports = 0.0, 0, 0

    def step(self) -> None:
        self.conn.simulationStep()
        self.now = self.conn.simulation.getTime()
        self.teleports += self.conn.simulation.getStartingTeleportNumber()
        self.detectors.update()
        waiting = self.pedestrians.update(self.now) if self.pedestrians else {}
        for junction in self.junctions:
            junction.pedestrians = waiting.get(junction.plan.tls, {})
            if junction.guard.ready(self.now):
                wanted = self.controller.choose(junction, self.now)
                if wanted is not None:
                    junction.guard.request(wanted, self.now)
            junction.guard.tick(self.now, frozenset(junction.pedestrians))
        queue = sum(self.detectors.lane(lane).halting for lane in {
            link.incoming for j in self.junctions for link in j.plan.links if not link.crossing})
        self.queue_sum += queue
        self.samples += 1

    def close(self) -> None:
        try:
            self.conn.close()
        except traci.exceptions.FatalTraCIError:
            pass


def _why_sumo_failed(command: list[str]) -> str:
    """SUMO's own words: TraCI only sees the socket close, so load again without it."""
    import subprocess

    again = list(command)
    again[again.index("-e") + 1] = again[again.index("-b") + 1]  # load, do not simulate
    try:
        done = subprocess.run(again, capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        return "timeout"
    lines = [line for line in done.stderr.splitlines() if line.startswith("Error")]
    return " ".join(lines)[:500] or done.stderr[-500:]


def run(scenario: Scenario, controller: str | Controller, tripinfo: Path | None = None,
        rules: SafetyRules | None = None, pedestrian_aware: bool | None = None,
        progress: Callable[[float], None] | None = None, scale: float = 1.0,
        seed: int = 42) -> RunResult:
    """Simulate ``scenario`` under a controller (a name or an instance), return its figures.
    ``scale`` and ``seed`` vary the demand, for training on draws the benchmark never uses."""
    if isinstance(controller, str):
        controller = make_controller(controller)
    controller_name = controller.name
    rules = rules or SafetyRules()
    aware = controller_name in PEDESTRIAN_AWARE if pedestrian_aware is None else pedestrian_aware
    with tempfile.TemporaryDirectory(prefix="aiplus-signals-") as scratch:
        out = tripinfo or Path(scratch) / "tripinfo.xml"
        sim = Simulation(scenario, controller, rules, out, aware, seed=seed, scale=scale)
        try:
            end = scenario.begin + scenario.seconds
            while sim.now < end - 1:
                sim.step()
                if progress and int(sim.now) % 60 == 0:
                    progress((sim.now - scenario.begin) / scenario.seconds)
        except traci.exceptions.FatalTraCIError as exc:
            raise ScenarioError(N_("SUMO stopped at {time} s of simulated time (often a "
                                   "vehicle whose route the network cannot carry)."),
                                time=int(sim.now)) from exc
        finally:
            sim.close()
        breaches = sum(len(violations(j.guard.log, j.plan, rules)) for j in sim.junctions)
        return _measure(out, scenario, controller_name, sim, breaches)


def _measure(tripinfo: Path, scenario: Scenario, controller: str, sim: Simulation,
             breaches: int) -> RunResult:
    root = etree.parse(str(tripinfo)).getroot()
    trips = root.findall("tripinfo")
    arrived = [t for t in trips if float(t.get("arrival", "-1")) >= 0]
    delays = [float(t.get("timeLoss", 0)) for t in trips]
    walks = [float(w.get("timeLoss", 0)) for w in root.iterfind("personinfo/walk")]
    hours = scenario.seconds / 3600
    return RunResult(
        scenario=scenario.name, controller=controller, seconds=scenario.seconds,
        vehicles=len(trips), arrived=len(arrived),
        average_delay_s=round(sum(delays) / len(delays), 2) if delays else 0.0,
        average_queue=round(sim.queue_sum / max(sim.samples, 1), 2),
        throughput_per_hour=round(len(arrived) / hours, 1),
        pedestrians=len(walks),
        pedestrian_delay_s=round(sum(walks) / len(walks), 2) if walks else 0.0,
        teleports=sim.teleports, safety_violations=breaches)
