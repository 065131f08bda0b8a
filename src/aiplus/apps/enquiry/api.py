"""The enquiry service over HTTP: public asking (text and voice), officers' knowledge-base
editing and review, the hand-over queue, call log, SMS outbox and analytics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from aiplus.apps.enquiry.answering import Enquiries
from aiplus.apps.enquiry.calls import VoiceEnquiries
from aiplus.apps.enquiry.console import Console
from aiplus.apps.enquiry.formats import (
    FaqRecord,
    RowProblems,
    format_of,
    read_records,
    record_from,
    write_records,
)
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.apps.enquiry.voice.audio import WRONG_FORMAT
from aiplus.core.errors import ValidationFailed
from aiplus.core.identity import Principal
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, public_write, request_guard, require_user
from aiplus.platform.uploads import read_upload

router = APIRouter(prefix="/api/enquiry", tags=["enquiry"])
MEDIA_TYPES = {"json": "application/json", "jsonl": "application/x-ndjson",
               "csv": "text/csv; charset=utf-8"}
MAX_IMPORT_BYTES = 20 * 1024 * 1024
VOICE_KINDS = frozenset({"wav", "mp3", "ogg", "webm"})
"""What :func:`~aiplus.apps.enquiry.voice.audio.decode_audio` decodes (by content)."""
IMPORT_KINDS = frozenset({"csv", "json", "jsonl"})


class AskBody(BaseModel):
    text: Any = Field(description="The question, in English or Chinese (checked by the service).")
    kb: str | None = Field(default=None, max_length=63)
    lang: Literal["auto", "en", "zh-Hant"] = "auto"
    conversation_id: str | None = Field(default=None, max_length=64)


class KbBody(BaseModel):
    name: str = Field(max_length=63)
    org: str = Field(max_length=63)
    title_en: str = Field(default="", max_length=200)
    title_zh: str = Field(default="", max_length=200)


class FaqBody(BaseModel):
    question: str | None = None
    answer: str | None = None
    question_zh: str | None = None
    answer_zh: str | None = None
    phrasings: list[str] = Field(default_factory=list, max_length=50)
    category: str | None = Field(default=None, max_length=100)
    department: str | None = Field(default=None, max_length=100)
    source_url: str | None = Field(default=None, max_length=1000)
    valid_from: str | None = None
    valid_to: str | None = None
    submit: bool = True


class ReviewBody(BaseModel):
    note: str = Field(default="", max_length=2000)


class HandoverBody(BaseModel):
    reply: str = Field(default="", max_length=5000)
    close: bool = False


def checked_record(raw: dict[str, Any]) -> FaqRecord:
    """One FAQ from a form or JSON body, validated like a row of an import file."""
    problems = RowProblems()
    record = record_from(raw, 1, problems)
    if record is None:
        raise ValidationFailed(details=[{"field": p["field"], "message": p["message"]}
                                        for p in problems.problems])
    return record


@router.post("/ask", summary="Answer a question from the FAQs, or hand it over to an officer",
             dependencies=[Depends(public_write)])
async def ask(request: Request, body: AskBody,
              principal: Principal = Depends(request_guard)) -> dict[str, Any]:
    return await run_in_threadpool(
        Enquiries(platform_of(request)).ask, body.text, kb=body.kb, lang=body.lang,
        conversation_id=body.conversation_id, actor=principal.actor)


@router.post("/voice", summary="Answer a recorded voice enquiry by SMS and/or voice message",
             dependencies=[Depends(public_write)])
async def voice(
    request: Request, file: Annotated[UploadFile, File()],
    phone: Annotated[str, Form(max_length=30)] = "",
    reply: Annotated[str, Form(max_length=10)] = "sms",
    kb: Annotated[str | None, Form(max_length=63)] = None,
    principal: Principal = Depends(request_guard),
) -> dict[str, Any]:
    recording = await read_upload(file, max_bytes=enquiry_settings().max_audio_bytes,
                                  accept=VOICE_KINDS, unsupported=WRONG_FORMAT)
    return await run_in_threadpool(
        VoiceEnquiries(platform_of(request)).handle, recording.data, kb=kb, phone=phone or None,
        reply=reply, actor=principal.actor)


@router.get("/calls/{reference}/reply.wav", summary="The voice message answering a call",
            response_class=Response)
def voice_reply(request: Request, reference: str) -> Response:
    return Response(VoiceEnquiries(platform_of(request)).voice_reply(reference),
                    media_type="audio/wav")


@router.get("/kbs", summary="Knowledge bases")
def kbs(request: Request) -> dict[str, Any]:
    return {"kbs": KnowledgeBases(platform_of(request)).list()}


@router.post("/kbs", summary="Create a knowledge base", status_code=201)
def create_kb(request: Request, body: KbBody,
              principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return KnowledgeBases(platform_of(request)).create_kb(
        principal, body.name, body.title_en, body.title_zh, body.org)


@router.get("/kbs/{name}/faqs", summary="A knowledge base's FAQs, live and newest versions")
def faqs(request: Request, name: str, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"kb": name, "faqs": KnowledgeBases(platform_of(request)).faqs(principal, name)}


@router.get("/kbs/{name}/faqs/{faq_id}", summary="One FAQ with all its versions")
def faq(request: Request, name: str, faq_id: str,
        principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return KnowledgeBases(platform_of(request)).faq(principal, name, faq_id)


@router.put("/kbs/{name}/faqs/{faq_id}", summary="Edit (or add) an FAQ as a new version")
def edit_faq(request: Request, name: str, faq_id: str, body: FaqBody,
             principal: Principal = Depends(require_user)) -> dict[str, Any]:
    record = checked_record({"id": faq_id, **body.model_dump(exclude={"submit"})})
    return KnowledgeBases(platform_of(request)).edit(principal, name, record, submit=body.submit)


@router.delete("/kbs/{name}/faqs/{faq_id}", summary="Stop serving an FAQ", status_code=204,
               response_class=Response)
def retire_faq(request: Request, name: str, faq_id: str,
               principal: Principal = Depends(require_user)) -> Response:
    KnowledgeBases(platform_of(request)).retire(principal, name, faq_id)
    return Response(status_code=204)


@router.post("/kbs/{name}/import", summary="Import FAQs from JSON, JSONL or CSV (for review)")
async def import_faqs(request: Request, name: str, file: Annotated[UploadFile, File()],
                      principal: Principal = Depends(require_user)) -> dict[str, Any]:
    fmt = format_of(file.filename or "")
    upload = await read_upload(file, max_bytes=MAX_IMPORT_BYTES, accept=IMPORT_KINDS)
    records = read_records(upload.data, fmt)
    return await run_in_threadpool(
        KnowledgeBases(platform_of(request)).import_records, principal, name, records)


@router.get("/kbs/{name}/export", summary="The live FAQs as JSON, JSONL or CSV",
            response_class=Response)
def export_faqs(request: Request, name: str,
                fmt: Annotated[Literal["json", "jsonl", "csv"], Query(alias="format")] = "json",
                principal: Principal = Depends(require_user)) -> Response:
    body = write_records(KnowledgeBases(platform_of(request)).export(name), fmt)
    return Response(body, media_type=MEDIA_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}-faqs.{fmt}"'})


@router.get("/reviews", summary="FAQ versions waiting for my review")
def reviews(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"versions": KnowledgeBases(platform_of(request)).review_queue(principal)}


@router.post("/versions/{version_id}/submit", summary="Send a draft for review")
def submit(request: Request, version_id: RowId,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return KnowledgeBases(platform_of(request)).submit(principal, version_id)


@router.post("/versions/{version_id}/{decision}", summary="Approve or reject a version")
def review(request: Request, version_id: RowId, decision: Literal["approve", "reject"],
           body: ReviewBody | None = None,
           principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return KnowledgeBases(platform_of(request)).review(
        principal, version_id, approve=decision == "approve", note=body.note if body else "")


@router.get("/handovers", summary="The hand-over queue")
def handovers(request: Request,
              status: Annotated[Literal["open", "answered", "closed"] | None, Query()] = "open",
              principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"handovers": Console(platform_of(request)).handovers(principal, status)}


@router.post("/handovers/{reference}", summary="Answer or close a hand-over")
def handle_handover(request: Request, reference: str, body: HandoverBody,
                    principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Console(platform_of(request)).handle(principal, reference, reply=body.reply,
                                                close=body.close)


@router.get("/calls", summary="The voice call log")
def calls(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"calls": Console(platform_of(request)).calls(principal)}


@router.get("/outbox", summary="The SMS outbox (numbers masked)")
def outbox(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"messages": Console(platform_of(request)).outbox(principal)}


@router.get("/analytics", summary="Unanswered questions, to guide new FAQs")
def analytics(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return Console(platform_of(request)).unanswered(principal)

