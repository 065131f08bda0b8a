"""``/api/security/redteam/...``: start runs (officers, admins), list them, fetch results."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select

from aiplus.core.errors import Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.guard.redteam import service
from aiplus.guard.redteam.tables import RedteamRun, RedteamSchedule
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user

router = APIRouter(prefix="/api/security/redteam", tags=["red team"])
ROLES = (Role.OFFICER, Role.ADMIN)


def may_redteam(principal: Principal, org: str | None) -> bool:
    return principal.platform_admin or (org is not None and principal.has_role(org, *ROLES))


async def _body(request: Request) -> dict[str, Any]:
    """The JSON object sent, with ``org`` (when given) an organisation slug: the org decides
    who may run probes, so a list or number there must be refused, not looked up."""
    try:
        body = await request.json()
    except ValueError:
        raise ValidationFailed(N_("The body must be valid JSON.")) from None
    if not isinstance(body, dict):
        raise ValidationFailed(N_("The body must be a JSON object."))
    org = body.get("org")
    if org is not None and not isinstance(org, str):
        raise ValidationFailed(details={"org": [N_("Must be an organisation slug (text).")]})
    return body


def visible_runs(request: Request, principal: Principal) -> list[RedteamRun]:
    with platform_of(request).db.read() as session:
        rows = session.scalars(select(RedteamRun).order_by(RedteamRun.id.desc()).limit(200)).all()
    return [r for r in rows if may_redteam(principal, r.org)]


def _run(request: Request, principal: Principal, run_id: int) -> RedteamRun:
    with platform_of(request).db.read() as session:
        run = session.get(RedteamRun, run_id)
    if run is None or not may_redteam(principal, run.org):
        raise NotFound(N_("There is no red-team run {run_id}."), run_id=run_id)
    return run


@router.post("/runs", status_code=202)
async def start_run(request: Request,
                    principal: Principal = Depends(require_user)) -> dict[str, Any]:
    body = await _body(request)
    if not may_redteam(principal, body.get("org") or next(iter(principal.roles), None)):
        raise Forbidden(N_("Only officers and administrators may run red-team probes."))
    return service.start(platform_of(request), principal, body).as_dict()


@router.get("/runs")
def list_runs(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"runs": [r.as_dict() for r in visible_runs(request, principal)]}


@router.get("/runs/{run_id}")
def get_run(request: Request, run_id: RowId,
            principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return _run(request, principal, run_id).as_dict()


@router.get("/runs/{run_id}/results.jsonl")
def results(request: Request, run_id: RowId,
            principal: Principal = Depends(require_user)) -> Response:
    run = _run(request, principal, run_id)
    if not run.results_key:
        raise NotFound(N_("This run has no results yet."))
    body = platform_of(request).files.read_bytes(run.results_key)
    return Response(body, media_type="application/x-ndjson")


@router.get("/runs/{run_id}/report.html")
def report(request: Request, run_id: RowId,
           principal: Principal = Depends(require_user)) -> Response:
    run = _run(request, principal, run_id)
    if not run.report_key:
        raise NotFound(N_("This run has no report yet."))
    return Response(platform_of(request).files.read_bytes(run.report_key),
                    media_type="text/html; charset=utf-8")


@router.post("/schedules", status_code=201)
async def add_schedule(request: Request,
                       principal: Principal = Depends(require_user)) -> dict[str, Any]:
    body = await _body(request)
    if not may_redteam(principal, body.get("org") or next(iter(principal.roles), None)):
        raise Forbidden(N_("Only officers and administrators may run red-team probes."))
    return service.add_schedule(platform_of(request).db, principal, body).as_dict()


@router.get("/schedules")
def list_schedules(request: Request,
                   principal: Principal = Depends(require_user)) -> dict[str, Any]:
    with platform_of(request).db.read() as session:
        rows = session.scalars(select(RedteamSchedule).order_by(RedteamSchedule.id)).all()
    return {"schedules": [r.as_dict() for r in rows if may_redteam(principal, r.org)]}
