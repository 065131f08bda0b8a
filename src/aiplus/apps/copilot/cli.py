"""``aiplus copilot``: retention from cron, and extractive summaries of local files without
a server or a model (handy to check what the copilot extracts from a document)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiplus.core.errors import AiplusError

cli = typer.Typer(help="The document copilot.", no_args_is_help=True)


@cli.command()
def expire() -> None:
    """Delete expired, unpinned documents with their chunks, vectors and files."""
    from aiplus.apps.copilot.library import expire as expire_documents
    from aiplus.core.settings import Settings
    from aiplus.platform.services import Platform

    platform = Platform.build(Settings())
    try:
        result = expire_documents(platform.db, platform.files)
    finally:
        platform.close()
    typer.echo(f"Deleted {result['documents']} documents ({result['chunks']} chunks).")


@cli.command()
def summarise_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    style: Annotated[str, typer.Option(help="bullet, executive or minutes")] = "bullet",
    length: Annotated[str, typer.Option(help="short, medium or long")] = "short",
    chunks: Annotated[bool, typer.Option(help="Print the chunks instead")] = False,
) -> None:
    """An extractive (LexRank) summary of a local file, or its structure-aware chunks."""
    from aiplus.apps.copilot import chunking, extract, intake, summarise
    from aiplus.apps.copilot.settings import copilot_settings

    settings = copilot_settings()
    try:
        data = path.read_bytes()
        intake.check_size(data, settings)
        kind = intake.kind_of(path.name, data)
        if kind in intake.ZIP_KINDS:
            intake.check_archive(kind, data, settings)
        blocks = extract.extract(kind, data, settings).blocks
        if chunks:
            for piece in chunking.chunk(blocks, settings.chunk_chars):
                typer.echo(f"--- page {piece.page} · {piece.heading} · {piece.kind}\n"
                           f"{piece.text}")
            return
        body = "\n".join(b.text for b in blocks if b.kind != "heading")
        typer.echo(summarise.extractive(body, style, length))
    except AiplusError as problem:
        typer.echo(f"Error: {problem}", err=True)
        raise typer.Exit(1) from None
