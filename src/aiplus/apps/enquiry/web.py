"""The enquiry pages: the public chat page (a plain form that works without JavaScript) and
the officers' console (knowledge bases, review, hand-overs, calls, outbox, analytics).
Each page has a JSON twin through :func:`page`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from aiplus.apps.enquiry.answering import Enquiries
from aiplus.apps.enquiry.api import checked_record
from aiplus.apps.enquiry.console import Console
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.core.errors import AiplusError, BadRequest, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.platform.negotiation import translator_of
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, public_write, request_guard, require_user
from aiplus.platform.web.render import page

router = APIRouter(prefix="/enquiry", include_in_schema=False)
FAQ_FIELDS = ("question", "answer", "question_zh", "answer_zh", "category", "department",
              "source_url", "valid_from", "valid_to")


def _chat(request: Request, data: dict[str, Any], status: int = 200) -> Response:
    settings = enquiry_settings()
    return page(request, "enquiry_chat.html",
                {"kb": settings.default_kb, "max_chars": settings.max_question_chars, **data},
                title=translator_of(request)(N_("Ask 1823")), status=status)


@router.get("")
def chat_page(request: Request, principal: Principal = Depends(request_guard)) -> Response:
    return _chat(request, {"question": "", "result": None, "error": None})


@router.post("", dependencies=[Depends(public_write)])
async def chat_ask(
    request: Request, text: Annotated[str, Form(max_length=20000)] = "",
    kb: Annotated[str, Form(max_length=63)] = "",
    conversation_id: Annotated[str, Form(max_length=64)] = "",
    principal: Principal = Depends(request_guard),
) -> Response:
    """The form post: the answer (or a clear error) on the same page, ready for a follow-up."""
    try:
        result = await run_in_threadpool(
            Enquiries(platform_of(request)).ask, text, kb=kb or None, lang="auto",
            conversation_id=conversation_id or None, actor=principal.actor)
    except (BadRequest, ValidationFailed, NotFound) as problem:
        message = translator_of(request)(problem.message, **problem.params)
        return _chat(request, {"question": text[:2000], "result": None, "error": message,
                               "conversation_id": conversation_id}, status=problem.status_code)
    return _chat(request, {"question": text, "result": result, "error": None,
                           "conversation_id": result["conversation_id"]})


def _console_page(request: Request, template: str, title: str, data: dict[str, Any],
                  status: int = 200) -> Response:
    return page(request, template, data, title=translator_of(request)(title), status=status)


@router.get("/console")
def console_home(request: Request, principal: Principal = Depends(require_user)) -> Response:
    platform = platform_of(request)
    kbs = [kb for kb in KnowledgeBases(platform).list()
           if principal.has_role(kb["org"], Role.OFFICER, Role.REVIEWER)]
    data = {"kbs": kbs, "reviews": KnowledgeBases(platform).review_queue(principal),
            "open_handovers": len(Console(platform).handovers(principal, "open"))}
    return _console_page(request, "enquiry_console.html", N_("1823 officer console"), data)


@router.get("/console/kb/{name}")
def kb_page(request: Request, name: str, principal: Principal = Depends(require_user)) -> Response:
    data = {"kb": name, "faqs": KnowledgeBases(platform_of(request)).faqs(principal, name)}
    return _console_page(request, "enquiry_kb.html", N_("Knowledge base FAQs"), data)


def _faq_page(request: Request, name: str, faq: dict[str, Any] | None, values: dict[str, Any],
              errors: list[str], status: int = 200) -> Response:
    data = {"kb": name, "faq": faq, "values": values, "errors": errors}
    return _console_page(request, "enquiry_faq.html", N_("Edit an FAQ"), data, status)


@router.get("/console/kb/{name}/faq")
def new_faq_page(request: Request, name: str, principal: Principal = Depends(require_user)) -> Response:
    return _faq_page(request, name, None, {}, [])


@router.get("/console/kb/{name}/faq/{faq_id}")
def faq_page(request: Request, name: str, faq_id: str,
             principal: Principal = Depends(require_user)) -> Response:
    faq = KnowledgeBases(platform_of(request)).faq(principal, name, faq_id)
    latest = faq["versions"][0]
    values = {"id": faq_id, **{k: latest[k] for k in FAQ_FIELDS},
              "phrasings": "\n".join(latest["phrasings"])}
    return _faq_page(request, name, faq, values, [])


@router.post("/console/kb/{name}/faq")
async def save_faq(
    request: Request, name: str, faq_id: Annotated[str, Form(max_length=100)] = "",
    question: Annotated[str, Form(max_length=5000)] = "",
    answer: Annotated[str, Form(max_length=5000)] = "",
    question_zh: Annotated[str, Form(max_length=5000)] = "",
    answer_zh: Annotated[str, Form(max_length=5000)] = "",
    phrasings: Annotated[str, Form(max_length=20000)] = "",
    category: Annotated[str, Form(max_length=100)] = "",
    department: Annotated[str, Form(max_length=100)] = "",
    source_url: Annotated[str, Form(max_length=1000)] = "",
    valid_from: Annotated[str, Form(max_length=10)] = "",
    valid_to: Annotated[str, Form(max_length=10)] = "",
    action: Annotated[Literal["draft", "submit"], Form()] = "submit",
    principal: Principal = Depends(require_user),
) -> Response:
    values = {"id": faq_id, "question": question, "answer": answer, "question_zh": question_zh,
              "answer_zh": answer_zh, "category": category, "department": department,
              "source_url": source_url, "valid_from": valid_from, "valid_to": valid_to,
              "phrasings": phrasings}
    translate = translator_of(request)
    try:
        record = checked_record({**values, "phrasings": phrasings.splitlines()})
        await run_in_threadpool(KnowledgeBases(platform_of(request)).edit, principal, name,
                                record, submit=action == "submit")
    except AiplusError as problem:
        if problem.status_code not in (409, 422):
            raise
        details = problem.details or [{"message": problem.message}]
        errors = [translate(d["message"], **problem.params) for d in details]
        return _faq_page(request, name, None, values, errors, status=problem.status_code)
    return RedirectResponse(f"/enquiry/console/kb/{name}/faq/{record.id}", status_code=303)


@router.post("/console/versions/{version_id}/{decision}")
async def decide_version(
    request: Request, version_id: RowId, decision: Literal["submit", "approve", "reject"],
    note: Annotated[str, Form(max_length=2000)] = "",
    back: Annotated[str, Form(max_length=300)] = "/enquiry/console",
    principal: Principal = Depends(require_user),
) -> Response:
    kbs = KnowledgeBases(platform_of(request))
    if decision == "submit":
        kbs.submit(principal, version_id)
    else:
        kbs.review(principal, version_id, approve=decision == "approve", note=note)
    return RedirectResponse(back if back.startswith("/enquiry/") else "/enquiry/console",
                            status_code=303)


@router.get("/console/handovers")
def handovers_page(request: Request, status: Literal["open", "answered", "closed"] = "open",
                   principal: Principal = Depends(require_user)) -> Response:
    data = {"status": status, "handovers": Console(platform_of(request)).handovers(principal, status)}
    return _console_page(request, "enquiry_handovers.html", N_("Hand-over queue"), data)


@router.post("/console/handovers/{reference}")
async def handle_handover(
    request: Request, reference: str, reply: Annotated[str, Form(max_length=5000)] = "",
    action: Annotated[Literal["answer", "close"], Form()] = "answer",
    principal: Principal = Depends(require_user),
) -> Response:
    Console(platform_of(request)).handle(principal, reference, reply=reply, close=action == "close")
    return RedirectResponse("/enquiry/console/handovers", status_code=303)


@router.get("/console/calls")
def calls_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    data = {"calls": Console(platform_of(request)).calls(principal)}
    return _console_page(request, "enquiry_calls.html", N_("Voice call log"), data)


@router.get("/console/outbox")
def outbox_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    data = {"messages": Console(platform_of(request)).outbox(principal)}
    return _console_page(request, "enquiry_outbox.html", N_("SMS outbox"), data)


@router.get("/console/analytics")
def analytics_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    data = Console(platform_of(request)).unanswered(principal)
    return _console_page(request, "enquiry_analytics.html", N_("Unanswered questions"), data)
