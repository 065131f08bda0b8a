"""Pedestrian awareness: who at a crossing is *waiting* to cross and who is only passing.

The watch sees what a kerbside camera tracker would: noisy positions once a second (0.3 m
noise is added to SUMO's exact positions), from which dwell time in the waiting area, speed,
stillness, distance to the crossing and heading towards it are computed. A logistic
regression on those features, trained on simulated people whose ground truth is whether they
then actually stepped onto the crossing, decides who is waiting. Its weights are plain JSON
(no pickle) and the controller gives a crossing its walk signal only for people it calls
waiting.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import traci.constants as tc

from aiplus.apps.traffic.signals.plan import SignalPlan

WEIGHTS = Path(__file__).resolve().parent / "weights" / "pedestrian_classifier.json"
FEATURES = ("dwell_s", "speed_now", "speed_3s", "still_s", "distance_m", "heading_alignment")
NOISE_M = 0.3


@dataclass(frozen=True)
class Crossing:
    tls: str
    index: int
    edge: str
    entry: tuple[float, float]
    direction: tuple[float, float]


@dataclass
class Track:
    points: deque = field(default_factory=lambda: deque(maxlen=6))
    road: str = ""
    since: float = 0.0
    still: float = 0.0


class Classifier:
    """Standardised logistic regression, loaded from and saved to JSON."""

    def __init__(self, mean, scale, coef, intercept: float, threshold: float = 0.5) -> None:
        self.mean, self.scale = np.asarray(mean), np.asarray(scale)
        self.coef, self.intercept, self.threshold = np.asarray(coef), intercept, threshold

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Classifier:
        data = json.loads(path.read_text())
        return cls(data["mean"], data["scale"], data["coef"], data["intercept"],
                   data.get("threshold", 0.5))

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def waiting(self, rows: np.ndarray) -> np.ndarray:
        return self.probability(rows) >= self.threshold


class PedestrianWatch:
    """Tracks people on the waiting areas of signalised crossings and classifies them."""

    def __init__(self, conn, areas: dict[str, list[Crossing]], classifier: Classifier | None,
                 seed: int = 0, record: bool = False) -> None:
        self.conn, self.areas, self.classifier = conn, areas, classifier
        self.tracks: dict[str, Track] = {}
        self.rng = np.random.default_rng(seed)
        self.record = record
        self.pending: dict[tuple[str, float], list[list[float]]] = defaultdict(list)
        self.samples: list[tuple[list[float], int]] = []
        self.crossing_edges = {c.edge for group in areas.values() for c in group}

    @classmethod
    def for_plans(cls, conn, plans: list[SignalPlan], record: bool = False) -> PedestrianWatch:
        areas: dict[str, list[Crossing]] = defaultdict(list)
        for plan in plans:
            for link in plan.links:
                if not link.crossing:
                    continue
                shape = conn.lane.getShape(link.outgoing)
                edge = conn.lane.getEdgeID(link.outgoing)
                for area in _neighbour_areas(conn, link.outgoing):
                    centre = np.mean(conn.lane.getShape(area), axis=0)
                    near, far = sorted((shape[0], shape[-1]),
                                       key=lambda p: math.dist(p, centre))
                    length = math.dist(near, far) or 1.0
                    areas[conn.lane.getEdgeID(area)].append(Crossing(plan.tls, link.index, edge, tuple(near), (
                        (far[0] - near[0]) / length, (far[1] - near[1]) / length)))
        return cls(conn, dict(areas), None if record else Classifier.load(), record=record)

    def update(self, now: float) -> dict[str, dict[int, int]]:
        """Observe everyone; return, per traffic light, people waiting per crossing index."""
        for person in self.conn.simulation.getDepartedPersonIDList():
            self.conn.person.subscribe(person, (tc.VAR_ROAD_ID, tc.VAR_POSITION))
        rows, where = [], []
        seen = self.conn.person.getAllSubscriptionResults()
        for person, values in seen.items():
            road = values[tc.VAR_ROAD_ID]
            x, y = values[tc.VAR_POSITION]
            track = self.tracks.setdefault(person, Track())
            if road != track.road:
                self._visit_ended(person, track, road)
                track.road, track.since, track.still = road, now, 0.0
            noise = self.rng.normal(0.0, NOISE_M, 2)
            track.points.append((now, x + noise[0], y + noise[1]))
            if road not in self.areas or len(track.points) < 2:
                continue
            features, crossing = self._features(track, now, self.areas[road])
            if self.record:
                self.pending[(person, track.since)].append(features)
            else:
                rows.append(features)
                where.append(crossing)
        for gone in set(self.tracks) - set(seen):
            del self.tracks[gone]
        waiting: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        if rows and self.classifier is not None:
            for crossing, yes in zip(where, self.classifier.waiting(np.array(rows)), strict=True):
                if yes:
                    waiting[crossing.tls][crossing.index] += 1
        return waiting

    def _features(self, track: Track, now: float, crossings: list[Crossing]):
        (t1, x1, y1), (t0, x0, y0) = track.points[-1], track.points[-2]
        speed_now = math.hypot(x1 - x0, y1 - y0) / max(t1 - t0, 1.0)
        ta, xa, ya = track.points[max(0, len(track.points) - 4)]
        moved = math.hypot(x1 - xa, y1 - ya)
        speed_3s = moved / max(t1 - ta, 1.0)
        if speed_now < 0.3:
            track.still += 1.0
        crossing = min(crossings, key=lambda c: math.dist(c.entry, (x1, y1)))
        heading = ((x1 - xa) / moved, (y1 - ya) / moved) if moved > 0.5 else (0.0, 0.0)
        to_far = (crossing.direction[0] * heading[0] + crossing.direction[1] * heading[1])
        return [now - track.since, speed_now, speed_3s, track.still,
                math.dist(crossing.entry, (x1, y1)), to_far], crossing

    def _visit_ended(self, person: str, track: Track, road: str) -> None:
        rows = self.pending.pop((person, track.since), None)
        if rows:
            crossed = int(road in self.crossing_edges)
            self.samples.extend((row, crossed) for row in rows)


def _neighbour_areas(conn, crossing_lane: str) -> list[str]:
    """The walking areas at both ends of a crossing (its waiting areas)."""
    after = [lane for lane, *_ in conn.lane.getLinks(crossing_lane)]
    before = [lane for lane in conn.lane.getIDList()
              if lane.startswith(":") and "_w" in lane
              and any(to == crossing_lane for to, *_ in conn.lane.getLinks(lane))]
    return sorted(set(after) | set(before))
