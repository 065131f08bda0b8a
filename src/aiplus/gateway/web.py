"""Pages: ``/security/gateway`` (keys, quotas, usage; for administrators) and
``/security/playground`` (officers try a model; every call goes through the guardrails).
Both are plain forms that work without JavaScript, with JSON twins."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from aiplus.core.errors import AiplusError
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.guard.contract import CallContext
from aiplus.gateway import gateway_of
from aiplus.gateway.admin import change_key, create_key, overview
from aiplus.gateway.api import _officer_org
from aiplus.gateway.ledger import Payer
from aiplus.platform.negotiation import translator_of
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.web.render import page

TEMPLATES = Path(__file__).resolve().parent / "templates"
router = APIRouter(include_in_schema=False)
Limit = Annotated[int | None, Form(ge=1)]


def _gateway_page(request: Request, principal: Principal, secret: str | None = None,
                  status: int = 200) -> Response:
    data = overview(request, principal, None)
    return page(request, "gateway.html", {**data, "secret": secret},
                title=translator_of(request)(N_("GenAI gateway keys")), status=status)


@router.get("/security/gateway")
def gateway_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    return _gateway_page(request, principal)


@router.post("/security/gateway/keys")
def gateway_create(
    request: Request, org: Annotated[str, Form(min_length=2, max_length=63)],
    name: Annotated[str, Form(min_length=1, max_length=100)],
    requests_per_minute: Limit = None, requests_per_day: Limit = None,
    tokens_per_minute: Limit = None, tokens_per_day: Limit = None,
    max_prompt_chars: Annotated[int, Form(ge=100, le=1_000_000)] = 32_000,
    principal: Principal = Depends(require_user),
) -> Response:
    quotas = {"requests_per_minute": requests_per_minute, "requests_per_day": requests_per_day,
              "tokens_per_minute": tokens_per_minute, "tokens_per_day": tokens_per_day,
              "max_prompt_chars": max_prompt_chars}
    _, secret = create_key(request, principal, org, name, quotas)
    return _gateway_page(request, principal, secret=secret, status=201)


@router.post("/security/gateway/keys/{key_id}/revoke")
def gateway_revoke(key_id: RowId, request: Request,
                   principal: Principal = Depends(require_user)) -> Response:
    change_key(request, principal, key_id, revoke=True)
    return RedirectResponse("/security/gateway", status_code=303)


def _playground(request: Request, data: dict[str, Any], status: int = 200) -> Response:
    gateway = gateway_of(platform_of(request))
    return page(request, "playground.html",
                {"models": gateway.chat_models() if gateway.available() else [], **data},
                title=translator_of(request)(N_("Model playground")), status=status)


@router.get("/security/playground")
def playground(request: Request, principal: Principal = Depends(require_user)) -> Response:
    _officer_org(request, principal, platform_of(request))
    return _playground(request, {"prompt": "", "answer": None, "error": None})


@router.post("/security/playground")
def playground_run(
    request: Request, prompt: Annotated[str, Form(min_length=1, max_length=8000)],
    model: Annotated[str | None, Form(max_length=100)] = None,
    principal: Principal = Depends(require_user),
) -> Response:
    platform = platform_of(request)
    org, org_id = _officer_org(request, principal, platform)
    try:
        result = gateway_of(platform).chat(
            [{"role": "user", "content": prompt}], model=model or None, max_tokens=256,
            context=CallContext(org=org, app="playground", user=principal.username),
            payer=Payer(org_id=org_id, user=principal.username))
    except AiplusError as error:
        message = translator_of(request)(error.message, **error.params)
        return _playground(request, {"prompt": prompt, "answer": None, "error": message},
                           status=error.status_code)
    return _playground(request, {"prompt": prompt, "error": None, "answer": {
        "text": result.text, "model": result.model, "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "latency_ms": round(result.latency_ms), "finish_reason": result.finish_reason}})
