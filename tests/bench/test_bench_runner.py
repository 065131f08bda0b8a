import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from rich.console import Console

from aiplus.bench.load import run_wrk
from aiplus.bench.runner import available, run_benchmarks


def test_every_benchmark_is_registered():
    assert {"core", "ai-register"} <= set(available())


def test_a_benchmark_writes_figures_beside_its_baseline(tmp_path):
    """Smoke run of a real benchmark: a real server, a real load generator, JSON out."""
    assert shutil.which("wrk"), "wrk is missing: `make test` installs it (apt-get install wrk)"
    run_benchmarks("ai-register", tmp_path, quick=True, console=Console(file=None, quiet=True))
    report = json.loads((tmp_path / "ai-register.json").read_text())
    cases = {row["case"] for row in report["rows"]}
    assert cases == {"cached", "uncached (baseline)"}
    for row in report["rows"]:
        assert row["requests"] > 0 and row["errors"] == 0
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert report["machine"]["cpus"] and report["benchmark"] == "ai-register"
    # traceable: the run's commit, machine, date, command and quick flag travel with the figures
    assert report["commit"]["id"] and report["date"] and report["quick"] is True
    assert report["command"] and report["duration_s"] >= 0


def test_core_benchmark_drives_every_target_beside_its_baseline(tmp_path):
    """Smoke run of ``aiplus bench core --quick``: a real server with the open data demo,
    every target answered without errors, the CLI timed, a verdict on each judged row."""
    assert shutil.which("wrk"), "wrk is missing: `make test` installs it (apt-get install wrk)"
    run_benchmarks("core", tmp_path, quick=True, console=Console(file=None, quiet=True))
    rows = json.loads((tmp_path / "core.json").read_text())["rows"]
    assert [(row["case"], row["target"]) for row in rows] == [
        ("cached read", "package_search"), ("cached read", "package_show"),
        ("cached read", "datastore_search"), ("page", "home page"), ("baseline", "/healthz"),
        ("cli", "aiplus --help"), ("cli", "aiplus tokens create demo-admin"),
    ]
    for row in rows:
        assert row["errors"] == 0 and row["p50_ms"] > 0
        assert isinstance(row["passed"], bool) or row["case"] == "baseline"
        if row["case"] != "cli":
            assert row["requests_per_s"] > 0 and row["p50_ms"] <= row["p99_ms"]
            assert row["workers"] == 1  # SQLite: its DataStore file allows one process
    assert rows[4]["of_baseline"] == 1.0


class _NotFound(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


def test_load_generator_counts_errors():
    # a plain standard-library server: what is under test is wrk's counting, not aiplus serve
    # (the benchmark test above drives that)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = run_wrk(f"http://127.0.0.1:{server.server_port}/missing", 2, connections=2)
    finally:
        server.shutdown()
    assert result.requests > 0 and result.errors == result.requests  # every 404 is an error
