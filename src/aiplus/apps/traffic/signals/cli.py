"""``aiplus traffic signals``: run a signal controller on a SUMO network, retrain the learned
policy and the pedestrian classifier, rebuild the shipped corridor, benchmark."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from aiplus.core.errors import AiplusError
from aiplus.core.i18n import translator

cli = typer.Typer(help="Adaptive traffic signals on SUMO.", no_args_is_help=True)


def _fail(problem: AiplusError) -> typer.Exit:
    """A bilingual JSON error on stderr, never a stack trace."""
    message = {locale: translator(locale).gettext(problem.message, **problem.params)
               for locale in ("en", "zh-Hant")}
    typer.echo(json.dumps({"error": {"code": problem.code, "message": message}},
                          ensure_ascii=False), err=True)
    return typer.Exit(2)


@cli.command("run")
def run_controller(
    net: Annotated[Path, typer.Option("--net", help="SUMO network (.net.xml).")],
    routes: Annotated[list[Path], typer.Option("--routes", help="Route file(s) (.rou.xml).")],
    controller: Annotated[str, typer.Option(
        "--controller", help="fixed | actuated | maxpressure | adaptive | learned")] = "adaptive",
    seconds: Annotated[int, typer.Option("--seconds", help="Simulated seconds.")] = 3600,
    begin: Annotated[int, typer.Option("--begin", help="Simulation start time (s).")] = 0,
    tripinfo: Annotated[Path | None, typer.Option("--tripinfo", help="Write SUMO tripinfo.")]
    = None,
    pedestrian_aware: Annotated[bool | None, typer.Option(
        "--pedestrian-aware/--no-pedestrian-aware",
        help="Walk signals only for people classified as waiting (default: adaptive and "
             "learned).")] = None,
) -> None:
    """Run one controller and print its figures as JSON."""
    from aiplus.apps.traffic.signals.scenario import Scenario
    from aiplus.apps.traffic.signals.simulation import run

    scenario = Scenario(net.stem.removesuffix(".net"), net, tuple(routes), begin, seconds)
    try:
        result = run(scenario, controller, tripinfo=tripinfo, pedestrian_aware=pedestrian_aware)
    except AiplusError as problem:
        raise _fail(problem) from None
    typer.echo(json.dumps(result.as_dict(), indent=2))


@cli.command("train")
def train_policy(
    episodes: Annotated[int, typer.Option(help="SUMO episodes.")] = 18,
    seconds: Annotated[int, typer.Option(help="Simulated seconds per episode.")] = 400,
    out: Annotated[Path | None, typer.Option(help="Where to write the weights.")] = None,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same weights.")] = 0,
) -> None:
    """Retrain the learned (DQfD) controller on the shipped corridor and grid (CPU, minutes)."""
    from aiplus.apps.traffic.signals.learned import WEIGHTS
    from aiplus.apps.traffic.signals.training import train

    with typer.progressbar(length=episodes, label="Training") as bar:
        history = train(episodes, seconds, out or WEIGHTS, seed,
                        progress=lambda done, _message: bar.update(1))
    typer.echo(json.dumps(history[-1], indent=2))


@cli.command("train-pedestrians")
def train_pedestrians(
    seconds: Annotated[int, typer.Option(help="Simulated seconds of people to learn from.")]
    = 1200,
) -> None:
    """Retrain the waiting-vs-passing classifier; print held-out precision and recall."""
    from aiplus.apps.traffic.signals.pedestrian_training import train

    typer.echo(json.dumps(train(seconds), indent=2))


@cli.command("build-network")
def build_network(
    out: Annotated[Path, typer.Option(help="Folder for the networks and demand files.")],
) -> None:
    """Rebuild the shipped corridor and grid networks and demand (netgenerate, randomTrips)."""
    from aiplus.apps.traffic.signals.netbuild import build

    for path in build(out):
        typer.echo(str(path))


@cli.command("bench")
def bench(
    quick: Annotated[bool, typer.Option("--quick", help="Short runs on two maps.")] = False,
    out: Annotated[Path | None, typer.Option(help="Write the JSON here.")] = None,
) -> None:
    """Benchmark every controller (also part of ``aiplus bench traffic``)."""
    from aiplus.apps.traffic.signals.bench import run_signals_bench
    from aiplus.bench.provenance import stamp, write_report

    started = datetime.now(UTC)
    report = run_signals_bench(quick)
    if out:
        write_report(out, report, quick=quick, started=started)
    else:
        stamp(report, quick=quick, started=started)
    typer.echo(json.dumps(report, indent=2))
