"""``/api/traffic``: served forecasts (public, as open data), ingestion runs and quarantine
counts, and starting the polling and refresh jobs (authenticated; the job service checks
roles and audits)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from aiplus.apps.traffic.ingest.feeds import PARSERS
from aiplus.apps.traffic.jobs import FORECAST, POLL
from aiplus.apps.traffic.service import overview
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.platform.security import platform_of, require_user

router = APIRouter(prefix="/api/traffic", tags=["traffic"])
User = Annotated[Principal, Depends(require_user)]


class PollBody(BaseModel):
    source: str = Field(max_length=20, description="jti, speedmap, detector, weather, forecast")
    location: str = Field(max_length=500, description="http(s) URL or traffic inbox folder")
    org: str | None = Field(default=None, max_length=63)


class RefreshBody(BaseModel):
    org: str | None = Field(default=None, max_length=63)


@router.get("/forecasts", summary="Journey-time forecasts for every route, +15 to +90 min")
async def forecasts(request: Request) -> dict[str, Any]:
    return await run_in_threadpool(overview, platform_of(request).db)


@router.post("/poll", summary="Start a feed polling job (administrators)")
def start_poll(request: Request, body: PollBody, principal: User) -> dict[str, Any]:
    if body.source not in PARSERS:
        raise ValidationFailed(N_("Unknown feed source {source}."), source=body.source)
    job = platform_of(request).jobs.submit(
        principal, POLL.name, {"source": body.source, "location": body.location,
                               "actor": principal.actor}, body.org)
    return job.as_dict()


@router.post("/forecasts/refresh", summary="Start a forecast refresh job")
def start_refresh(request: Request, body: RefreshBody, principal: User) -> dict[str, Any]:
    job = platform_of(request).jobs.submit(principal, FORECAST.name,
                                           {"actor": principal.actor}, body.org)
    return job.as_dict()
