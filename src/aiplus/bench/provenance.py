"""Where a benchmark figure came from: commit, machine, date and command, stamped on every JSON.

README figures name the ``bench/results/*.json`` that holds them; these fields let a reader
trace that file to the code (commit, and whether the tree had uncommitted changes), the
hardware (described without its hostname), the time and the exact command. Every writer of
benchmark JSON (``aiplus bench``, ``aiplus traffic bench-forecast``, ``aiplus traffic signals
bench``) goes through :func:`write_report`, or :func:`provenance` where it builds JSON itself.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from aiplus import __version__

#: The fields every benchmark JSON carries (checked by tests/bench/test_traceable.py).
FIELDS = ("commit", "machine", "date", "command", "quick")

_SOURCE = Path(__file__).resolve().parent


def _git(*args: str, cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=30, check=False,
            # a read-only look: never take index.lock (others may be committing in this tree)
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_commit(where: Path | None = None) -> dict[str, Any]:
    """The checked-out commit of the source tree and whether it differs from that commit.

    ``dirty`` counts tracked changes and untracked files, except benchmark results themselves.
    Outside a git checkout (an installed wheel) every field is ``None``.
    """
    cwd = where or _SOURCE
    commit = _git("rev-parse", "HEAD", cwd=cwd)
    if commit is None:
        return {"id": None, "dirty": None, "changed_paths": None}
    status = _git("status", "--porcelain", "--untracked-files=all", cwd=cwd) or ""
    changed = [line for line in status.splitlines()
               if line.strip() and "bench/results/" not in line]
    return {"id": commit.strip(), "dirty": bool(changed), "changed_paths": len(changed)}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _memory_gib() -> float | None:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (AttributeError, ValueError, OSError):
        return None


def _os_name() -> str:
    try:
        pretty = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    except OSError:
        pretty = ""
    kernel = f"{platform.system()} {platform.release()}"
    return f"{pretty} ({kernel})" if pretty else kernel


@cache
def machine() -> dict[str, Any]:
    """The hardware and software the figures were measured on; no hostname or user names."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": _cpu_model(),
        "architecture": platform.machine(),
        "cpus": os.cpu_count(),
        "cpus_usable": usable,
        "memory_gib": _memory_gib(),
        "os": _os_name(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


_SECRET_HINTS = ("KEY", "SECRET", "TOKEN", "PASS", "CREDENTIAL", "URL", "DSN")


def settings_environment() -> dict[str, str]:
    """The ``AIPLUS_*`` variables set for the run (they change what a command measures, e.g.
    ``AIPLUS_LLM_LOCAL=false``); values that may hold secrets or credentials show as ``set``."""
    return {name: "set" if any(hint in name for hint in _SECRET_HINTS) else value
            for name, value in sorted(os.environ.items()) if name.startswith("AIPLUS_")}


def _command(argv: Sequence[str]) -> str:
    if not argv:
        return ""
    program = Path(argv[0]).name
    if program in ("__main__.py", "aiplus"):
        program = "aiplus"
    return shlex.join([program, *argv[1:]])


def provenance(command: str | Sequence[str] | None = None, *, quick: bool,
               started: datetime | None = None) -> dict[str, Any]:
    """Commit, machine, UTC date, command and quick flag for one benchmark report.

    ``command`` defaults to this process's command line (``aiplus ...``) and ``environment``
    lists the ``AIPLUS_*`` settings it ran with; ``started`` is when
    the measurement began (default: now), and with it ``duration_s`` is recorded too.
    ``load_average_end`` is the 1/5/15-minute load when the report was stamped: on a shared
    machine it says how busy the cores were during the run.
    """
    now = datetime.now(UTC)
    began = (started or now).astimezone(UTC)
    record: dict[str, Any] = {
        "commit": git_commit(),
        "machine": machine(),
        "date": began.isoformat(timespec="seconds"),
        "command": _command(sys.argv) if command is None
        else command if isinstance(command, str) else shlex.join(command),
        "quick": bool(quick),
        "environment": settings_environment(),
        "aiplus_version": __version__,
    }
    if started is not None:
        record["duration_s"] = round((now - began).total_seconds(), 1)
    if hasattr(os, "getloadavg"):
        record["load_average_end"] = [round(load, 2) for load in os.getloadavg()]
    return record


def stamp(report: dict[str, Any], *, quick: bool, started: datetime | None = None,
          command: str | Sequence[str] | None = None) -> dict[str, Any]:
    """``report`` with the provenance added: the :data:`FIELDS` replace any of the same name;
    the extras (version, duration, load) never replace the benchmark's own figures."""
    for key, value in provenance(command, quick=quick, started=started).items():
        if key in FIELDS:
            report[key] = value
        else:
            report.setdefault(key, value)
    return report


def write_report(path: Path, report: dict[str, Any], *, quick: bool,
                 started: datetime | None = None,
                 command: str | Sequence[str] | None = None) -> Path:
    """Stamp ``report`` with its provenance and write it as JSON to ``path``."""
    stamp(report, quick=quick, started=started, command=command)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    return path
