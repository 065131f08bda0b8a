"""``aiplus opendata``: scale data for the open data portal."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from aiplus.core.operator import CLI_ACTOR

cli = typer.Typer(help="The open data portal.", no_args_is_help=True)

@cli.callback()
def opendata_group() -> None:
    """The open data portal (a group, so ``generate`` stays a named sub-command)."""


@cli.command("generate")
def generate(
    datasets: Annotated[int, typer.Option("--datasets", help="How many datasets to add.")] = 5500,
    orgs: Annotated[int, typer.Option("--orgs", help="Publishing organisations to spread them over "
                                           "(missing ones are created).")] = 110,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same contents.")] = 0,
    batch_size: Annotated[int, typer.Option("--batch-size", min=100, max=20_000,
                                            help="Datasets per transaction.")] = 2000,
) -> None:
    """Add synthetic bilingual datasets for scale tests (bulk insert, audited per batch)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from aiplus.apps.opendata import generate as generator
    from aiplus.core.settings import Settings
    from aiplus.platform.services import Platform

    for option, value, high in (("--datasets", datasets, generator.MAX_DATASETS),
                                ("--orgs", orgs, generator.MAX_ORGS)):
        if not 1 <= value <= high:
            raise typer.BadParameter(
                f"must be a whole number from 1 to {high:,}, not {value:,}.", param_hint=option)
    console = Console()
    platform = Platform.build(Settings())
    try:
        platform.migrate()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("Generating datasets", total=datasets, rate="")
            started = time.perf_counter()

            def advance(done: int, total: int) -> None:
                per_second = done / max(time.perf_counter() - started, 1e-9)
                bar.update(task, completed=done, rate=f"{per_second:,.0f}/s")

            result = generator.generate(platform, datasets, orgs, seed=seed,
                                        batch_size=batch_size, actor=CLI_ACTOR,
                                        progress=advance)
    finally:
        platform.close()
    console.print(
        f"Generated {result.datasets:,} datasets over {orgs:,} organisations "
        f"({result.organisations_created} created) in {result.seconds:.1f} s: "
        f"{result.rate:,.0f} datasets/s. Names {result.first_name} .. {result.last_name}")
