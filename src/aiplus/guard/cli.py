"""``aiplus guard ...``: train the injection model, run and schedule red-team probes, deliver
alerts. Operators run ``aiplus guard redteam due`` and ``aiplus guard alerts deliver`` from
cron (e.g. every 15 minutes)."""

from __future__ import annotations

import json

import typer

cli = typer.Typer(help="Guardrails, red-teaming and security alerts.", no_args_is_help=True)
redteam = typer.Typer(help="Red-team runs.", no_args_is_help=True)
alerts_app = typer.Typer(help="Security alerts.", no_args_is_help=True)
cli.add_typer(redteam, name="redteam")
cli.add_typer(alerts_app, name="alerts")


def _platform():  # type: ignore[no-untyped-def]
    from aiplus.platform.services import Platform

    return Platform.build()


@cli.command()
def train() -> None:
    """Retrain the prompt-injection classifier (reproducible) and print its manifest."""
    from aiplus.guard.scanners.train import train as fit

    typer.echo(json.dumps(fit(), indent=2, ensure_ascii=False))


@redteam.command("run")
def run(model: str = typer.Option(None, help="Gateway model name"),
        url: str = typer.Option(None, help="App endpoint URL (HTTP target)"),
        category: list[str] = typer.Option(None, help="Probe categories (repeatable)"),
        lang: list[str] = typer.Option(None, help="en or zh-Hant (repeatable)"),
        org: str = typer.Option(None, help="Organisation the run belongs to")) -> None:
    """Run probes now, in this process, with a progress bar; prints the summary."""
    if bool(model) == bool(url):
        raise typer.BadParameter("give exactly one of --model or --url")
    from aiplus.core.identity import Principal
    from aiplus.guard.redteam import runner, service

    target = {"kind": "model", "model": model} if model else {"kind": "http", "url": url}
    platform = _platform()
    try:
        chosen = service.selection({"categories": category or None, "langs": lang or None})
        created = service.create_run(platform.db, Principal(username="cli"), org, target, chosen)
        total = len(runner.select_probes(chosen["categories"], chosen["langs"]))
        with typer.progressbar(length=100, label=f"{total} probes") as bar:
            last = [0.0]

            def progress(percent: float, _message: str) -> None:
                bar.update(int(percent - last[0]))
                last[0] = int(percent)

            summary = service.execute(platform.db, platform.settings, created.id, progress,
                                      platform=platform)
        typer.echo(json.dumps({"run_id": created.id, **summary}, indent=2, ensure_ascii=False))
    finally:
        platform.close()


@redteam.command("due")
def due() -> None:
    """Execute every red-team schedule that is due (call from cron)."""
    from aiplus.guard.redteam import service

    platform = _platform()
    try:
        typer.echo(json.dumps({"runs": service.run_due(platform)}))
    finally:
        platform.close()


@alerts_app.command("deliver")
def deliver() -> None:
    """Send pending webhook alerts from the outbox."""
    from aiplus.guard.monitor import alerts

    platform = _platform()
    try:
        allowed = platform.settings.webhook_allowed_hosts
        typer.echo(json.dumps(alerts.deliver(platform.db, allowed_hosts=allowed)))
    finally:
        platform.close()
