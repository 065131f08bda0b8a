"""Command line: Traffic forecasting and adaptive signals."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from aiplus.apps.traffic.signals.cli import cli as signals_cli
from aiplus.core.errors import AiplusError
from aiplus.core.i18n import N_

cli = typer.Typer(help="Traffic forecasting and adaptive signals.", no_args_is_help=True)
cli.add_typer(signals_cli, name="signals")


def _horizons(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(N_("Horizons are whole minutes separated by commas.")) from None


@cli.command("backtest")
def backtest(
    csv: Annotated[Path, typer.Option("--csv", exists=True, dir_okay=False, readable=True,
                                      help="CSV file with one series.")],
    time_col: Annotated[str, typer.Option("--time-col", help="Column of timestamps.")],
    value_col: Annotated[str, typer.Option("--value-col", help="Column of values.")],
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="Predictions CSV.")],
    horizons: Annotated[str, typer.Option("--horizons", help="Minutes ahead, comma-separated."
                                          )] = "15,30,45,60,75,90",
    train_frac: Annotated[float, typer.Option("--train-frac", help="Share used to learn."
                                              )] = 0.7,
    summary: Annotated[Path | None, typer.Option(
        "--summary", dir_okay=False, help="Also write errors vs baselines as JSON.")] = None,
) -> None:
    """Learn on the first part of a series and forecast every later origin from the past only.

    Writes one row per (origin_time, horizon_min) with the prediction and a 90% conformal
    interval; with --summary, masked MAE/RMSE/MAPE beside persistence, historical average and
    seasonal naive.
    """
    from aiplus.apps.traffic.forecasting.backtest import run_csv

    try:
        result, rows = run_csv(csv, time_col, value_col, _horizons(horizons), train_frac)
    except AiplusError as problem:
        typer.echo(f"Error: {problem}", err=True)
        raise typer.Exit(1) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(out, index=False)
    figures = result.summary()
    if summary:
        summary.write_text(json.dumps(figures, indent=2, default=str))
    for horizon, table in figures["horizons"].items():
        typer.echo(f"+{horizon} min  MAE {table['model']['mae']:.3f} ({table['served']})  "
                   f"persistence {table['persistence']['mae']:.3f}  "
                   f"historical average {table['historical_average']['mae']:.3f}"
                   + (f"  ({table['reason']})" if "reason" in table else ""))
    typer.echo(f"Wrote {len(rows)} rows to {out}")


@cli.command("bench-forecast")
def bench_forecast(
    out: Annotated[Path, typer.Option(help="Folder for the JSON result.")] = Path("bench/results"),
    quick: Annotated[bool, typer.Option(help="Two routes and a short STID fit.")] = False,
) -> None:
    """The forecasting half of ``aiplus bench traffic`` alone (no SUMO signal runs): the same
    figures and floor, printed and written as traffic-forecast.json."""
    from aiplus.apps.traffic.bench import GOAL, forecast_report
    from aiplus.bench.provenance import write_report

    started = datetime.now(UTC)
    report = forecast_report(quick=quick)
    for row in report["rows"]:
        typer.echo(f"{row['part']:<15} {row['figure']:<32} ours {row['ours']:<8} "
                   f"{row['baselines']}")
    floor = report["forecasting"]["floor_60min"]
    typer.echo(f"+60 min: {floor['vs_historical_average']:.3f} of historical average, "
               f"{floor['vs_persistence']:.3f} of persistence -> "
               f"{'met' if floor['met'] else 'not met'} ({GOAL.split(';')[0]})")
    path = write_report(out / "traffic-forecast.json", report, quick=quick, started=started)
    typer.echo(f"written {path}")
