"""``aiplus gateway``: gateway API keys for organisations."""

from __future__ import annotations

from typing import Optional

import typer

cli = typer.Typer(help="The GenAI gateway.", no_args_is_help=True)
keys_cli = typer.Typer(help="Gateway API keys.", no_args_is_help=True)
cli.add_typer(keys_cli, name="keys")


@keys_cli.command("create")
def create(org: str = typer.Option(..., help="Organisation slug."),
           name: str = typer.Option(..., help="What the key is for."),
           requests_per_minute: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           requests_per_day: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           tokens_per_minute: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           tokens_per_day: Optional[int] = typer.Option(None, min=1),  # noqa: UP007
           max_prompt_chars: int = typer.Option(32_000, min=100, max=1_000_000)) -> None:
    """Create a gateway key for an organisation; the secret is printed once."""
    from aiplus.core import audit
    from aiplus.core.errors import AiplusError
    from aiplus.core.settings import Settings
    from aiplus.gateway.keys import issue_key
    from aiplus.platform.services import Platform

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
