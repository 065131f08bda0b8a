"""``/api/traffic/signals``: the controllers on offer, start a run on the shipped corridor
(officers, administrators) and read one's runs with their figures."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from aiplus.apps.traffic.signals.jobs import CONTROLLER_NAMES, MAX_SECONDS, run_job, validate
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.platform.security import platform_of, require_user

router = APIRouter(prefix="/api/traffic/signals", tags=["traffic signals"])


@router.get("/controllers", summary="Controllers that can be run and the longest run allowed")
def controllers() -> dict[str, Any]:
    return {"controllers": list(CONTROLLER_NAMES), "max_seconds": MAX_SECONDS,
            "scenario": "corridor"}


def start(request: Request, principal: Principal, params: Any) -> dict[str, Any]:
    """Validate and queue a run; the job service checks the role and audits the write."""
    if not isinstance(params, dict):
        raise ValidationFailed(N_("The body must be a JSON object."))
    org = params.get("org") if isinstance(params.get("org"), str) else None
    job = platform_of(request).jobs.submit(principal, run_job.name, validate(params), org)
    return job.as_dict()


def runs_of(request: Request, principal: Principal) -> list[dict[str, Any]]:
    jobs = platform_of(request).jobs.list(principal, limit=200)
    return [job.as_dict() for job in jobs if job.kind == run_job.name]


@router.post("/runs", status_code=202, summary="Run a controller on the shipped corridor")
async def start_run(request: Request,
                    principal: Principal = Depends(require_user)) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ValidationFailed(N_("The body must be valid JSON.")) from None
    return start(request, principal, body)


@router.get("/runs", summary="Your controller runs and their figures")
def list_runs(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"runs": runs_of(request, principal)}
