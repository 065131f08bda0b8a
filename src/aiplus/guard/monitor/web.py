"""Pages: /security/monitor (dashboard) and /security/incidents; each has a JSON twin
(``?format=json``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.guard.monitor import incidents
from aiplus.guard.monitor.api import reviewer_orgs
from aiplus.platform.negotiation import translator_of
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.web.render import page

router = APIRouter(include_in_schema=False)
TEMPLATES = Path(__file__).resolve().parent / "templates"


@router.get("/security/monitor")
def monitor_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    orgs = reviewer_orgs(principal)
    with platform_of(request).db.read() as session:
        data = incidents.dashboard(session, orgs, 30)
    return page(request, "security_monitor.html", data,
                title=translator_of(request)(N_("AI security monitor")))


@router.get("/security/incidents")
def incidents_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    orgs = reviewer_orgs(principal)
    with platform_of(request).db.read() as session:
        rows = [i.as_dict() for i in incidents.list_incidents(session, orgs, limit=200)]
    return page(request, "security_incidents.html", {"incidents": rows},
                title=translator_of(request)(N_("Security incidents")))
