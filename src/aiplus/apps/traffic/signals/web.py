"""``/traffic/signals``: start a controller run and compare the finished runs in a table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from aiplus.apps.traffic.signals.api import controllers, runs_of, start
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.platform.negotiation import translator_of
from aiplus.platform.security import require_user
from aiplus.platform.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/traffic/signals")
def signals_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    data = {**controllers(), "runs": runs_of(request, principal)}
    return page(request, "traffic_signals.html", data,
                title=translator_of(request)(N_("Adaptive traffic signals")))


@router.post("/traffic/signals")
def start_from_form(
    request: Request,
    controller: Annotated[str, Form(max_length=20)],
    seconds: Annotated[int, Form(ge=60, le=3600)] = 600,
    principal: Principal = Depends(require_user),
) -> Response:
    job = start(request, principal, {"controller": controller, "seconds": seconds})
    return RedirectResponse(f"/jobs/{job['id']}", status_code=303)
