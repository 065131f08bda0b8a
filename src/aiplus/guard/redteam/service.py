"""Red-team runs as platform jobs, and schedules that re-run them.

A run row is written first, then the job ``ai-security.redteam`` (:mod:`.jobs`) executes it
with progress and cancellation; the CLI's ``aiplus guard redteam due`` (run it from cron, e.g.
hourly) executes every schedule whose time has come and moves it one interval on.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from sqlalchemy import select

from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.core.settings import Settings
from aiplus.core.storage import FileStore
from aiplus.guard.contract import CallContext
from aiplus.guard.redteam import runner
from aiplus.guard.redteam.chat import chat_service_of
from aiplus.guard.redteam.tables import RedteamResult, RedteamRun, RedteamSchedule
from aiplus.guard.scanners.canary import canary_for

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

JOB_NAME = "ai-security.redteam"


def selection(body: dict[str, Any]) -> dict[str, Any]:
    categories, langs = body.get("categories"), body.get("langs")
    for value in (categories, langs):
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ValidationFailed(N_("Categories and languages must be lists of names."))
    runner.select_probes(categories, langs)  # validates the names
    return {"categories": categories or [], "langs": langs or []}


def create_run(db: Database, principal: Principal, org: str | None, target: dict[str, Any],
               chosen: dict[str, Any], schedule_id: int | None = None) -> RedteamRun:
    with db.transaction() as session:
        run = RedteamRun(actor=principal.actor, org=org, target=runner.validate_target(target),
                         categories=chosen, schedule_id=schedule_id)
        session.add(run)
        session.flush()
        audit.record(session, actor=principal.actor, org=org, action="guard.redteam.create",
                     target=f"redteam-run:{run.id}", detail={"target": run.target.get("url")
                                                             or run.target.get("model")})
        return run


def execute(db: Database, settings: Settings, run_id: int, progress=None,  # type: ignore[no-untyped-def]
            platform: Platform | None = None) -> dict[str, Any]:
    """Send the run's probes, store results, JSONL and HTML report; returns the summary."""
    with db.transaction() as session:
        run = session.get(RedteamRun, run_id)
        if run is None:
            raise ValidationFailed(N_("There is no red-team run {run_id}."), run_id=run_id)
        run.status = "running"
        target, chosen, org = dict(run.target), dict(run.categories), run.org
    probes = runner.select_probes(chosen.get("categories"), chosen.get("langs"))
    context = CallContext(org=org, app="redteam", user=f"redteam-run-{run_id}")
    client, owned = None, None
    if target["kind"] == "http":
        client = httpx.Client(timeout=60.0)
        send, canary = runner.http_sender(target, client), None
    else:
        if platform is None:
            from aiplus.platform.services import Platform

            platform = owned = Platform.build(settings)  # a job worker has none of its own
        canary = canary_for(settings.session_secret, context)
        send = runner.model_sender(chat_service_of(platform), target["model"], canary, context)
    try:
        results = runner.run_probes(
            probes, send, canary,
            lambda done, total: progress(5 + 85 * done / total, N_("Sending probes"))
            if progress else None)
    finally:
        if client is not None:
            client.close()
        if owned is not None:
            owned.close()
    summary = runner.summarise(results)
    files = FileStore(settings.files_dir)
    stem = f"redteam/run-{run_id}"
    files.write_bytes(f"{stem}.jsonl", runner.to_jsonl(results).encode())
    files.write_bytes(f"{stem}.html", runner.html_report(target, results, summary).encode())
    with db.transaction() as session:
        run = session.get(RedteamRun, run_id)
        assert run is not None
        session.add_all(RedteamResult(run_id=run_id, probe_id=r["id"], category=r["category"],
                                      lang=r["lang"], verdict=r["verdict"], response=r["response"])
                        for r in results)
        run.status, run.summary, run.finished_at = "finished", summary, utcnow()
        run.results_key, run.report_key = f"{stem}.jsonl", f"{stem}.html"
        audit.record(session, actor=run.actor, org=run.org, action="guard.redteam.finish",
                     target=f"redteam-run:{run_id}", detail=summary)
    return summary


def start(platform: Platform, principal: Principal, body: Any) -> RedteamRun:
    """Create a run and submit its job; officers and admins of ``org`` may."""
    if not isinstance(body, dict):
        raise ValidationFailed(N_("The body must be a JSON object."))
    org = body.get("org") or next(iter(principal.roles), None)
    run = create_run(platform.db, principal, org, body.get("target"), selection(body))
    job = platform.jobs.submit(principal, JOB_NAME, {"run_id": run.id}, org=org)
    with platform.db.transaction() as session:
        stored = session.get(RedteamRun, run.id)
        assert stored is not None
        stored.job_id = job.id
        return stored


def add_schedule(db: Database, principal: Principal, body: Any) -> RedteamSchedule:
    if not isinstance(body, dict):
        raise ValidationFailed(N_("The body must be a JSON object."))
    hours = body.get("interval_hours", 168)
    if not isinstance(hours, int) or not 1 <= hours <= 24 * 366:
        raise ValidationFailed(N_("The interval must be 1 to 8784 hours."))
    org = body.get("org") or next(iter(principal.roles), None)
    with db.transaction() as session:
        schedule = RedteamSchedule(org=org, target=runner.validate_target(body.get("target")),
                                   categories=selection(body), interval_hours=hours,
                                   created_by=principal.actor)
        session.add(schedule)
        session.flush()
        audit.record(session, actor=principal.actor, org=org, action="guard.redteam.schedule",
                     target=f"redteam-schedule:{schedule.id}", detail={"hours": hours})
        return schedule


def run_due(platform: Platform) -> list[int]:
    """Execute every due schedule now (in this process) and move it one interval on."""
    now = utcnow()
    with platform.db.read() as session:
        due = session.scalars(select(RedteamSchedule).where(
            RedteamSchedule.active.is_(True), RedteamSchedule.next_due_at <= now)).all()
    done = []
    for schedule in due:
        scheduler = Principal(username=f"schedule-{schedule.id}")
        run = create_run(platform.db, scheduler, schedule.org, schedule.target,
                         schedule.categories, schedule.id)
        with platform.db.transaction() as session:
            stored = session.get(RedteamSchedule, schedule.id)
            assert stored is not None
            stored.next_due_at = now + timedelta(hours=stored.interval_hours)
        execute(platform.db, platform.settings, run.id, platform=platform)
        done.append(run.id)
    return done
