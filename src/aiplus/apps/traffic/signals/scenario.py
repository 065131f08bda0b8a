"""Which network and demand a simulation runs on, checked before SUMO is started.

SUMO's own error for a broken network is a line on stderr and a dead TraCI socket; checking the
files first lets us tell a person exactly what is wrong, in both languages, instead.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

import sumolib
from lxml import etree

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

NETWORKS = Path(__file__).resolve().parent / "networks"


class ScenarioError(ValidationFailed):
    """A network or route file that a simulation cannot run on."""

    code = "signals_bad_scenario"
    default_message = N_("The simulation scenario is not usable.")


@dataclass(frozen=True)
class Scenario:
    """A SUMO network, its demand and the simulated period (seconds of simulation time)."""

    name: str
    net: Path
    routes: tuple[Path, ...]
    begin: int = 0
    seconds: int = 3600


def sumo_home() -> str:
    """SUMO_HOME of the ``eclipse-sumo`` wheel; tools and sumo-rl need it set."""
    import sumo

    os.environ.setdefault("SUMO_HOME", sumo.SUMO_HOME)
    return os.environ["SUMO_HOME"]


def sumo_binary() -> str:
    return str(Path(sumo_home()) / "bin" / "sumo")


def start_sumo(command: list[str], label: str):
    """Start SUMO under TraCI and return the connection; TraCI's "Retrying" chatter while
    SUMO opens its port is kept out of the command's output."""
    import contextlib
    import io
    import subprocess

    import traci

    with contextlib.redirect_stdout(io.StringIO()):
        traci.start(command, label=label, numRetries=30, stdout=subprocess.DEVNULL)
    return traci.getConnection(label)


def corridor(seconds: int = 3600) -> Scenario:
    """The shipped three-junction corridor with crossings, vehicles and pedestrians."""
    return Scenario("corridor", NETWORKS / "corridor.net.xml",
                    (NETWORKS / "corridor.veh.xml", NETWORKS / "corridor.ped.xml"), 0, seconds)


def grid(seconds: int = 3600) -> Scenario:
    """The shipped 2x2 grid with protected left-turn stages (vehicles only)."""
    return Scenario("grid", NETWORKS / "grid.net.xml", (NETWORKS / "grid.veh.xml",), 0, seconds)


RESCO = {  # map -> (route file, begin); routes of cologne/ingolstadt start at 25200 s.
    "cologne1": ("cologne1.rou.xml", 25200), "cologne3": ("cologne3.rou.xml", 25200),
    "cologne8": ("cologne8.rou.xml", 25200), "ingolstadt1": ("ingolstadt1.rou.xml", 57600),
    "ingolstadt7": ("ingolstadt7.rou.xml", 57600), "ingolstadt21": ("ingolstadt21.rou.xml", 57600),
    "arterial4x4": ("arterial4x4_1.rou.xml", 0), "grid4x4": ("grid4x4_1.rou.xml", 0),
}


def resco(name: str, seconds: int = 3600) -> Scenario:
    """A RESCO map loaded from the installed ``sumo-rl`` package (benchmark use only: its maps
    carry non-commercial licences, so they are never copied into this repository)."""
    spec = importlib.util.find_spec("sumo_rl")
    if spec is None or not spec.submodule_search_locations or name not in RESCO:
        raise ScenarioError(N_("The RESCO scenario {name} is not available here."), name=name)
    folder = Path(next(iter(spec.submodule_search_locations))) / "nets" / "RESCO" / name
    routes, begin = RESCO[name]
    begin = _config_begin(folder / f"{name}.sumocfg", begin)
    return Scenario(name, folder / f"{name}.net.xml", (folder / routes,), begin, seconds)


def _config_begin(config: Path, default: int) -> int:
    """The begin time written in the map's own .sumocfg, which is authoritative."""
    try:
        found = etree.parse(str(config)).find(".//time/begin")
    except (OSError, etree.XMLSyntaxError):
        return default
    return int(float(found.get("value"))) if found is not None else default


def check(scenario: Scenario) -> list[str]:
    """Validate the files; return the ids of the network's traffic lights."""
    if not scenario.net.is_file():
        raise ScenarioError(N_("The network file {path} does not exist."), path=str(scenario.net))
    for routes in scenario.routes:
        if not routes.is_file():
            raise ScenarioError(N_("The route file {path} does not exist."), path=str(routes))
        try:
            etree.parse(str(routes))
        except etree.XMLSyntaxError as exc:
            raise ScenarioError(N_("The route file {path} is not valid XML: {reason}"),
                                path=str(routes), reason=str(exc)) from exc
    try:
        net = sumolib.net.readNet(str(scenario.net))
    except Exception as exc:  # sumolib raises lxml, KeyError or ValueError on broken nets
        raise ScenarioError(N_("The network file {path} could not be loaded: {reason}"),
                            path=str(scenario.net), reason=str(exc) or type(exc).__name__) from exc
    lights = [tls.getID() for tls in net.getTrafficLights()]
    if not lights:
        raise ScenarioError(N_("The network {path} has no traffic lights to control."),
                            path=str(scenario.net))
    if scenario.seconds <= 0:
        raise ScenarioError(N_("The simulated period must be a positive number of seconds."))
    return lights
