"""Controllers on real SUMO runs of the shipped corridor, the CLI and bad scenarios."""

import json
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from aiplus.apps.traffic.signals.cli import cli
from aiplus.apps.traffic.signals.scenario import (
    Scenario,
    ScenarioError,
    check,
    corridor,
    grid,
    resco,
    sumo_home,
)
from aiplus.apps.traffic.signals.simulation import run

pytestmark = pytest.mark.nodb
SECONDS = 300


@pytest.fixture(scope="module")
def results():
    return {name: run(corridor(SECONDS), name)
            for name in ("fixed", "actuated", "maxpressure", "adaptive", "learned")}


def test_every_controller_runs_safely_and_moves_traffic(results):
    for name, result in results.items():
        assert result.controller == name
        assert result.safety_violations == 0, name
        assert result.arrived > 100, name
        assert result.pedestrians > 20, name
        assert 0 < result.average_delay_s < 120, name


def test_adaptive_control_beats_the_fixed_plan(results):
    assert results["adaptive"].average_delay_s < results["fixed"].average_delay_s
    assert results["learned"].average_delay_s < results["fixed"].average_delay_s
    assert results["maxpressure"].average_queue < results["fixed"].average_queue


def test_four_stage_junctions_with_protected_turns_are_served_in_turn():
    result = run(grid(SECONDS), "adaptive")
    assert result.safety_violations == 0 and result.arrived > 100
    assert result.pedestrians == 0


def test_resco_maps_load_from_the_installed_package_only():
    scenario = resco("cologne1", 60)
    assert "sumo_rl" in str(scenario.net) and scenario.begin == 25200
    assert check(scenario)
    with pytest.raises(ScenarioError):
        resco("atlantis")


def test_cli_runs_a_controller_and_writes_tripinfo(tmp_path):
    shipped = corridor()
    out = tmp_path / "trips.xml"
    args = ["run", "--net", str(shipped.net), "--controller", "maxpressure",
            "--seconds", "120", "--tripinfo", str(out)]
    for routes in shipped.routes:
        args += ["--routes", str(routes)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["controller"] == "maxpressure"
    assert etree.parse(str(out)).getroot().find("tripinfo") is not None


def _cli_error(args: list[str]) -> dict:
    result = CliRunner().invoke(cli, ["run", *args, "--seconds", "60"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    return json.loads(result.output.strip().splitlines()[-1])["error"]


def test_bad_scenarios_get_clear_bilingual_errors(tmp_path):
    shipped = corridor()
    routes = ["--routes", str(shipped.routes[0])]
    error = _cli_error(["--net", str(tmp_path / "missing.net.xml"), *routes])
    assert error["code"] == "signals_bad_scenario"
    assert "does not exist" in error["message"]["en"] and error["message"]["zh-Hant"]

    broken = tmp_path / "broken.net.xml"
    broken.write_text("<net><edge id='a'>")
    assert "could not be loaded" in _cli_error(["--net", str(broken), *routes])["message"]["en"]

    missing_routes = _cli_error(["--net", str(shipped.net), "--routes", str(tmp_path / "r.xml")])
    assert "route file" in missing_routes["message"]["en"]

    unknown_edge = tmp_path / "unknown.rou.xml"
    unknown_edge.write_text('<routes><vehicle id="v" depart="0"><route edges="nowhere"/>'
                            '</vehicle></routes>')
    sumo_said = _cli_error(["--net", str(shipped.net), "--routes", str(unknown_edge)])
    assert "SUMO could not load" in sumo_said["message"]["en"]
    assert "nowhere" in sumo_said["message"]["en"]

    assert "Unknown controller" in _cli_error(
        ["--net", str(shipped.net), *routes, "--controller", "magic"])["message"]["en"]


def test_a_network_without_traffic_lights_is_refused(tmp_path):
    plain = tmp_path / "plain.net.xml"
    subprocess.run([str(Path(sumo_home()) / "bin" / "netgenerate"), "--grid",
                    "--grid.number", "2", "-o", str(plain)], check=True, capture_output=True)
    with pytest.raises(ScenarioError, match="no traffic lights"):
        check(Scenario("plain", plain, corridor().routes, 0, 60))
