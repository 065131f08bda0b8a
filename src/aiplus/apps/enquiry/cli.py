"""``aiplus enquiry``: import and export a knowledge base's FAQs from the command line.

Runs as the operator (a platform administrator) unless ``--as USER`` names a user, whose
roles then apply exactly as in the portal. An operator's import goes live at once (audited as
such); a user's import waits for review like any edit.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aiplus.core.errors import AiplusError
from aiplus.core.operator import CLI_ACTOR

if TYPE_CHECKING:
    from aiplus.core.identity import Principal
    from aiplus.platform.services import Platform

cli = typer.Typer(help="The 1823 enquiry service's knowledge bases.", no_args_is_help=True)


def _principal(platform: Platform, user: str | None) -> Principal:
    """The named user, or the operator at the console acting as platform admin."""
    from aiplus.core import identity
    from aiplus.core.identity import Principal

    if user is None:
        return Principal(username=CLI_ACTOR, user_id=0, platform_admin=True, via="cli")
    with platform.db.read() as session:
        return Principal.of(identity.get_user(session, user), via="cli")


def _fail(problem: AiplusError) -> typer.Exit:
    typer.echo(f"Error: {problem}", err=True)
    for detail in problem.details or []:
        typer.echo(f"  row {detail.get('row', '-')}, {detail.get('field') or '-'}: "
                   f"{detail['message']}", err=True)
    return typer.Exit(1)


@cli.command("import")
def import_faqs(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    kb: Annotated[str, typer.Option("--kb", help="Knowledge base name.")],
    user: Annotated[str | None, typer.Option("--as", help="Import as this user.")] = None,
    org: Annotated[str | None, typer.Option(
        "--org", help="Owner organisation, to create the knowledge base if it is missing.")] = None,
    file_format: Annotated[str | None, typer.Option("--format", help="json, jsonl or csv.")] = None,
) -> None:
    """Import FAQs (JSON, JSONL or CSV); nothing is written if any row is invalid."""
    from aiplus.apps.enquiry.formats import format_of, read_records
    from aiplus.apps.enquiry.service import KnowledgeBases
    from aiplus.core.settings import Settings
    from aiplus.platform.services import Platform

    platform = Platform.build(Settings())
    try:
        platform.migrate()
        principal = _principal(platform, user)
        service = KnowledgeBases(platform)
        records = read_records(path.read_bytes(), format_of(path.name, file_format))
        if org and kb not in {k["name"] for k in service.list()}:
            service.create_kb(principal, kb, kb, kb, org)
        result = service.import_records(principal, kb, records,
                                        approve=principal.platform_admin)
    except AiplusError as problem:
        raise _fail(problem) from None
    finally:
        platform.close()
    typer.echo(f"Imported {result['rows']} rows into {kb}: {result['versions']} new versions, "
               f"{result['unchanged']} unchanged.")


@cli.command("export")
def export_faqs(
    kb: Annotated[str, typer.Option("--kb", help="Knowledge base name.")],
    file_format: Annotated[str, typer.Option("--format", help="json, jsonl or csv.")] = "json",
    path: Annotated[Path | None, typer.Argument(dir_okay=False)] = None,
) -> None:
    """Export the FAQs being served, to PATH or standard output."""
    from aiplus.apps.enquiry.formats import FORMATS, write_records
    from aiplus.apps.enquiry.service import KnowledgeBases
    from aiplus.core.settings import Settings
    from aiplus.platform.services import Platform

    if file_format not in FORMATS:
        raise typer.BadParameter("use json, jsonl or csv", param_hint="--format")
    platform = Platform.build(Settings())
    try:
        body = write_records(KnowledgeBases(platform).export(kb), file_format)
    except AiplusError as problem:
        raise _fail(problem) from None
    finally:
        platform.close()
    if path is None:
        sys.stdout.write(body)
    else:
        path.write_text(body, encoding="utf-8")
