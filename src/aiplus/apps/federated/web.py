"""The federated-learning pages: the federation (participants, agreements, a form to start a
run, runs side by side) and one run (progress and its round-by-round journal). Each page has
a JSON twin through :func:`page`; the form posts reuse the JSON API's checks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from aiplus.apps.federated.service import READERS, Federation, RunSettings
from aiplus.core.errors import AiplusError, NotFound
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.platform.negotiation import translator_of
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.web.render import page

router = APIRouter(prefix="/federated", include_in_schema=False)


def _federation_page(request: Request, principal: Principal, org: str | None,
                     error: str | None = None, status: int = 200) -> Response:
    service = Federation(platform_of(request))
    coordinating = service.federations(principal)
    orgs = sorted({*coordinating, *(o for o in principal.roles if principal.has_role(o, *READERS))})
    # a federation with participants first: that is what the visitor came to see
    org = org if org in orgs else next(iter(coordinating or orgs), None)
    data: dict[str, Any] = {"org": org, "participants": [], "runs": []}
    if org:
        data["participants"] = service.participants(principal, org)
        data["runs"] = service.runs(principal, org)
    ready = any(p["ready"] for p in data["participants"])
    may_run = bool(org) and principal.has_role(org, Role.OFFICER) and ready
    return page(request, "federated/federation.html", data, status=status,
                title=translator_of(request)(N_("Federated learning")),
                html={"orgs": orgs, "may_run": may_run, "error": error})


@router.get("")
def federation(request: Request, org: str | None = None,
               principal: Principal = Depends(require_user)) -> Response:
    return _federation_page(request, principal, org)


@router.post("/runs")
def start_run(
    request: Request, org: Annotated[str, Form(max_length=63)],
    participant_ids: Annotated[list[int] | None, Form()] = None,
    model: Annotated[str, Form(max_length=10)] = "lr",
    strategy: Annotated[str, Form(max_length=10)] = "fedavg",
    partition: Annotated[str, Form(max_length=100)] = "dirichlet:0.5",
    rounds: Annotated[int, Form(ge=1, le=30)] = 3,
    secagg: Annotated[bool, Form()] = False,
    dp_epsilon: Annotated[str, Form(max_length=20)] = "",
    principal: Principal = Depends(require_user),
) -> Response:
    try:
        epsilon = float(dp_epsilon) if dp_epsilon.strip() else None
    except ValueError:
        epsilon = -1.0
    try:
        if epsilon is not None and not 0 < epsilon <= 100:
            raise AiplusError(N_("The privacy budget epsilon must be above 0."))
        started = Federation(platform_of(request)).start(principal, org, RunSettings(
            participant_ids=participant_ids or [], model=model, strategy=strategy,
            partition=partition, rounds=rounds, secagg=secagg, dp_epsilon=epsilon))
    except AiplusError as problem:
        message = translator_of(request)(problem.message, **problem.params)
        code = problem.status_code if problem.status_code < 500 else 422
        return _federation_page(request, principal, org, error=message, status=code)
    return RedirectResponse(f"/federated/runs/{started['id']}", status_code=303)


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: RowId,
             principal: Principal = Depends(require_user)) -> Response:
    data = Federation(platform_of(request)).run(principal, run_id)
    data["progress"] = None
    if data["job_id"]:
        try:  # the job is visible to whoever started it and the organisation's admins
            data["progress"] = platform_of(request).jobs.get(principal, data["job_id"]).progress
        except NotFound:
            pass
    return page(request, "federated/run.html", data,
                title=translator_of(request)(N_("Federated run {id}"), id=run_id))
