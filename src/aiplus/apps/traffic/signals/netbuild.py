"""Builds the shipped networks. The corridor: three signalised junctions on a two-lane-each-way
main road with side streets, footways and signalised zebra crossings, with one hour of vehicle
and pedestrian demand. The grid: four junctions with left-turn bays and protected left-turn
stages (four stages each), vehicles only. The files in ``networks/`` were produced by
:func:`build` and are shipped so runs are reproducible without rebuilding;
``aiplus traffic signals build-network`` rebuilds them (netgenerate + SUMO's randomTrips,
seeded)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from aiplus.apps.traffic.signals.scenario import sumo_home


def build(folder: Path, seconds: int = 3600, seed: int = 7) -> list[Path]:
    home = Path(sumo_home())
    folder.mkdir(parents=True, exist_ok=True)
    net = folder / "corridor.net.xml"
    subprocess.run([
        str(home / "bin" / "netgenerate"), "--grid", "--grid.x-number", "3",
        "--grid.y-number", "1", "--grid.length", "200", "--grid.attach-length", "150",
        "-L", "2", "--default-junction-type", "traffic_light", "--sidewalks.guess",
        "--crossings.guess", "--no-turnarounds", "--seed", str(seed), "-o", str(net)],
        check=True, capture_output=True)
    trips = home / "tools" / "randomTrips.py"
    vehicles, people = folder / "corridor.veh.xml", folder / "corridor.ped.xml"
    _random_trips(trips, ["-n", str(net), "-e", str(seconds), "-o", str(vehicles), "-p", "1.5",
                          "--fringe-factor", "20", "--validate", "--prefix", "v",
                          "--seed", str(seed)])
    pedestrian_demand(net, people, seconds, seed + 1)
    grid_net, grid_vehicles = folder / "grid.net.xml", folder / "grid.veh.xml"
    subprocess.run([
        str(home / "bin" / "netgenerate"), "--grid", "--grid.number", "2", "--grid.length",
        "250", "--grid.attach-length", "200", "-L", "2", "--turn-lanes", "1",
        "--turn-lanes.length", "60", "--default-junction-type", "traffic_light",
        "--tls.left-green.time", "8", "--no-turnarounds", "--seed", str(seed),
        "-o", str(grid_net)], check=True, capture_output=True)
    _random_trips(trips, ["-n", str(grid_net), "-e", str(seconds), "-o", str(grid_vehicles),
                          "-p", "1.6", "--fringe-factor", "10", "--validate", "--prefix", "g",
                          "--seed", str(seed)])
    return [net, vehicles, people, grid_net, grid_vehicles]


def pedestrian_demand(net: Path, out: Path, seconds: int, seed: int) -> Path:
    """People walking between random footways, one every 3 s: some cross, most pass."""
    trips = Path(sumo_home()) / "tools" / "randomTrips.py"
    _random_trips(trips, ["-n", str(net), "-e", str(seconds), "-o", str(out), "-p", "3",
                          "--pedestrians", "--max-distance", "400", "--prefix", "p",
                          "--seed", str(seed)])
    return out


def _random_trips(script: Path, arguments: list[str]) -> None:
    """Run SUMO's randomTrips in a scratch folder: with ``--validate`` it also writes an
    intermediate ``routes.rou.xml`` into the working directory, which must not litter the
    caller's checkout."""
    with tempfile.TemporaryDirectory(prefix="aiplus-randomtrips-") as scratch:
        subprocess.run([sys.executable, str(script), *arguments], check=True,
                       capture_output=True, cwd=scratch)
