"""The ``aiplus`` command line (Typer).

The platform's own commands live here; every pillar and app brings its command group through the
``aiplus.commands`` entry points (like Datasette's ``register_commands``), and a group is
imported only when the command line needs it. Nothing here imports the web stack, the database
layer or a model library at start-up, so ``aiplus --help`` answers at once: each command imports
what it uses when it runs.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

from aiplus.core.errors import AiplusError
from aiplus.core.operator import CLI_ACTOR
from aiplus.core.roles import Role
from aiplus.core.settings import MAX_TOKEN_DAYS, Settings

if TYPE_CHECKING:
    from aiplus.core.db import Database
    from aiplus.platform.services import Platform

COMMANDS_GROUP = "aiplus.commands"


@cache
def plugin_commands() -> dict[str, EntryPoint]:
    """Installed command groups by name, read from package metadata without importing them."""
    return {point.name: point for point in entry_points(group=COMMANDS_GROUP)}


class PluginCommands(TyperGroup):
    """The platform's commands plus every installed group, each loaded on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*super().list_commands(ctx), *sorted(set(plugin_commands()) - set(self.commands))]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in plugin_commands():
            command = load_group(cmd_name)
        return command


@cache
def load_group(name: str) -> click.Group:
    """The click group behind an ``aiplus.commands`` entry point, imported now."""
    target = plugin_commands()[name].load()
    if not isinstance(target, typer.Typer):
        raise TypeError(f"the aiplus.commands entry point {name!r} is not a Typer app")
    group = typer.main.get_group(target)
    group.name = name
    return group


cli = typer.Typer(help="AI Plus platform.", no_args_is_help=True, pretty_exceptions_enable=False,
                  cls=PluginCommands)
orgs_cli = typer.Typer(help="Organisations.", no_args_is_help=True)
users_cli = typer.Typer(help="Users.", no_args_is_help=True)
tokens_cli = typer.Typer(help="API tokens.", no_args_is_help=True)
audit_cli = typer.Typer(help="The audit log.", no_args_is_help=True)
demo_cli = typer.Typer(help="Demonstration data.", no_args_is_help=True)
jobs_cli = typer.Typer(help="Jobs.", no_args_is_help=True)
for name, group in (("orgs", orgs_cli), ("users", users_cli), ("tokens", tokens_cli),
                    ("audit", audit_cli), ("demo", demo_cli), ("jobs", jobs_cli)):
    cli.add_typer(group, name=name)

console = Console()


def _platform() -> Platform:
    """The whole platform, every app loaded: for commands that run apps' jobs or demo data."""
    from aiplus.platform.services import Platform

    return Platform.build(Settings())


def _database() -> Database:
    """Only the database, for commands on the platform's own tables (no app is loaded)."""
    from aiplus.core.db import Database

    settings = Settings()
    settings.ensure_home()
    return Database(settings.sqlalchemy_url)


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    platform = _platform()
    platform.migrate()
    console.print(f"Schema is current at {platform.settings.sqlalchemy_url.split('@')[-1]}")


@cli.command()
def serve(
    host: str = "127.0.0.1", port: int = 8000,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Server processes (default: AIPLUS_WORKERS, else one per core on "
                    "PostgreSQL and one on SQLite).")] = None,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate")] = True,
) -> None:
    """Start the portal and API."""
    from aiplus.platform.serving import serve as run_server

    run_server(host, port, workers, migrate_first)


@orgs_cli.command("create")
def orgs_create(
    slug: str,
    name_en: Annotated[str, typer.Option("--name-en")],
    name_zh: Annotated[str, typer.Option("--name-zh")],
    kind: str = "department",
) -> None:
    """Create an organisation (bureau, department, hospital, bank...)."""
    from aiplus.core import audit, identity

    with _database().transaction() as session:
        org = identity.create_org(session, slug, name_en, name_zh, kind)
        audit.record(session, actor=CLI_ACTOR, org=slug, action="org.create", target=f"org:{slug}")
        console.print(json.dumps(org.as_dict(), ensure_ascii=False))


@users_cli.command("create")
def users_create(
    name: str,
    org: Annotated[str, typer.Option("--org")],
    role: Annotated[Role, typer.Option("--role")] = Role.OFFICER,
    platform_admin: Annotated[bool, typer.Option("--platform-admin")] = False,
    password: Annotated[bool, typer.Option("--password", help="Prompt for a password.")] = False,
) -> None:
    """Create a user with a role in an organisation."""
    from aiplus.core import audit, identity

    secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    with _database().transaction() as session:
        user = identity.create_user(session, name, org=org, role=role, password=secret,
                                    platform_admin=platform_admin)
        audit.record(session, actor=CLI_ACTOR, org=org, action="user.create",
                     target=f"user:{name}", detail={"role": role, "platform_admin": platform_admin})
        console.print(json.dumps(user.as_dict(), ensure_ascii=False))


@tokens_cli.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="The user the token acts for.")],
    label: Annotated[str, typer.Option("--label")] = "cli",
    days: Annotated[int | None, typer.Option(
        "--days", min=1, max=MAX_TOKEN_DAYS,
        help="Lifetime in days (default: AIPLUS_TOKEN_DAYS).")] = None,
) -> None:
    """Create an API token for a user; it is printed once and stored only as a hash."""
    from aiplus.core import audit, identity

    lifetime = Settings().token_days if days is None else days
    with _database().transaction() as session:
        user = identity.get_user(session, name)
        token, secret = identity.issue_token(session, user, label, lifetime)
        audit.record(session, actor=CLI_ACTOR, action="token.create", target=f"token:{token.id}",
                     detail={"user": name})
    typer.echo(secret)


@audit_cli.command("verify")
def audit_verify() -> None:
    """Prove the audit chain unbroken, or name its first bad entry (exit 1)."""
    from aiplus.core import audit

    with _database().read() as session:
        result = audit.verify(session)
    if result.ok:
        console.print(f"[green]OK[/green]: {result.checked} entries, chain unbroken")
        return
    console.print(f"[red]BROKEN[/red] at entry {result.first_bad_seq}: {result.reason} "
                  f"({result.checked} entries verified before it)")
    raise typer.Exit(1)


@demo_cli.command("load")
def demo_load(
    only: Annotated[list[str] | None, typer.Option(
        "--app", help="Load only this app's demo data (repeatable); default: every app.")] = None,
) -> None:
    """Load demonstration organisations and users (idempotent), then each app's demo data."""
    from aiplus.platform.demo import load_demo

    platform = _platform()
    unknown = sorted(set(only or ()) - {app.slug for app in platform.registry})
    if unknown:
        platform.close()
        raise typer.BadParameter(f"no app with slug {', '.join(unknown)}", param_hint="--app")
    password = load_demo(platform, secrets.token_urlsafe(12))
    if password:
        path = platform.settings.home / "demo-credentials.txt"
        path.write_text(f"user: demo-admin\npassword: {password}\n")
        path.chmod(0o600)
        console.print(f"Demo data loaded. Sign in as [bold]demo-admin[/bold] with password "
                      f"[bold]{password}[/bold] (also saved in {path}).")
    else:
        console.print("Demo data already present; credentials are in "
                      f"{platform.settings.home / 'demo-credentials.txt'}")
    try:
        for app in platform.registry:
            if app.demo is None or (only and app.slug not in only):
                continue
            with console.status(f"Loading the {app.title.en} demo data..."):
                result = app.demo(platform)
            console.print(f"{app.title.en} ({app.slug}): {_demo_outcome(result)}")
    finally:
        platform.close()


def _demo_outcome(result: object) -> str:
    """An app demo's return value as one line: a count of what it added, or its own text."""
    if isinstance(result, int) and not isinstance(result, bool):
        return f"demo data loaded ({result} new)" if result else "demo data already present"
    return "demo data loaded" if result is None else str(result)


def _parse_params(pairs: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


@jobs_cli.command("run")
def jobs_run(
    kind: str,
    user: Annotated[str, typer.Option("--as", help="User the job runs for.")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p")] = None,
) -> None:
    """Start a job and follow it with a progress bar until it ends."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from aiplus.core import identity
    from aiplus.core.identity import Principal

    platform = _platform()
    with platform.db.read() as session:
        principal = Principal.of(identity.get_user(session, user), via="cli")
    job = platform.jobs.submit(principal, kind, _parse_params(param or []))
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task(kind, total=100)
        while True:
            job = platform.jobs.get(principal, job.id)
            bar.update(task, completed=job.progress, description=f"{kind}: {job.message}")
            if job.state.finished:
                break
            time.sleep(0.2)
    platform.close()
    console.print(json.dumps(job.as_dict(), ensure_ascii=False, indent=2))
    if job.status != "succeeded":
        raise typer.Exit(1)


@jobs_cli.command("list")
def jobs_list(user: Annotated[str, typer.Option("--as")]) -> None:
    """Jobs a user may see."""
    from rich.table import Table

    from aiplus.core import identity
    from aiplus.core.identity import Principal

    platform = _platform()
    with platform.db.read() as session:
        principal = Principal.of(identity.get_user(session, user), via="cli")
    table = Table("id", "kind", "status", "progress", "actor")
    for job in platform.jobs.list(principal):
        table.add_row(job.id, job.kind, job.status, f"{job.progress:.0f}%", job.actor)
    console.print(table)


@cli.command()
def bench(
    name: Annotated[str, typer.Argument(help="A benchmark name, or 'all'.")],
    out: Annotated[Path, typer.Option(help="Folder for JSON results.")] = Path("bench/results"),
    quick: Annotated[bool, typer.Option(help="Shorter runs, for smoke tests.")] = False,
) -> None:
    """Run a benchmark: figures beside a baseline measured in the same run, saved as JSON."""
    from aiplus.bench.runner import run_benchmarks

    ok = run_benchmarks(name, out, quick=quick, console=console)
    if not ok:
        raise typer.Exit(1)


def main() -> None:
    """Entry point: domain errors become one clear line, never a stack trace."""
    try:
        cli()
    except AiplusError as error:
        console.print(f"[red]Error:[/red] {error}")
        sys.exit(2)
