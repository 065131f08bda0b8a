"""Command line: The model registry.

``aiplus registry list`` shows every registered model and its latest version's status;
``aiplus registry show NAME [--version V]`` prints one version (card, lineage, tests) as JSON.
Reads only: registering and the lifecycle go through the API and portal, where roles apply.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

cli = typer.Typer(help="The model registry.", no_args_is_help=True)


def _platform() -> Platform:
    from aiplus.core.settings import Settings
    from aiplus.models.registry.sync import sync_once
    from aiplus.platform.services import Platform

    platform = Platform.build(Settings())
    platform.migrate()
    sync_once(platform.db, platform.files, platform.registry, platform.shared)
    return platform


@cli.command("list")
def list_command() -> None:
    """Every registered model: name, owner, kind, latest version and its status."""
    from aiplus.models.registry.service import list_models

    platform = _platform()
    try:
        with platform.db.read() as session:
            for model in list_models(session):
                latest = model.versions[-1] if model.versions else None
                typer.echo(f"{model.name}\t{model.org}\t{model.kind}\t"
                           f"{latest.version if latest else '-'}\t"
                           f"{latest.status if latest else '-'}")
    finally:
        platform.close()


@cli.command("show")
def show(name: str,
         version: Annotated[str | None, typer.Option(help="Version (default: newest).")] = None
         ) -> None:
    """One version's model card, lineage, metrics and latest tests, as JSON."""
    from aiplus.core.errors import AiplusError
    from aiplus.models.registry.service import get_version

    platform = _platform()
    try:
        with platform.db.read() as session:
            typer.echo(json.dumps(get_version(session, name, version).as_dict(),
                                  ensure_ascii=False, indent=2))
    except AiplusError as problem:
        typer.echo(f"Error: {problem}", err=True)
        raise typer.Exit(2) from None
    finally:
        platform.close()
