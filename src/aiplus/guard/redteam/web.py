"""The /security/redteam page: runs listed, and a plain form that starts one (no JavaScript
needed); its JSON twin is ``?format=json``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from aiplus.core.errors import AiplusError, Forbidden, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal
from aiplus.guard.redteam import runner, service
from aiplus.guard.redteam.api import may_redteam, visible_runs
from aiplus.guard.redteam.chat import chat_service_of
from aiplus.platform.negotiation import translator_of
from aiplus.platform.security import platform_of, require_user
from aiplus.platform.web.render import page

router = APIRouter(include_in_schema=False)


def _chat_models(request: Request) -> list[str]:
    """The chat models a run may target; none when no model is reachable."""
    try:
        chat = chat_service_of(platform_of(request))
        return chat.chat_models() if chat.available() else []
    except AiplusError:
        return []


def _redteam_page(request: Request, principal: Principal, form: dict[str, Any] | None = None,
                  error: str | None = None, status: int = 200) -> Response:
    runs = [r.as_dict() for r in visible_runs(request, principal)]
    orgs = sorted(o for o in principal.roles if may_redteam(principal, o))
    may_start = bool(orgs) or principal.platform_admin
    return page(request, "security_redteam.html", {"runs": runs}, html={
        "may_start": may_start, "orgs": orgs, "categories": runner.CATEGORY_LABELS,
        "langs": runner.LANG_LABELS, "models": _chat_models(request) if may_start else [],
        "form": form or {}, "error": error,
    }, title=translator_of(request)(N_("Red-team runs")), status=status)


@router.get("/security/redteam")
def redteam_page(request: Request, principal: Principal = Depends(require_user)) -> Response:
    return _redteam_page(request, principal)


@router.post("/security/redteam")
def redteam_start(
    request: Request, target_kind: Annotated[str, Form(max_length=20)] = "model",
    org: Annotated[str | None, Form(max_length=63)] = None,
    model: Annotated[str | None, Form(max_length=100)] = None,
    url: Annotated[str | None, Form(max_length=500)] = None,
    categories: Annotated[list[str] | None, Form()] = None,
    langs: Annotated[list[str] | None, Form()] = None,
    principal: Principal = Depends(require_user),
) -> Response:
    """Start a run from the page's form: the JSON API's checks, and two more that a person
    choosing in a form needs: a model the gateway really serves, and at least one category
    (an empty choice is more likely a slip than a wish to send every probe)."""
    form = {"org": org, "target_kind": target_kind, "model": model, "url": url,
            "categories": categories or [], "langs": langs or []}
    target = ({"kind": "model", "model": model} if target_kind == "model"
              else {"kind": target_kind, "url": url})
    try:
        if not may_redteam(principal, org or next(iter(principal.roles), None)):
            raise Forbidden(N_("Only officers and administrators may run red-team probes."))
        if not categories:
            raise ValidationFailed(N_("Choose at least one probe category."))
        if target_kind == "model" and model and model not in _chat_models(request):
            raise ValidationFailed(N_("The gateway has no model called {model}."), model=model)
        service.start(platform_of(request), principal, {
            "org": org or None, "target": target, "categories": categories or None,
            "langs": langs or None})
    except AiplusError as error:
        message = translator_of(request)(error.message, **error.params)
        return _redteam_page(request, principal, form, message, error.status_code)
    return RedirectResponse("/security/redteam", status_code=303)
