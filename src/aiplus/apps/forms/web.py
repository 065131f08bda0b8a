"""The forms pages: applicants upload a form and follow its status; officers work the review
queue, seeing each field's image crop beside the value read, correcting and deciding.
Each page has a JSON twin through :func:`page`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from aiplus.apps.forms.api import may_extract, read_form
from aiplus.apps.forms.extract import STATUS_LABELS
from aiplus.apps.forms.service import REVIEWERS, Forms
from aiplus.core.errors import AiplusError, BadRequest, NotFound
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.platform.negotiation import translator_of
from aiplus.platform.security import platform_of, request_guard, require_user
from aiplus.platform.web.render import page

router = APIRouter(prefix="/forms", include_in_schema=False)


def _upload_page(request: Request, principal: Principal, data: dict[str, Any],
                 status: int = 200) -> Response:
    orgs = sorted(org for org in principal.roles if principal.has_role(org, Role.PUBLIC, *REVIEWERS))
    return page(request, "forms_upload.html", {"orgs": orgs, **data},
                title=translator_of(request)(N_("Apply with a form")), status=status,
                html={"status_labels": STATUS_LABELS})


@router.get("")
def upload_page(request: Request, principal: Principal = Depends(request_guard)) -> Response:
    return _upload_page(request, principal, {"result": None, "error": None})


@router.post("")
async def upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    org: Annotated[str, Form(max_length=63)] = "",
    licence: Annotated[UploadFile | None, File()] = None,
    principal: Principal = Depends(require_user),
) -> Response:
    translate = translator_of(request)
    try:
        may_extract(principal, "idp", org or None)
        data = await read_form(file)
        supporting = await read_form(licence) if licence is not None and licence.filename else None
        result = await run_in_threadpool(
            Forms(platform_of(request)).extract, principal, data, translate,
            template_id="idp", org=org or None, licence=supporting)
    except AiplusError as problem:
        message = translate(problem.message, **problem.params)
        return _upload_page(request, principal, {"result": None, "error": message},
                            status=problem.status_code)
    return _upload_page(request, principal, {"result": result, "error": None})


@router.get("/status")
def status_page(request: Request, reference: str = "",
                principal: Principal = Depends(require_user)) -> Response:
    translate = translator_of(request)
    result, error = None, None
    if reference:
        try:
            result = Forms(platform_of(request)).status(principal, reference[:32], translate)
        except NotFound:
            error = translate(N_("No application with this reference was found."))
    return page(request, "forms_status.html", {"reference": reference[:32], "result": result,
                                               "error": error},
                title=translate(N_("Application status")), status=404 if error else 200,
                html={"status_labels": STATUS_LABELS})


@router.get("/review")
def queue_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    submissions = Forms(platform_of(request)).queue(principal, "needs_review")
    return page(request, "forms_queue.html", {"submissions": submissions},
                title=translator_of(request)(N_("Form review queue")))


@router.get("/review/{reference}")
def review_page(request: Request, reference: str,
                principal: Principal = Depends(require_user)) -> Response:
    detail = Forms(platform_of(request)).detail(principal, reference[:32], translator_of(request))
    return page(request, "forms_review.html", {"submission": detail, "error": None},
                title=translator_of(request)(N_("Review a form")),
                html={"status_labels": STATUS_LABELS})


@router.post("/review/{reference}")
async def review(request: Request, reference: str,
                 principal: Principal = Depends(require_user)) -> Response:
    form = await request.form()
    decision = str(form.get("decision", ""))
    note = str(form.get("note", ""))[:2000]
    forms = Forms(platform_of(request))
    translate = translator_of(request)
    current = forms.detail(principal, reference[:32], translate)
    corrections = {item["name"]: str(form.get(f"field_{item['name']}", item["value"]))[:500]
                   for item in current["fields"]
                   if str(form.get(f"field_{item['name']}", item["value"])) != item["value"]}
    try:
        if decision not in ("approve", "reject"):
            raise BadRequest(N_("The decision must be approve or reject."))
        forms.review(principal, reference[:32], corrections=corrections, decision=decision,
                     note=note)
    except AiplusError as problem:
        return page(request, "forms_review.html",
                    {"submission": current, "error": translate(problem.message, **problem.params)},
                    title=translate(N_("Review a form")), status=problem.status_code,
                    html={"status_labels": STATUS_LABELS})
    return RedirectResponse("/forms/review", status_code=303)
