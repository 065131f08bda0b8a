"""Command line: Form processing with OCR (synthetic data, reading a file, retention)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

cli = typer.Typer(help="Form processing with OCR.", no_args_is_help=True)


@cli.command()
def synth(
    out: Annotated[Path, typer.Option(help="Folder for images and ground-truth JSON.")],
    template: Annotated[str, typer.Option(help="Template id.")] = "idp",
    n: Annotated[int, typer.Option(min=1, max=10000, help="How many forms.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same forms.")] = 0,
    clean: Annotated[bool, typer.Option("--clean", help="No degradations.")] = False,
    held_out: Annotated[bool, typer.Option("--held-out",
                                           help="Degradations the extractor was not tuned on.")] = False,
) -> None:
    """Render filled forms (with driving licence images) and their ground truth."""
    from aiplus.apps.forms.synth import write

    mode = "clean" if clean else "held_out" if held_out else "degraded"
    written = write(template, n, out, seed=seed, mode=mode)
    typer.echo(f"wrote {len(written)} {mode} forms to {out}")


@cli.command("read")
def read_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Form image or PDF.")],
    template: Annotated[str, typer.Option(help="Template id.")] = "idp",
    engine: Annotated[str, typer.Option(help="rapidocr or tesseract.")] = "rapidocr",
) -> None:
    """Read one form and print the fields as JSON (nothing is stored)."""
    from aiplus.apps.forms import intake, templates
    from aiplus.apps.forms.extract import read
    from aiplus.core.i18n import translator

    reading = read(intake.pages(file.read_bytes())[0], templates.load(template), engine=engine)
    translate = translator("en")
    typer.echo(json.dumps({
        "template": template, "status": reading.status,
        "fields": {name: r.as_dict(translate) for name, r in reading.fields.items()},
        "reasons": [translate(r["message"], **r["params"]) for r in reading.reasons],
    }, ensure_ascii=False, indent=2))


@cli.command()
def purge() -> None:
    """Delete page images and read values past the retention period."""
    from aiplus.apps.forms.service import purge_expired
    from aiplus.platform.services import Platform

    platform = Platform.build()
    try:
        typer.echo(json.dumps(purge_expired(platform.db)))
    finally:
        platform.close()
