"""Command line: ``aiplus fl run`` trains a federated credit model and writes its results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:  # the runner pulls in torch and Flower: keep ``aiplus --help`` fast
    from aiplus.federated.runner import Launcher

cli = typer.Typer(help="Federated learning on Flower.", no_args_is_help=True)


@cli.command("run")
def run_command(
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Training CSV.")],
    test: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Held-out CSV.")],
    label: Annotated[str, typer.Option(help="Label column (1 = default).")],
    out: Annotated[Path, typer.Option(help="Folder for results.json and predictions.csv.")],
    participants: Annotated[int, typer.Option(min=2, max=50)] = 5,
    partition: Annotated[str, typer.Option(help="iid, dirichlet:ALPHA or column:NAME.")] = "iid",
    model: Annotated[str, typer.Option(help="lr, mlp or xgb.")] = "lr",
    strategy: Annotated[str, typer.Option(help="fedavg or fedprox.")] = "fedavg",
    rounds: Annotated[int, typer.Option(min=1, max=100)] = 5,
    secagg: Annotated[bool, typer.Option("--secagg", help="Flower SecAgg+.")] = False,
    dp_epsilon: Annotated[float | None, typer.Option(help="Privacy budget epsilon.")] = None,
    faults: Annotated[str, typer.Option(
        help="Resilience drill: participants that misbehave, e.g. 2:nan,3:poison,1:dropout.")
    ] = "",
    deploy: Annotated[bool, typer.Option(
        "--deploy", help="Real SuperLink and SuperNode processes on loopback.")] = False,
) -> None:
    """Train across participants with Flower; compare with local-only and pooled models."""
    from aiplus.federated.data import read_table
    from aiplus.federated.partition import Partitioning
    from aiplus.federated.runner import Experiment, run

    how = Partitioning.parse(partition)
    exp = Experiment(read_table(data), read_table(test), label, participants=participants,
                     partitioning=how, model=model, strategy=strategy, rounds=rounds,
                     secagg=secagg, dp_epsilon=dp_epsilon, faults=faults)
    results = run(exp, out, _launcher(deploy))
    summary = {"federated": results["federated"], "centralised": results.get("centralised"),
               "local_only": [p.get("local_only") for p in results["participants_detail"]],
               "epsilon": results["privacy"]["epsilon"], "incidents": len(results["incidents"]),
               "out": str(out)}
    typer.echo(json.dumps(summary, indent=1))


def _launcher(deploy: bool) -> Launcher:
    """Real processes on loopback, or Flower's simulation engine: same apps either way."""
    if deploy:
        from aiplus.federated.deployment import deploy as launcher
    else:
        from aiplus.federated.simulation import simulate as launcher
    return launcher


@cli.command("vertical")
def vertical_command(
    data: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Customer CSV.")],
    label: Annotated[str, typer.Option(help="Label column (held by the bank).")],
    out: Annotated[Path, typer.Option(help="Folder for vertical.json.")],
    overlap: Annotated[float, typer.Option(min=0.05, max=1.0)] = 0.6,
    iterations: Annotated[int, typer.Option(min=1, max=500)] = 20,
    key_bits: Annotated[int, typer.Option(help="Paillier key size.")] = 2048,
) -> None:
    """Bank + insurer: private set intersection, then Paillier-encrypted vertical LR."""
    from aiplus.federated.data import read_table
    from aiplus.federated.vertical.experiment import run_vertical
    from aiplus.federated.vertical.logistic import Settings

    results = run_vertical(read_table(data), label, overlap,
                           Settings(iterations=iterations, key_bits=key_bits))
    out.mkdir(parents=True, exist_ok=True)
    (out / "vertical.json").write_text(json.dumps(results, indent=1))
    typer.echo(json.dumps({k: results[k] for k in ("psi", "vertical_encrypted", "bank_only",
                                                   "max_weight_gap_vs_clear")}, indent=1))
