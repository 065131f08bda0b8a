"""Traceable figures: every benchmark JSON the README names is committed and says where it came
from (commit, machine, date, command, quick flag); the provenance function itself."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiplus.bench import provenance
from aiplus.bench.provenance import FIELDS, git_commit, machine, stamp, write_report

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NAMED = re.compile(r"bench/results/([A-Za-z0-9_.-]+\.json)")


def _named_results() -> list[str]:
    return sorted(set(NAMED.findall(README.read_text(encoding="utf-8"))))


def _ignored(path: Path) -> bool:
    if not shutil.which("git") or not (ROOT / ".git").exists():
        return False
    return subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT,
                          check=False).returncode == 0


def test_readme_names_its_results():
    # the figures say where they come from; an empty list would make the test below vacuous
    assert _named_results(), "README.md names no bench/results/*.json"


@pytest.mark.parametrize("name", _named_results())
def test_every_result_the_readme_names_is_committed_with_its_provenance(name):
    path = ROOT / "bench" / "results" / name
    assert path.is_file(), f"README.md quotes {path.relative_to(ROOT)}, which is not in the repo"
    assert not _ignored(path), f"{path.relative_to(ROOT)} is git-ignored, so it cannot be committed"
    report = json.loads(path.read_text(encoding="utf-8"))
    missing = [field for field in FIELDS if field not in report]
    assert not missing, f"{name} lacks {missing}: rerun its benchmark to stamp its provenance"
    assert re.fullmatch(r"[0-9a-f]{40}", report["commit"]["id"] or ""), f"{name}: no commit id"
    assert isinstance(report["commit"]["dirty"], bool)
    assert report["machine"]["cpu"] and report["machine"]["cpus"] and report["machine"]["os"]
    assert datetime.fromisoformat(report["date"]).utcoffset() == timedelta(0)
    assert report["command"] and isinstance(report["quick"], bool)


def _repo(path: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                               *args], cwd=path, check=True, capture_output=True,
                              text=True).stdout.strip()
    git("init", "-q")
    (path / "code.py").write_text("x = 1\n")
    git("add", "code.py")
    git("commit", "-q", "-m", "one")
    return git("rev-parse", "HEAD")


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_commit_is_the_checked_out_one_and_dirty_counts_changes_but_not_results(tmp_path):
    head = _repo(tmp_path)
    assert git_commit(tmp_path) == {"id": head, "dirty": False, "changed_paths": 0}
    (tmp_path / "bench" / "results").mkdir(parents=True)
    (tmp_path / "bench" / "results" / "x.json").write_text("{}")
    assert git_commit(tmp_path)["dirty"] is False  # writing results does not dirty the tree
    (tmp_path / "code.py").write_text("x = 2\n")
    (tmp_path / "new.py").write_text("")
    assert git_commit(tmp_path) == {"id": head, "dirty": True, "changed_paths": 2}


def test_outside_a_checkout_the_commit_is_unknown_not_invented(tmp_path):
    assert git_commit(tmp_path) == {"id": None, "dirty": None, "changed_paths": None}


def test_machine_describes_the_hardware_without_naming_the_host():
    described = machine()
    assert described["cpus"] >= 1 and described["cpu"] and described["os"]
    assert described["memory_gib"] > 0 and described["python"].split()[1].count(".") == 2
    hostname = socket.gethostname()
    if len(hostname) >= 4:
        assert hostname not in json.dumps(described)


def test_provenance_records_command_quick_date_and_duration(monkeypatch):
    monkeypatch.setattr(provenance.sys, "argv", ["/venv/bin/aiplus", "bench", "guard", "--quick"])
    started = datetime.now(UTC) - timedelta(seconds=5)
    record = provenance.provenance(quick=True, started=started)
    assert set(FIELDS) <= set(record)
    assert record["command"] == "aiplus bench guard --quick" and record["quick"] is True
    assert record["date"] == started.isoformat(timespec="seconds")
    assert record["date"].endswith("+00:00") and record["duration_s"] >= 5
    assert record["commit"]["id"]  # this test runs from a git checkout
    explicit = provenance.provenance(["aiplus", "traffic", "bench-forecast"], quick=False)
    assert explicit["command"] == "aiplus traffic bench-forecast" and "duration_s" not in explicit


def test_settings_that_change_a_run_are_recorded_but_secrets_are_not(monkeypatch):
    monkeypatch.setenv("AIPLUS_LLM_LOCAL", "false")
    monkeypatch.setenv("AIPLUS_LLM_API_KEY", "sk-not-for-the-json")
    monkeypatch.setenv("AIPLUS_DATABASE_URL", "postgresql://u:pw@db/x")
    environment = provenance.provenance(quick=False)["environment"]
    assert environment["AIPLUS_LLM_LOCAL"] == "false"
    assert environment["AIPLUS_LLM_API_KEY"] == environment["AIPLUS_DATABASE_URL"] == "set"
    assert "sk-not" not in json.dumps(environment) and "pw@" not in json.dumps(environment)


def test_write_report_keeps_the_figures_and_adds_the_provenance(tmp_path):
    path = write_report(tmp_path / "deep" / "b.json", {"rows": [{"p95_ms": 1.5}]}, quick=False,
                        command="aiplus bench b")
    written = json.loads(path.read_text())
    assert written["rows"] == [{"p95_ms": 1.5}] and written["command"] == "aiplus bench b"
    assert set(FIELDS) <= set(written)
    assert stamp({"quick": True}, quick=False)["quick"] is False  # the run's flag wins


def test_the_traffic_commands_stamp_their_json(tmp_path, monkeypatch):
    """The two benchmarks with their own commands write JSON through the same function."""
    from aiplus.apps.traffic import bench as traffic_bench
    from aiplus.apps.traffic.cli import cli
    from aiplus.apps.traffic.signals import bench as signals_bench

    monkeypatch.setattr(traffic_bench, "forecast_report", lambda quick: {
        "rows": [], "forecasting": {"floor_60min": {
            "vs_historical_average": 0.5, "vs_persistence": 0.5, "met": True}}})
    monkeypatch.setattr(signals_bench, "run_signals_bench", lambda quick: {"delay": {}})
    runner = CliRunner()
    done = runner.invoke(cli, ["bench-forecast", "--quick", "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    forecast = json.loads((tmp_path / "traffic-forecast.json").read_text())
    assert set(FIELDS) <= set(forecast) and forecast["quick"] is True
    out = tmp_path / "traffic-signals.json"
    done = runner.invoke(cli, ["signals", "bench", "--out", str(out)])
    assert done.exit_code == 0, done.output
    signals = json.loads(out.read_text())
    assert set(FIELDS) <= set(signals) and signals["quick"] is False and "delay" in signals
