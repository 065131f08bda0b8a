"""Jobs over JSON: start, follow, read logs, cancel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from aiplus.core.identity import MAX_ROW_ID, Principal
from aiplus.platform.api import Body
from aiplus.platform.security import platform_of, require_user

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


class JobIn(Body):
    kind: str = Field(min_length=1, max_length=100)
    params: dict[str, Any] = Field(default_factory=dict)
    org: str | None = Field(default=None, max_length=63)


@router.post("", status_code=202, summary="Start a job")
def submit(request: Request, body: JobIn, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return platform_of(request).jobs.submit(principal, body.kind, body.params, body.org).as_dict()


@router.get("", summary="Jobs you may see, newest first")
def list_jobs(
    request: Request, limit: int = Query(50, ge=1, le=500),
    principal: Principal = Depends(require_user),
) -> dict[str, Any]:
    return {"jobs": [job.as_dict() for job in platform_of(request).jobs.list(principal, limit)]}


@router.get("/kinds", summary="Kinds of job this platform runs")
def kinds(request: Request) -> dict[str, Any]:
    return {"kinds": [
        {"name": k.name, "title": {"en": k.title_en, "zh-Hant": k.title_zh},
         "roles": [str(r) for r in k.roles]}
        for k in platform_of(request).jobs.kinds.values()
    ]}


@router.get("/{job_id}", summary="One job's status and progress")
def show(request: Request, job_id: str, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return platform_of(request).jobs.get(principal, job_id).as_dict()


@router.get("/{job_id}/logs", summary="A job's log lines after a given id")
def logs(
    request: Request, job_id: str, after: int = Query(0, ge=0, le=MAX_ROW_ID),
    principal: Principal = Depends(require_user),
) -> dict[str, Any]:
    lines = platform_of(request).jobs.logs(principal, job_id, after)
    return {"logs": [line.as_dict() for line in lines]}


@router.post("/{job_id}/cancel", summary="Ask a job to stop")
def cancel(request: Request, job_id: str, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return platform_of(request).jobs.cancel(principal, job_id).as_dict()
