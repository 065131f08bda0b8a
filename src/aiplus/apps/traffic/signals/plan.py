"""The phase layout of one signalised junction, read from the network itself.

Controllers choose among *green stages*; they never write light states. Stages, the amber and
all-red states between them and the links each stage serves are derived here from whatever
program the network carries, so every controller works on any junction and any phase layout
without per-map tuning.
"""

from __future__ import annotations

from dataclasses import dataclass

GREEN = "Gg"


@dataclass(frozen=True)
class Link:
    """One signal index: a movement from an incoming to an outgoing lane (or a crossing)."""

    index: int
    incoming: str
    outgoing: str
    crossing: bool


@dataclass(frozen=True)
class Stage:
    """A green stage: a light state and the signal indices it serves."""

    state: str
    programmed: float

    @property
    def green(self) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self.state) if c in GREEN)


@dataclass(frozen=True)
class SignalPlan:
    """Stages, links and crossings of one traffic light."""

    tls: str
    stages: tuple[Stage, ...]
    links: tuple[Link, ...]

    @property
    def crossings(self) -> frozenset[int]:
        return frozenset(link.index for link in self.links if link.crossing)

    def served(self, stage: int) -> list[Link]:
        """Vehicle links that get green in a stage."""
        green = self.stages[stage].green
        return [link for link in self.links if link.index in green and not link.crossing]

    def amber(self, start: int, end: int, shown: str) -> str:
        """Amber between two stages: links losing green turn yellow (crossings turn red)."""
        target = self.stages[end].state
        return "".join(
            c if c not in GREEN or target[i] in GREEN
            else ("r" if i in self.crossings else "y")
            for i, c in enumerate(shown))

    def all_red(self, start: int, end: int, shown: str) -> str:
        """All-red: only links green in both stages keep going."""
        target = self.stages[end].state
        return "".join(c if c in GREEN and target[i] in GREEN else "r"
                       for i, c in enumerate(shown))

    def crossings_off(self, shown: str) -> str:
        """The state with every crossing red (pedestrian clearance, or no one waiting)."""
        return "".join("r" if i in self.crossings else c for i, c in enumerate(shown))


def stages_of(phases: list[tuple[str, float]]) -> tuple[Stage, ...]:
    """Green stages of a program: phases with green and no amber, minus sub-stages.

    A phase whose green links all appear, with the same priority, in a larger phase is the
    tail of that phase (e.g. the pedestrian-clearance phase netconvert writes) and is not
    offered as a stage of its own.
    """
    greens = [(s, d) for s, d in phases if any(c in GREEN for c in s) and "y" not in s.lower()]
    unique: dict[str, float] = {}
    for state, duration in greens:
        unique[state] = unique.get(state, 0.0) + duration
    kept = []
    for state, duration in unique.items():
        mine = {i for i, c in enumerate(state) if c in GREEN}
        covered = any(
            other != state and mine < {i for i, c in enumerate(other) if c in GREEN}
            and all(other[i] == state[i] for i in mine)
            for other in unique)
        if not covered:
            kept.append(Stage(state, duration))
    return tuple(kept)


def read_plan(conn, tls: str) -> SignalPlan:
    """Build the plan of ``tls`` from a live TraCI connection."""
    logic = conn.trafficlight.getAllProgramLogics(tls)[0]
    phases = [(p.state, float(p.duration)) for p in logic.phases]
    links = []
    for index, group in enumerate(conn.trafficlight.getControlledLinks(tls)):
        if not group:
            continue
        incoming, outgoing, _via = group[0]
        links.append(Link(index, incoming, outgoing, _is_crossing(conn, outgoing)))
    return SignalPlan(tls, stages_of(phases), tuple(links))


def _is_crossing(conn, lane: str) -> bool:
    """A pedestrian crossing link leads onto a lane that only pedestrians may use."""
    return tuple(conn.lane.getAllowed(lane)) == ("pedestrian",)
