"""The forms service over HTTP: extraction, applicant status, the review queue, field crops,
review decisions and the corrections export."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from aiplus.apps.forms import intake, templates
from aiplus.apps.forms.service import REVIEWERS, Forms
from aiplus.core.errors import Forbidden
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.platform.negotiation import translator_of
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.uploads import Limits, read_upload

router = APIRouter(prefix="/api/forms", tags=["forms"])
ACCEPTED = frozenset({"pdf", "jpeg", "png", "heic", "webp", "tiff", "gif"})
"""What :func:`~aiplus.apps.forms.intake.pages` opens (PDF through pdfium, images through
Pillow and pillow-heif)."""
UNSUPPORTED = N_("Please upload a JPEG, PNG, HEIC or PDF file.")
Reference = Annotated[str, Field(min_length=8, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
FieldName = Annotated[str, Field(min_length=1, max_length=63, pattern=r"^[a-z_]+$")]


class ReviewBody(BaseModel):
    decision: Literal["approve", "reject"]
    corrections: dict[str, Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=50)
    note: str = Field(default="", max_length=2000)


def may_extract(principal: Principal, template: str, org: str | None) -> None:
    """The service's access and template checks, made before any file is read: a person
    who may not send this form learns that (403, 404) first, and their file is never
    opened."""
    templates.load(template)
    if org is not None and not principal.has_role(org, Role.PUBLIC, *REVIEWERS):
        raise Forbidden()


async def read_form(upload: UploadFile) -> bytes:
    """A form or licence image through the platform's reader, with the forms' own size and
    pixel limits: an image bomb is refused on its header, before intake decodes it."""
    checked = await read_upload(upload, max_bytes=intake.MAX_BYTES, accept=ACCEPTED,
                                limits=replace(Limits.platform(), max_pixels=intake.MAX_PIXELS),
                                unsupported=UNSUPPORTED)
    return checked.data


@router.post("/extract", summary="Read a filled form (and optionally the driving licence)")
async def extract(
    request: Request,
    file: Annotated[UploadFile, File(description="The form: PDF, JPEG, PNG or HEIC.")],
    template: Annotated[str, Form(max_length=63, pattern=r"^[a-z0-9_]+$")] = "idp",
    org: Annotated[str | None, Form(max_length=63)] = None,
    licence: Annotated[UploadFile | None, File(description="Driving licence image.")] = None,
    principal: Principal = Depends(require_user),
) -> dict[str, Any]:
    may_extract(principal, template, org or None)
    data = await read_form(file)
    supporting = await read_form(licence) if licence is not None else None
    return await run_in_threadpool(
        Forms(platform_of(request)).extract, principal, data, translator_of(request),
        template_id=template, org=org or None, licence=supporting)


@router.get("/submissions/{reference}/status", summary="An application's status (applicant)")
def status(request: Request, reference: Reference,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Forms(platform_of(request)).status(principal, reference, translator_of(request))


@router.get("/queue", summary="Submissions waiting for an officer")
def queue(request: Request,
          status: Annotated[Literal["needs_review", "accepted", "rejected", "retake_photo"] | None,
                            Query()] = "needs_review",
          principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"submissions": Forms(platform_of(request)).queue(principal, status)}


@router.get("/submissions/{reference}", summary="A submission with every field, for review")
def detail(request: Request, reference: Reference,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Forms(platform_of(request)).detail(principal, reference, translator_of(request))


@router.get("/submissions/{reference}/crops/{field}", summary="The image around one field",
            response_class=Response)
def crop(request: Request, reference: Reference, field: FieldName,
         principal: Principal = Depends(require_user)) -> Response:
    png = Forms(platform_of(request)).crop(principal, reference, field)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/submissions/{reference}/review", summary="Correct fields and approve or reject")
def review(request: Request, reference: Reference, body: ReviewBody,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Forms(platform_of(request)).review(principal, reference, corrections=body.corrections,
                                              decision=body.decision, note=body.note)


@router.get("/corrections.jsonl", summary="Officers' corrections as training data",
            response_class=Response)
def corrections(request: Request, org: Annotated[str, Query(max_length=63)],
                principal: Principal = Depends(require_user)) -> Response:
    body = Forms(platform_of(request)).export_corrections(principal, org)
    return Response(body, media_type="application/x-ndjson",
                    headers={"Cache-Control": "no-store"})
