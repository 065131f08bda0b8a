"""Runs benchmarks by name, prints their tables and writes JSON to ``bench/results``.

Every JSON carries its provenance (commit, machine, UTC date, command, quick flag, duration:
:mod:`aiplus.bench.provenance`), so a figure quoted from it can be traced to its run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table

from aiplus import __version__
from aiplus.bench import core
from aiplus.bench.load import results_dir
from aiplus.bench.provenance import write_report
from aiplus.platform.registry import AppRegistry, Benchmark


def available() -> dict[str, Benchmark]:
    """The platform's own benchmarks plus every installed application's."""
    return {core.benchmark.name: core.benchmark, **AppRegistry.discover().benchmarks()}


def _table(name: str, rows: list[dict[str, object]]) -> Table:
    table = Table(title=name)
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row.get(column, "")) for column in columns))
    return table


def run_benchmarks(name: str, out: Path, quick: bool, console: Console) -> bool:
    benches = available()
    chosen = list(benches.values()) if name == "all" else [benches.get(name)]
    if None in chosen:
        console.print(f"[red]Unknown benchmark {name!r}[/red]; known: {', '.join(sorted(benches))}")
        return False
    ok = True
    for bench in chosen:
        assert bench is not None
        console.print(f"[bold]{bench.name}[/bold]: {bench.description}")
        started = datetime.now(UTC)
        report = bench.run(quick=quick)
        report.update({"benchmark": bench.name, "version": __version__})
        path = write_report(results_dir(out) / f"{bench.name}.json", report, quick=quick,
                            started=started)
        console.print(_table(bench.name, report["rows"]), width=max(console.width, 160))
        console.print(f"goal: {report.get('goal', '-')} -> "
                      f"{'[green]met[/green]' if report.get('passed') else '[red]not met[/red]'}")
        console.print(f"written {path} ({report['duration_s']} s)")
        ok = ok and bool(report.get("passed"))
    return ok
