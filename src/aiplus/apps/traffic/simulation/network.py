"""The simulated corridor: a signalised urban trunk road with side streets, built by netconvert.

Shaped like a Hong Kong trunk road (think of a stretch between Central and Causeway Bay):
seven junctions 600 m apart, two lanes each way at 50 km/h, a cross street at every inner
junction. Journey-time routes mirror the Journey Time Indicator idea: a location to a
destination along the corridor, in both directions.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sumo

JUNCTIONS = 7
SPACING_M = 600
MAIN_SPEED = 13.89
SIDE_SPEED = 11.11


@dataclass(frozen=True)
class Route:
    """A journey-time route: the main-road edges a vehicle drives from origin to destination."""

    key: str
    name_en: str
    name_zh: str
    edges: tuple[str, ...]


def _east(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"E{i}_{i + 1}" for i in range(first, last))


def _west(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"E{i}_{i - 1}" for i in range(first, last, -1))


ROUTES = (
    Route("J1", "Western terminus to Eastern terminus", "西端至東端", _east(0, 6)),
    Route("J2", "Western terminus to Midtown", "西端至中區", _east(0, 3)),
    Route("J3", "Midtown to Eastern terminus", "中區至東端", _east(3, 6)),
    Route("J4", "Eastern terminus to Western terminus", "東端至西端", _west(6, 0)),
    Route("J5", "Eastern terminus to Midtown", "東端至中區", _west(6, 3)),
    Route("J6", "Midtown to Western terminus", "中區至西端", _west(3, 0)),
)
MAIN_EDGES = tuple(sorted({edge for route in ROUTES for edge in route.edges}))


def binary(name: str) -> str:
    """Path of a SUMO program from the ``eclipse-sumo`` package."""
    return os.path.join(sumo.SUMO_HOME, "bin", name)


def _plain_xml(folder: Path) -> tuple[Path, Path]:
    nodes = ['<nodes>']
    for i in range(JUNCTIONS):
        kind = "priority" if i in (0, JUNCTIONS - 1) else "traffic_light"
        nodes.append(f'  <node id="N{i}" x="{i * SPACING_M}" y="0" type="{kind}"/>')
        if 0 < i < JUNCTIONS - 1:
            nodes.append(f'  <node id="S{i}" x="{i * SPACING_M}" y="-300" type="priority"/>')
            nodes.append(f'  <node id="T{i}" x="{i * SPACING_M}" y="300" type="priority"/>')
    nodes.append("</nodes>")
    edges = ["<edges>"]
    for i in range(JUNCTIONS - 1):
        for a, b in ((i, i + 1), (i + 1, i)):
            edges.append(f'  <edge id="E{a}_{b}" from="N{a}" to="N{b}" numLanes="2" '
                         f'speed="{MAIN_SPEED}"/>')
    for i in range(1, JUNCTIONS - 1):
        for outer in ("S", "T"):
            edges.append(f'  <edge id="{outer}{i}_in" from="{outer}{i}" to="N{i}" numLanes="1" '
                         f'speed="{SIDE_SPEED}"/>')
            edges.append(f'  <edge id="{outer}{i}_out" from="N{i}" to="{outer}{i}" numLanes="1" '
                         f'speed="{SIDE_SPEED}"/>')
    edges.append("</edges>")
    node_file, edge_file = folder / "corridor.nod.xml", folder / "corridor.edg.xml"
    node_file.write_text("\n".join(nodes))
    edge_file.write_text("\n".join(edges))
    return node_file, edge_file


def build(folder: Path) -> Path:
    """Write the corridor's network file into ``folder`` (once) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    net = folder / "corridor.net.xml"
    if net.exists():
        return net
    node_file, edge_file = _plain_xml(folder)
    subprocess.run([binary("netconvert"), "-n", str(node_file), "-e", str(edge_file),
                    "-o", str(net), "--no-turnarounds", "true", "--tls.default-type", "static",
                    "--tls.cycle.time", "90", "--no-warnings", "true"],
                   check=True, capture_output=True, timeout=120)
    return net
