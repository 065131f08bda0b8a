"""The copilot over HTTP: the document library, the route graph (with a server-sent-events
twin for streaming), ratings, templates, the glossary and usage for admins (DOCX export
is a portal form: see :mod:`.web`).
Every route needs a signed-in officer; what they reach is decided by the service."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from aiplus.apps.copilot import intake
from aiplus.apps.copilot.drafting import TEMPLATES
from aiplus.apps.copilot.library import Library
from aiplus.apps.copilot.routes import Route, Task
from aiplus.apps.copilot.service import Copilot
from aiplus.apps.copilot.settings import copilot_settings
from aiplus.core.identity import Principal
from aiplus.platform.negotiation import translator_of
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.uploads import CheckedUpload, read_upload

router = APIRouter(prefix="/api/copilot", tags=["copilot"])


class TaskBody(BaseModel):
    route: Route | None = None
    text: str = Field(default="", max_length=60_000)
    document_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=20)
    style: Literal["bullet", "executive", "minutes"] = "bullet"
    length: Literal["short", "medium", "long"] = "short"
    mode: Literal["extractive", "abstractive"] = "extractive"
    target: Literal["en", "zh-Hant"] | None = None
    template: str = Field(default="internal_memo", max_length=40)
    facts: dict[str, Annotated[str, Field(max_length=8000)]] = Field(default_factory=dict,
                                                                     max_length=10)
    org: str | None = Field(default=None, max_length=63)

    def task(self) -> Task:
        return Task(**self.model_dump())


class DocumentPatch(BaseModel):
    pinned: bool | None = None
    shared: bool | None = None


class RatingBody(BaseModel):
    score: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


class TermBody(BaseModel):
    en: str = Field(max_length=200)
    zh: str = Field(max_length=200)
    org: str | None = Field(default=None, max_length=63)


async def read_document(upload: UploadFile) -> CheckedUpload:
    """The upload through the platform's reader, with the copilot's own size and archive
    limits and kinds (the web form uses it too)."""
    settings = copilot_settings()
    return await read_upload(upload, max_bytes=settings.max_upload_bytes,
                             accept=intake.ACCEPTED, limits=intake.limits_of(settings),
                             unsupported=intake.UNSUPPORTED)


@router.get("/documents", summary="The documents you may read")
def list_documents(request: Request,
                   principal: Principal = Depends(require_user)) -> list[dict[str, Any]]:
    return Library(platform_of(request)).list(principal)


@router.post("/documents", status_code=201, summary="Upload a document (PDF, DOCX, XLSX, "
             "HTML, TXT, EML)",
             responses={200: {"description": "The library already holds this very file: the "
                                             "existing document, marked already_uploaded"}})
async def upload(request: Request, file: Annotated[UploadFile, File()],
                 org: Annotated[str | None, Form(max_length=63)] = None,
                 shared: Annotated[bool, Form()] = False,
                 principal: Principal = Depends(require_user)) -> JSONResponse:
    """201 with the new document; 200 with the existing one (``already_uploaded``) when the
    caller's library holds the same bytes already."""
    document = await read_document(file)
    stored = await run_in_threadpool(Library(platform_of(request)).ingest, principal,
                                     document.filename, document.data, org=org or None,
                                     shared=shared)
    return JSONResponse(stored, status_code=200 if stored["already_uploaded"] else 201)


@router.get("/documents/{document_id}", summary="A document, its status and its chunks")
def get_document(request: Request, document_id: RowId,
                 principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Library(platform_of(request)).get(principal, document_id)


@router.patch("/documents/{document_id}", summary="Pin (keep past retention) or share")
def patch_document(request: Request, document_id: RowId, body: DocumentPatch,
                   principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Library(platform_of(request)).update(principal, document_id, pinned=body.pinned,
                                                shared=body.shared)


@router.delete("/documents/{document_id}", status_code=204, response_class=Response,
               summary="Delete a document, its chunks and its file")
def delete_document(request: Request, document_id: RowId,
                    principal: Principal = Depends(require_user)) -> Response:
    Library(platform_of(request)).delete(principal, document_id)
    return Response(status_code=204)


@router.post("/run", summary="Chat, ask documents, summarise, translate or draft")
async def run_task(request: Request, body: TaskBody,
                   principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return await run_in_threadpool(Copilot(platform_of(request)).run, principal, body.task())


@router.post("/stream", summary="The same, as server-sent events (delta, output, error)",
             response_class=StreamingResponse)
async def stream_task(request: Request, body: TaskBody,
                      principal: Principal = Depends(require_user)) -> StreamingResponse:
    events = Copilot(platform_of(request)).stream(principal, body.task(),
                                                  translator_of(request))
    return StreamingResponse(iterate_in_threadpool(events), media_type="text/event-stream")


@router.get("/outputs", summary="Your recent outputs with their provenance")
def outputs(request: Request, limit: Annotated[int, Query(ge=1, le=100)] = 20,
            principal: Principal = Depends(require_user)) -> list[dict[str, Any]]:
    return Copilot(platform_of(request)).history(principal, limit)


@router.post("/outputs/{output_id}/rating", summary="Rate an output 1-5 with a comment")
def rate(request: Request, output_id: RowId, body: RatingBody,
         principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Copilot(platform_of(request)).rate(principal, output_id, body.score, body.comment)


@router.get("/templates", summary="The drafting templates")
def templates(principal: Principal = Depends(require_user)) -> list[dict[str, object]]:
    return [t.as_dict() for t in TEMPLATES.values()]


@router.get("/glossary", summary="The glossary of government terms")
def get_glossary(request: Request, org: Annotated[str | None, Query(max_length=63)] = None,
                 principal: Principal = Depends(require_user)) -> list[dict[str, str]]:
    return Copilot(platform_of(request)).glossary(principal, org)


@router.post("/glossary", summary="Add or correct a glossary term")
def save_term(request: Request, body: TermBody,
              principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Copilot(platform_of(request)).save_term(principal, body.en, body.zh, body.org)


@router.get("/usage", summary="Usage and ratings of an organisation (its admins)")
def usage(request: Request, org: Annotated[str, Query(max_length=63)],
          principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Copilot(platform_of(request)).usage(principal, org)
