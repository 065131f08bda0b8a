"""HTTP load measurement with wrk against a real ``aiplus serve`` process.

Each measurement starts its own server in a fresh ``AIPLUS_HOME`` so the figures include
everything a deployment pays for: uvicorn, middleware, authentication checks and the database.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, make_url, text

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.status + summary.errors.timeout
  io.write(string.format('AIPLUS {"requests": %d, "seconds": %.6f, "errors": %d, '
    .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\\n', summary.requests,
    summary.duration / 1e6, errors, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("the load generator wrk is not installed: run `apt-get install wrk`")
    return found


def run_wrk(url: str, seconds: float, connections: int = 16, threads: int = 1) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        output = subprocess.run(
            [wrk_path(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
             "-s", script.name, url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("AIPLUS "))
    raw = json.loads(line.removeprefix("AIPLUS "))
    return LoadResult(
        requests=raw["requests"],
        requests_per_s=round(raw["requests"] / raw["seconds"], 1),
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p95_ms=round(raw["p95_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        errors=raw["errors"],
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def demo_home(env: dict[str, str], demo_apps: Sequence[str] = ("ai-register",)
              ) -> Iterator[str]:
    """A fresh home (and the database ``env`` names) with the demo users and only
    ``demo_apps``' demo data.

    Loading every app's demo (models, knowledge bases, simulations) would cost minutes and
    measure nothing more.
    """
    with tempfile.TemporaryDirectory(prefix="aiplus-bench-") as home:
        only = [option for slug in demo_apps for option in ("--app", slug)]
        subprocess.run([sys.executable, "-m", "aiplus", "demo", "load", *only],
                       env={**os.environ, "AIPLUS_LOG_LEVEL": "WARNING", **env,
                            "AIPLUS_HOME": home},
                       check=True, capture_output=True)
        yield home


@contextmanager
def serve(env: dict[str, str], workers: int | None = None) -> Iterator[str]:
    """Run ``aiplus serve`` with these settings (``AIPLUS_HOME`` among them) and ``workers``
    processes (None: the command's default); yield its URL."""
    port = free_port()
    full_env = {**os.environ, "AIPLUS_LOG_LEVEL": "WARNING", **env}
    extra = [] if workers is None else ["--workers", str(workers)]
    process = subprocess.Popen(
        [sys.executable, "-m", "aiplus", "serve", "--port", str(port), "--no-migrate", *extra],
        env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server did not become ready")


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A new empty database on a PostgreSQL server, dropped afterwards."""
    name = f"aiplus_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_targets(postgres: bool = True) -> Iterator[tuple[str, dict[str, str]]]:
    """SQLite always; PostgreSQL at ``AIPLUS_BENCH_POSTGRES_URL`` (default: the local server)
    unless ``postgres`` is False."""
    yield "sqlite", {}
    if not postgres:
        return
    server = os.environ.get(
        "AIPLUS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    with scratch_postgres(server) as url:
        yield "postgresql", {"AIPLUS_DATABASE_URL": url}


def measure_cached_read(path: str, seconds: float, databases: bool = True) -> list[dict[str, object]]:
    """Rows for ``path``: served from the read cache, and the uncached baseline, per database."""
    rows: list[dict[str, object]] = []
    for database, env in database_targets(postgres=databases):
        # one demo home serves both cases in turn: GETs change nothing, and the cache lives in
        # the server process, so the second server starts as cold as the first
        with demo_home(env) as home:
            for case, ttl in (("cached", "5"), ("uncached (baseline)", "0")):
                ttl_env = {**env, "AIPLUS_HOME": home, "AIPLUS_CACHE_TTL_SECONDS": ttl}
                with serve(ttl_env) as base:
                    run_wrk(base + path, 1)  # warm-up
                    result = run_wrk(base + path, seconds)
                rows.append({"database": database, "endpoint": path, "case": case,
                             **result.as_dict()})
    return rows


def meets(row: dict[str, object], rps: float, latency_ms: float, percentile: str = "p95") -> bool:
    """At least ``rps`` requests a second, with the ``percentile`` latency under ``latency_ms``."""
    rate, latency = row["requests_per_s"], row[f"{percentile}_ms"]
    return float(rate) >= rps and float(latency) < latency_ms  # type: ignore[arg-type]


def command_seconds(args: Sequence[str], env: dict[str, str], runs: int) -> list[float]:
    """Wall times of ``aiplus ARGS`` run ``runs`` times, as a person at a shell would wait
    for them: the installed ``aiplus`` script when there is one, else ``python -m aiplus``."""
    script = Path(sys.executable).with_name("aiplus")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "aiplus"]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*program, *args], env={**os.environ, "AIPLUS_LOG_LEVEL": "WARNING", **env},
                       check=True, capture_output=True, timeout=300)
        times.append(time.perf_counter() - started)
    return times


def results_dir(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    return out
