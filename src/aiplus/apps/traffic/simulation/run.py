"""Simulate days of the corridor in SUMO and read back journey times, detectors and rain.

Each day is an independent SUMO run (so days run in parallel and a long data set is a
matter of minutes): flows every 15 minutes from the day's demand, a variable speed sign per
main lane for rain, a blocking vehicle per incident, ``edgeData`` every 2 minutes (the
Journey Time Indicator cadence) and an induction loop per main lane every 5 minutes.
"""

from __future__ import annotations

import subprocess
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from aiplus.apps.traffic.simulation.network import (
    MAIN_EDGES,
    MAIN_SPEED,
    ROUTES,
    SPACING_M,
    binary,
    build,
)
from aiplus.apps.traffic.simulation.scenario import (
    INTERVAL_S,
    RAIN_SPEED_FACTOR,
    DayPlan,
    plan,
    side_streets,
)

EDGE_PERIOD_S = 120
DETECTOR_PERIOD_S = 300
DAY_S = 86400
FREE_FLOW_S = SPACING_M / MAIN_SPEED


@dataclass
class SimulatedData:
    """Series in the shapes the real feeds give, indexed by Hong Kong local time."""

    journey_minutes: pd.DataFrame
    """Every 2 minutes, one column per route (J1…)."""
    detectors: pd.DataFrame
    """Every 5 minutes: detector, lane, speed (km/h, NaN when no vehicle), volume, occupancy."""
    rainfall: pd.Series
    """Every 5 minutes, mm per hour."""
    plans: list[DayPlan]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.journey_minutes.to_csv(folder / "journey_times.csv.gz")
        self.detector_speeds().round(1).to_csv(folder / "detector_speeds.csv.gz")
        self.rainfall.to_csv(folder / "rainfall.csv.gz")

    @classmethod
    def load(cls, folder: Path) -> SimulatedData:
        journey = pd.read_csv(folder / "journey_times.csv.gz", index_col=0, parse_dates=[0])
        speeds = pd.read_csv(folder / "detector_speeds.csv.gz", index_col=0, parse_dates=[0])
        rain = pd.read_csv(folder / "rainfall.csv.gz", index_col=0, parse_dates=[0]).iloc[:, 0]
        return cls(journey, _long(speeds), rain, [])

    def detector_speeds(self) -> pd.DataFrame:
        """Volume-weighted mean speed per detector site (both lanes), one column each."""
        frame = self.detectors.assign(weighted=self.detectors["speed"] * self.detectors["volume"])
        sums = frame.groupby(["time", "detector"])[["weighted", "volume"]].sum(min_count=1)
        speed = (sums["weighted"] / sums["volume"].where(sums["volume"] > 0)).unstack()
        return speed.sort_index()


def _long(speeds: pd.DataFrame) -> pd.DataFrame:
    """Detector-site speeds back in the long shape (lane 0 stands for the site)."""
    frame = speeds.rename_axis("time").reset_index().melt(
        id_vars="time", var_name="detector", value_name="speed")
    return frame.assign(lane=0, volume=np.where(frame["speed"].notna(), 1, 0), occupancy=np.nan)


def _routes_xml(day: DayPlan) -> str:
    lines = ['<routes>', '  <vType id="car" accel="2.6" decel="4.5" sigma="0.5" length="5"/>',
             '  <vType id="blocker" length="6" vClass="ignoring"/>']
    flows = []
    for begin in range(0, DAY_S, INTERVAL_S):
        hour = (begin + INTERVAL_S / 2) / 3600
        for east, source, sink in ((True, "E0_1", "E5_6"), (False, "E6_5", "E1_0")):
            rate = day.through_rate(hour, east)
            flows.append((begin, f"t{int(east)}", source, sink, rate))
            for junction in side_streets():
                for outer in ("S", "T"):
                    flows.append((begin, f"s{outer}{junction}{int(east)}", f"{outer}{junction}_in",
                                  sink, rate * 0.07))
                    flows.append((begin, f"o{outer}{junction}{int(east)}", source,
                                  f"{outer}{junction}_out", rate * 0.06))
    flows.sort(key=lambda flow: flow[0])
    for begin, name, source, sink, rate in flows:
        lines.append(f'  <flow id="{name}_{begin}" type="car" begin="{begin}" '
                     f'end="{begin + INTERVAL_S}" from="{source}" to="{sink}" '
                     f'probability="{min(rate / 3600, 1):.5f}" departLane="best" '
                     'departSpeed="max"/>')
    for number, (edge, lane, start, duration) in enumerate(day.incidents):
        lines.append(
            f'  <vehicle id="incident{number}" type="blocker" depart="{start}" '
            f'departLane="{lane}" departPos="250" departSpeed="0"><route edges="{edge}"/>'
            f'<stop lane="{edge}_{lane}" startPos="240" endPos="260" duration="{duration}"/>'
            '</vehicle>')
    lines.append("</routes>")
    return "\n".join(_by_departure(lines))


def _by_departure(lines: list[str]) -> list[str]:
    """SUMO wants route-file entries sorted by departure time."""
    head, body, tail = lines[:3], lines[3:-1], lines[-1:]

    def start(line: str) -> int:
        key = 'begin="' if "<flow" in line else 'depart="'
        return int(line.split(key)[1].split('"')[0])

    return head + sorted(body, key=start) + tail


def _additional_xml(day: DayPlan, folder: Path) -> str:
    lines = ["<additional>",
             (f'  <edgeData id="jt" period="{EDGE_PERIOD_S}" file="{folder / "edges.xml"}" '
              'excludeEmpty="true"/>')]
    for edge in MAIN_EDGES:
        for lane in (0, 1):
            lines.append(f'  <inductionLoop id="D{edge}_{lane}" lane="{edge}_{lane}" pos="350" '
                         f'period="{DETECTOR_PERIOD_S}" file="{folder / "loops.xml"}"/>')
    if day.rain:
        lanes = " ".join(f"{edge}_{lane}" for edge in MAIN_EDGES for lane in (0, 1))
        steps = []
        for start, end, _mm in day.rain:
            steps.append(f'<step time="{start}" speed="{MAIN_SPEED * RAIN_SPEED_FACTOR:.2f}"/>')
            steps.append(f'<step time="{end}" speed="{MAIN_SPEED:.2f}"/>')
        lines.append(f'  <variableSpeedSign id="rain" lanes="{lanes}">{"".join(steps)}'
                     "</variableSpeedSign>")
    lines.append("</additional>")
    return "\n".join(lines)


def simulate_day(day: date, seed: int, net: Path) -> tuple[pd.DataFrame, pd.DataFrame, DayPlan]:
    """Run SUMO for one day; journey times (2 min) and loop records (5 min) as frames."""
    scenario = plan(day, seed)
    with tempfile.TemporaryDirectory(prefix="aiplus-sumo-") as work:
        folder = Path(work)
        (folder / "day.rou.xml").write_text(_routes_xml(scenario))
        (folder / "day.add.xml").write_text(_additional_xml(scenario, folder))
        subprocess.run(
            [binary("sumo"), "-n", str(net), "-r", str(folder / "day.rou.xml"),
             "-a", str(folder / "day.add.xml"), "--begin", "0", "--end", str(DAY_S),
             "--seed", str(seed + day.toordinal() % 10000), "--no-step-log", "true",
             "--no-warnings", "true", "--time-to-teleport", "300", "--duration-log.disable",
             "true", "--step-length", "1", "--mesosim", "true",
             "--meso-junction-control", "true", "--meso-overtaking", "true"],
            check=True, capture_output=True, timeout=900)
        midnight = pd.Timestamp(day)
        return (_journey_times(folder / "edges.xml", midnight),
                _loops(folder / "loops.xml", midnight), scenario)


def _journey_times(path: Path, midnight: pd.Timestamp) -> pd.DataFrame:
    """Route journey time = sum of its edges' mean travel times (free flow when empty)."""
    times = np.arange(EDGE_PERIOD_S, DAY_S + 1, EDGE_PERIOD_S)
    edge_time = pd.DataFrame(FREE_FLOW_S, index=times, columns=list(MAIN_EDGES))
    for _, element in ET.iterparse(path):
        if element.tag == "interval":
            end = int(float(element.get("end")))
            for edge in element.iter("edge"):
                if edge.get("id") in edge_time.columns and edge.get("traveltime"):
                    edge_time.loc[end, edge.get("id")] = float(edge.get("traveltime"))
            element.clear()
    journeys = pd.DataFrame({route.key: edge_time[list(route.edges)].sum(axis=1) / 60
                             for route in ROUTES})
    journeys.index = midnight + pd.to_timedelta(journeys.index, unit="s")
    return journeys


def _loops(path: Path, midnight: pd.Timestamp) -> pd.DataFrame:
    rows = []
    for _, element in ET.iterparse(path):
        if element.tag == "interval":
            name = element.get("id")[1:]
            edge, lane = name.rsplit("_", 1)
            speed = float(element.get("speed", -1))
            volume = element.get("nVehContrib", element.get("entered", "0"))
            rows.append({"time": midnight + pd.Timedelta(seconds=float(element.get("end"))),
                         "detector": edge, "lane": int(lane),
                         "speed": speed * 3.6 if speed >= 0 else np.nan,
                         "volume": int(float(volume)),
                         "occupancy": float(element.get("occupancy", 0))})
            element.clear()
    return pd.DataFrame(rows)


def _cached_day(folder: Path, day: date, seed: int, net: Path
                ) -> tuple[pd.DataFrame, pd.DataFrame, DayPlan]:
    """One day, from the cache folder when already simulated (days are deterministic)."""
    cache = folder / f"day-{day.isoformat()}-{seed}"
    if (cache / "loops.csv").exists():
        journeys = pd.read_csv(cache / "journeys.csv", index_col=0, parse_dates=[0])
        loops = pd.read_csv(cache / "loops.csv", parse_dates=["time"])
        return journeys, loops, plan(day, seed)
    journeys, loops, scenario = simulate_day(day, seed, net)
    cache.mkdir(parents=True, exist_ok=True)
    journeys.to_csv(cache / "journeys.csv")
    loops.to_csv(cache / "loops.csv", index=False)
    return journeys, loops, scenario


def simulate(start: date, days: int, seed: int, folder: Path, workers: int = 2
             ) -> SimulatedData:
    """Simulate consecutive days (in parallel processes) into one data set; each finished
    day is cached in ``folder`` so an interrupted run resumes where it stopped."""
    net = build(folder / "net")
    dates = [start + timedelta(days=offset) for offset in range(days)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_cached_day, [folder] * days, dates, [seed] * days,
                                [net] * days))
    journeys = pd.concat([journey for journey, _, _ in results]).sort_index()
    loops = pd.concat([loop for _, loop, _ in results], ignore_index=True)
    plans = [scenario for _, _, scenario in results]
    grid = pd.date_range(pd.Timestamp(start), periods=days * DAY_S // DETECTOR_PERIOD_S,
                         freq=f"{DETECTOR_PERIOD_S}s")
    seconds = ((grid - grid.normalize()).total_seconds()).to_numpy()
    by_day = {scenario.day: scenario for scenario in plans}
    rain = np.concatenate([by_day[day.date()].rainfall(seconds[grid.normalize() == day])
                           for day in pd.DatetimeIndex(sorted(set(grid.normalize())))])
    return SimulatedData(journeys, loops, pd.Series(rain, index=grid, name="rain_mm_h"), plans)
