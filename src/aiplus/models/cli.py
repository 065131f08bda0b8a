"""``aiplus models``: the model files that ship as part packages, joined and checked."""

from __future__ import annotations

import typer

cli = typer.Typer(help="Model files.", no_args_is_help=True)


@cli.callback()
def models_group() -> None:
    """Model files (a group, so ``assemble`` stays a named sub-command)."""


@cli.command("assemble")
def assemble() -> None:
    """Join every model from its part packages and verify its SHA-256 (exit 1 on mismatch)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    from aiplus.core.errors import AiplusError
    from aiplus.models import assets

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
