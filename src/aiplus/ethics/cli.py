"""Command line: Assurance tests (fairness, explainability, robustness).

``aiplus assure fairness --predictions FILE.csv --label COL --pred COL --sensitive SEX,AGE``
prints the result JSON. Errors are printed as JSON too, in English and Chinese, naming the
column or field at fault, and the command exits with status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aiplus.core.errors import AiplusError, ValidationFailed
from aiplus.core.i18n import N_, translator

if TYPE_CHECKING:
    import pandas as pd

cli = typer.Typer(help="Assurance tests (fairness, explainability, robustness).",
                  no_args_is_help=True)
MAX_CSV_BYTES = 200 * 1024 * 1024


def bilingual_error(error: AiplusError) -> dict[str, Any]:
    return {"error": {"code": error.code, "message": {
        locale: translator(locale)(error.message, **error.params)
        for locale in ("en", "zh-Hant")}}}


def read_predictions(path: Path) -> pd.DataFrame:
    """A predictions CSV, refused with a clear message when too big or not a table."""
    import pandas as pd

    if path.stat().st_size > MAX_CSV_BYTES:
        raise ValidationFailed(N_("The file is larger than the limit of {limit} bytes."),
                               limit=MAX_CSV_BYTES)
    try:
        return pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as problem:
        raise ValidationFailed(N_("The file could not be read as CSV: {reason}"),
                               reason=str(problem)[:200]) from None


def _run(plugin: str, predictions: Path, label: str, pred: str, score: str | None,
         sensitive: str | None, params: dict[str, Any]) -> None:
    from aiplus.ethics.assurance.contract import AssuranceData
    from aiplus.ethics.assurance.store import plugin_named

    try:
        columns = [c.strip() for c in (sensitive or "").split(",") if c.strip()]
        data = AssuranceData.from_predictions(read_predictions(predictions), label=label,
                                              pred=pred, score=score, sensitive=columns)
        _, output = plugin_named(plugin).execute(data, params)
    except AiplusError as problem:
        typer.echo(json.dumps(bilingual_error(problem), ensure_ascii=False), err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(output, ensure_ascii=False, indent=2))


FILE = Annotated[Path, typer.Option("--predictions", exists=True, dir_okay=False,
                                    help="CSV with one row per prediction.")]
LABEL = Annotated[str, typer.Option("--label", help="Column of true outcomes (0/1).")]
PRED = Annotated[str, typer.Option("--pred", help="Column of predicted outcomes (0/1).")]
SCORE = Annotated[str | None, typer.Option("--score", help="Column of scores in [0, 1].")]


@cli.command("fairness")
def fairness(
    predictions: FILE, label: LABEL, pred: PRED,
    sensitive: Annotated[str, typer.Option("--sensitive", help="Group columns, comma-separated.")],
    score: SCORE = None,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap draws for intervals.")] = 200,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
) -> None:
    """Per-group TPR, FPR, PPV, NPV, selection rate and disparities, as JSON."""
    _run("fairness", predictions, label, pred, score, sensitive,
         {"bootstrap": bootstrap, "seed": seed})


@cli.command("performance")
def performance(predictions: FILE, label: LABEL, pred: PRED, score: SCORE = None) -> None:
    """AUC, accuracy, recall, Brier score, ECE and reliability bins, as JSON."""
    _run("performance", predictions, label, pred, score, None, {})


@cli.command("plugins")
def plugins() -> None:
    """Every assurance test with its version and JSON Schemas."""
    from aiplus.ethics.assurance import PLUGINS

    typer.echo(json.dumps([{"name": p.name, "version": p.version, "title": p.title.as_dict(),
                            "needs": sorted(p.needs), "input_schema": p.input_schema,
                            "output_schema": p.output_schema} for p in PLUGINS.values()],
                          ensure_ascii=False, indent=2))
