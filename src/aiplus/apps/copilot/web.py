"""The copilot pages: one workspace (library, the route form, the result with citations,
side-by-side translation, the draft editor and ratings), a page per document (its chunks,
anchored by page so citations can link to them) and the usage page for administrators.
Forms work without JavaScript; with it, answers stream in (``static/copilot.js``). Each page
has a JSON twin through :func:`page`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from aiplus.apps.copilot.api import read_document
from aiplus.apps.copilot.drafting import DOCX_TYPE, TEMPLATES, to_docx
from aiplus.apps.copilot.library import Library
from aiplus.apps.copilot.routes import Route, Task
from aiplus.apps.copilot.service import Copilot
from aiplus.core.errors import AiplusError, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.platform.negotiation import translator_of
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.web.render import page

router = APIRouter(prefix="/copilot", include_in_schema=False)
STATIC_URL = "/copilot-static"


def _workspace(request: Request, principal: Principal, data: dict[str, Any],
               status: int = 200) -> Response:
    platform = platform_of(request)
    context = {
        "documents": Library(platform).list(principal),
        "templates": [t.as_dict() for t in TEMPLATES.values()],
        "history": Copilot(platform).history(principal, 10),
        "admin_orgs": [org for org in principal.roles if principal.has_role(org, Role.ADMIN)],
        "result": None, "error": None, "notice": None, "form": {}, **data,
    }
    return page(request, "copilot.html", context,
                title=translator_of(request)(N_("Document copilot")), status=status,
                html={"static_url": STATIC_URL})


def _problem(request: Request, problem: AiplusError) -> str:
    return translator_of(request)(problem.message, **problem.params)


@router.get("")
def workspace(request: Request, principal: Principal = Depends(require_user)) -> Response:
    return _workspace(request, principal, {})


@router.post("/documents")
async def upload(request: Request, file: Annotated[UploadFile, File()],
                 shared: Annotated[bool, Form()] = False,
                 principal: Principal = Depends(require_user)) -> Response:
    try:
        document = await read_document(file)
        stored = await run_in_threadpool(Library(platform_of(request)).ingest, principal,
                                         document.filename, document.data, shared=shared)
    except AiplusError as problem:
        return _workspace(request, principal, {"error": _problem(request, problem)},
                          status=problem.status_code)
    if stored["already_uploaded"]:
        notice = translator_of(request)(
            N_("This file is already in the library as {filename}; nothing was added."),
            filename=stored["filename"])
        return _workspace(request, principal, {"notice": notice})
    return RedirectResponse("/copilot", status_code=303)


@router.post("/documents/{document_id}/pin")
def pin(request: Request, document_id: RowId, pinned: Annotated[bool, Form()] = False,
        principal: Principal = Depends(require_user)) -> Response:
    Library(platform_of(request)).update(principal, document_id, pinned=pinned)
    return RedirectResponse("/copilot", status_code=303)


@router.post("/documents/{document_id}/delete")
def delete(request: Request, document_id: RowId,
           principal: Principal = Depends(require_user)) -> Response:
    Library(platform_of(request)).delete(principal, document_id)
    return RedirectResponse("/copilot", status_code=303)


@router.get("/documents/{document_id}")
def document_page(request: Request, document_id: RowId,
                  principal: Principal = Depends(require_user)) -> Response:
    document = Library(platform_of(request)).get(principal, document_id)
    return page(request, "copilot_document.html", {"document": document},
                title=translator_of(request)(N_("Document {name}"), name=document["filename"]))


@router.post("/run")
async def run(request: Request, principal: Principal = Depends(require_user)) -> Response:
    """The workspace form without JavaScript: the result is shown on the same page."""
    form = await request.form()
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    try:
        route = Route(fields.get("route", "chat"))
        task = Task(route=route, text=fields.get("text", ""),
                    document_ids=[int(v) for v in form.getlist("document_ids")
                                  if isinstance(v, str) and v.isdigit()],
                    style=fields.get("style", "bullet"), length=fields.get("length", "short"),
                    mode=fields.get("mode", "extractive"),
                    target=fields.get("target") or None,
                    template=fields.get("template", "internal_memo"),
                    facts={k[5:]: v for k, v in fields.items() if k.startswith("fact_")})
        result = await run_in_threadpool(Copilot(platform_of(request)).run, principal, task)
    except ValueError:
        return _workspace(request, principal, {"error": _problem(request, ValidationFailed()),
                                               "form": fields}, status=422)
    except AiplusError as problem:
        return _workspace(request, principal, {"error": _problem(request, problem),
                                               "form": fields}, status=problem.status_code)
    return _workspace(request, principal, {"result": result, "form": fields})


@router.post("/outputs/{output_id}/rating")
def rate(request: Request, output_id: RowId, score: Annotated[int, Form(ge=1, le=5)],
         comment: Annotated[str, Form(max_length=2000)] = "",
         principal: Principal = Depends(require_user)) -> Response:
    Copilot(platform_of(request)).rate(principal, output_id, score, comment)
    return RedirectResponse("/copilot#history", status_code=303)


@router.post("/export")
def export(text: Annotated[str, Form(min_length=1, max_length=100_000)],
           principal: Principal = Depends(require_user)) -> Response:
    return Response(to_docx(text), media_type=DOCX_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="draft.docx"'})


@router.get("/admin")
def admin(request: Request, org: str = "", principal: Principal = Depends(require_user)) -> Response:
    orgs = [o for o in principal.roles if principal.has_role(o, Role.ADMIN)]
    chosen = org or (orgs[0] if orgs else "")
    usage = Copilot(platform_of(request)).usage(principal, chosen)
    return page(request, "copilot_admin.html", {"usage": usage, "orgs": orgs},
                title=translator_of(request)(N_("Copilot usage and ratings")))
