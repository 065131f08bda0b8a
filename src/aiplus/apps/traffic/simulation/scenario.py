"""What happens on one simulated day: demand by day type, rain spells and incidents.

Demand follows Hong Kong patterns: weekday morning peak towards the east (the business
district), evening peak back west, a broad Saturday midday, quiet Sundays; public holidays
(``holidays``, HK calendar) run like Sundays. Rain lowers speeds and adds trips; an incident
is a broken-down vehicle blocking one lane for a while. All draws come from a seeded
generator per day, so a data set is reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from aiplus.apps.traffic.forecasting.calendar import SUNDAY, day_type
from aiplus.apps.traffic.simulation.network import JUNCTIONS, MAIN_EDGES

INTERVAL_S = 900
RAIN_SPEED_FACTOR = 0.6
RAIN_DEMAND_FACTOR = 1.1


def _bump(hour: float, centre: float, width: float) -> float:
    return math.exp(-((hour - centre) ** 2) / (2 * width**2))


@dataclass
class DayPlan:
    day: date
    kind: int
    """Day of week, with public holidays as Sunday (6)."""
    scale: float
    rain: list[tuple[int, int, float]] = field(default_factory=list)
    """(start s, end s, mm per hour)."""
    incidents: list[tuple[str, int, int, int]] = field(default_factory=list)
    """(edge, lane, start s, duration s)."""

    def through_rate(self, hour: float, eastbound: bool) -> float:
        """Vehicles per hour entering at one end of the corridor."""
        if self.kind < 5:
            morning, evening = (950, 450) if eastbound else (450, 950)
            rate = (250 + 350 * _bump(hour, 13, 3.5) + morning * _bump(hour, 8.6, 1.0)
                    + evening * _bump(hour, 18.4, 1.3))
        elif self.kind == 5:
            rate = 220 + 800 * _bump(hour, 13.5, 3.0)
        else:
            rate = 150 + 550 * _bump(hour, 15, 3.2)
        night = 0.25 + 0.75 * (1 / (1 + math.exp(-(hour - 6.3) * 2.5)))
        return rate * night * self.scale * (RAIN_DEMAND_FACTOR if self.raining(hour) else 1.0)

    def raining(self, hour: float) -> bool:
        return any(start <= hour * 3600 < end for start, end, _ in self.rain)

    def rainfall(self, seconds: np.ndarray) -> np.ndarray:
        """Rainfall (mm/h) at each second of the day."""
        out = np.zeros(len(seconds))
        for start, end, mm in self.rain:
            out[(seconds >= start) & (seconds < end)] = mm
        return out


def plan(day: date, seed: int) -> DayPlan:
    """Draw one day's scenario from a generator seeded by the seed and the date."""
    rng = np.random.default_rng([seed, day.toordinal()])
    kind = int(day_type(pd.DatetimeIndex([pd.Timestamp(day)]))[0])
    result = DayPlan(day, kind, scale=float(rng.normal(1.0, 0.07)))
    if rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 3))):
            start = int(rng.integers(0, 22 * 3600))
            result.rain.append((start, start + int(rng.integers(1800, 4 * 3600)),
                                float(rng.gamma(2.0, 6.0))))
    for _ in range(int(rng.poisson(0.9 if kind != SUNDAY else 0.5))):
        edge = str(rng.choice(MAIN_EDGES))
        result.incidents.append((edge, int(rng.integers(0, 2)),
                                 int(rng.integers(6 * 3600, 22 * 3600)),
                                 int(rng.integers(15, 75) * 60)))
    return result


def side_streets() -> list[int]:
    return list(range(1, JUNCTIONS - 1))
