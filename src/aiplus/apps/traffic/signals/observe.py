"""What the detectors see each second: per-lane queues and vehicles about to arrive.

Lane and vehicle values come through TraCI subscriptions (one round trip per step instead of
one per lane), which keeps large maps such as ingolstadt21 fast enough to benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

import traci.constants as tc

LANE_VARS = (tc.LAST_STEP_VEHICLE_NUMBER, tc.LAST_STEP_VEHICLE_HALTING_NUMBER,
             tc.LAST_STEP_VEHICLE_ID_LIST, tc.VAR_WAITING_TIME)
VEHICLE_VARS = (tc.VAR_LANEPOSITION, tc.VAR_SPEED)
VEHICLE_SPACING = 7.5


@dataclass(frozen=True)
class LaneView:
    vehicles: int
    halting: int
    etas: tuple[float, ...]  # seconds to the stop line of each moving vehicle
    waiting_s: float = 0.0  # seconds the lane's vehicles have been standing (SUMO's sum)

    def arriving(self, horizon: float) -> int:
        return sum(1 for eta in self.etas if eta <= horizon)


EMPTY = LaneView(0, 0, ())


class Detectors:
    """Subscribes to the lanes around the signals and to every vehicle in the network."""

    def __init__(self, conn, lanes: set[str]) -> None:
        self.conn = conn
        self.lengths = {}
        for lane in lanes:
            conn.lane.subscribe(lane, LANE_VARS)
            self.lengths[lane] = conn.lane.getLength(lane)
        self.lanes: dict[str, LaneView] = {}

    def update(self) -> None:
        for vehicle in self.conn.simulation.getDepartedIDList():
            self.conn.vehicle.subscribe(vehicle, VEHICLE_VARS)
        vehicles = self.conn.vehicle.getAllSubscriptionResults()
        views = {}
        for lane, values in self.conn.lane.getAllSubscriptionResults().items():
            length, etas = self.lengths[lane], []
            for vid in values[tc.LAST_STEP_VEHICLE_ID_LIST]:
                data = vehicles.get(vid)
                if data and data[tc.VAR_SPEED] > 0.1:
                    etas.append((length - data[tc.VAR_LANEPOSITION]) / data[tc.VAR_SPEED])
            views[lane] = LaneView(values[tc.LAST_STEP_VEHICLE_NUMBER],
                                   values[tc.LAST_STEP_VEHICLE_HALTING_NUMBER], tuple(etas),
                                   values[tc.VAR_WAITING_TIME])
        self.lanes = views

    def lane(self, lane: str) -> LaneView:
        return self.lanes.get(lane, EMPTY)

    def space(self, lane: str) -> float:
        """Vehicles that still fit on a lane (7.5 m a vehicle, gaps included)."""
        return max(self.lengths.get(lane, 0.0) / VEHICLE_SPACING - self.lane(lane).vehicles, 0.0)
