"""The platform's own pages: home, sign-in, language switch, organisations, jobs, account, audit."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from aiplus.core import audit, identity
from aiplus.core.errors import NotFound, RateLimited, Unauthenticated
from aiplus.core.i18n import LANG_COOKIE, LANG_COOKIE_DAYS, LOCALES, N_
from aiplus.core.identity import Principal
from aiplus.platform.api.audit import recent_entries
from aiplus.platform.api.identity import _org_list, issue_token_for, list_tokens, revoke_token_for
from aiplus.platform.negotiation import locale_of, translator_of
from aiplus.platform.params import RowId
from aiplus.platform.security import (
    client_address,
    login_throttle,
    platform_of,
    public_write,
    request_guard,
    require_platform_admin,
    require_user,
)
from aiplus.platform.web.render import page

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only same-site paths may be redirected to after sign-in or a language switch."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if (parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target)):
        return "/"
    return target


@router.get("/")
def home(request: Request, _: Principal = Depends(request_guard)) -> Response:
    apps = [app.as_dict() for app in platform_of(request).registry]
    return page(request, "home.html", {"apps": apps},
                title=translator_of(request)(N_("Applications on AI Plus")))


@router.get("/lang/{code}")
def switch_language(code: str, next: str = "/") -> Response:
    if code not in LOCALES:
        raise NotFound()
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=LANG_COOKIE_DAYS * 86400, samesite="lax")
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/", _: Principal = Depends(request_guard)) -> Response:
    return page(request, "login.html", {"next": safe_next(next)},
                title=translator_of(request)(N_("Sign in")))


@router.post("/login", dependencies=[Depends(public_write)])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=63)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=2000)] = "/",
    _: Principal = Depends(request_guard),
) -> Response:
    """Sign in; failed attempts are throttled per account and per address
    (:class:`~aiplus.platform.security.LoginThrottle`), answered 429 with ``Retry-After``."""
    platform = platform_of(request)
    try:
        with (login_throttle(platform).attempt(username, client_address(request)),
              platform.db.transaction() as session):
            user = identity.authenticate_password(session, username, password)
            audit.record(session, actor=user.username, action="session.login",
                         target=f"user:{user.username}")
            user_id = user.id
    except (Unauthenticated, RateLimited) as failure:
        translate = translator_of(request)
        retry = failure.params.get("retry_after")
        return page(request, "login.html",
                    {"next": safe_next(next), "username": username,
                     "failed": translate(failure.message, **failure.params)},
                    title=translate(N_("Sign in")), status=failure.status_code,
                    headers={"Retry-After": str(retry)} if retry else None)
    request.session.clear()  # a fresh session and CSRF token on sign-in defeat fixation
    request.session["uid"] = user_id
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, principal: Principal = Depends(require_user)) -> Response:
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/orgs")
def orgs(request: Request, _: Principal = Depends(request_guard)) -> Response:
    return page(request, "orgs.html", {"organisations": _org_list(request)},
                title=translator_of(request)(N_("Organisations")))


@router.get("/jobs")
def jobs(request: Request, principal: Principal = Depends(require_user)) -> Response:
    service = platform_of(request).jobs
    kinds = [{"name": k.name, "title": {"en": k.title_en, "zh-Hant": k.title_zh}}
             for k in service.kinds.values()]
    data = {"jobs": [job.as_dict() for job in service.list(principal)], "kinds": kinds}
    titles = {kind["name"]: kind["title"][locale_of(request)] for kind in kinds}
    return page(request, "jobs.html", data, html={"titles": titles},
                title=translator_of(request)(N_("Jobs")))


@router.post("/jobs")
def start_job(
    request: Request, kind: Annotated[str, Form(max_length=100)],
    principal: Principal = Depends(require_user),
) -> Response:
    job = platform_of(request).jobs.submit(principal, kind, {})
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _job_data(request: Request, principal: Principal, job_id: str) -> dict[str, Any]:
    service = platform_of(request).jobs
    job = service.get(principal, job_id)
    kind = service.kinds.get(job.kind)
    return {"job": job.as_dict(), "finished": job.state.finished,
            "kind_title": kind.title(locale_of(request)) if kind else job.kind}


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: str, principal: Principal = Depends(require_user)) -> Response:
    data = _job_data(request, principal, job_id)
    logs = platform_of(request).jobs.logs(principal, job_id)
    data["logs"] = [line.as_dict() for line in logs]
    translate = translator_of(request)
    return page(request, "job.html", data,
                title=translate(N_("Job: {kind}"), kind=data["kind_title"]))


@router.get("/jobs/{job_id}/progress")
def job_progress(request: Request, job_id: str, principal: Principal = Depends(require_user)) -> Response:
    """The live progress fragment HTMX swaps in every second until the job ends.

    When the job has ended, the fragment also fills the page's live region (out of band), so
    a screen reader announces the outcome once instead of every poll.
    """
    data = _job_data(request, principal, job_id)
    template = request.app.state.templates.get_template("_job_progress.html")
    return HTMLResponse(template.render(**data, announce=data["finished"],
                                        _=translator_of(request), locale=locale_of(request)))


@router.post("/jobs/{job_id}/cancel")
def cancel_job(request: Request, job_id: str, principal: Principal = Depends(require_user)) -> Response:
    platform_of(request).jobs.cancel(principal, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _account(request: Request, principal: Principal, new_token: str | None = None,
             status: int = 200) -> Response:
    data = {"username": principal.username, "roles": principal.roles,
            "tokens": list_tokens(request, principal)["tokens"]}
    return page(request, "account.html", data, html={"new_token": new_token},
                title=translator_of(request)(N_("Your account")), status=status)


@router.get("/account")
def account(request: Request, principal: Principal = Depends(require_user)) -> Response:
    return _account(request, principal)


@router.post("/account/tokens")
def account_create_token(
    request: Request, name: Annotated[str, Form(min_length=1, max_length=100)],
    principal: Principal = Depends(require_user),
) -> Response:
    created = issue_token_for(request, principal, name, None)
    return _account(request, principal, new_token=created["token"], status=201)


@router.post("/account/tokens/{token_id}/revoke")
def account_revoke_token(
    request: Request, token_id: RowId, principal: Principal = Depends(require_user)
) -> Response:
    revoke_token_for(request, principal, token_id)
    return RedirectResponse("/account", status_code=303)


@router.get("/audit")
def audit_page(request: Request, _: Principal = Depends(require_platform_admin)) -> Response:
    with platform_of(request).db.read() as session:
        result = audit.verify(session)
    data = {"entries": recent_entries(request, 100),
            "verification": {"ok": result.ok, "checked": result.checked,
                             "first_bad_seq": result.first_bad_seq}}
    return page(request, "audit.html", data, title=translator_of(request)(N_("Audit log")))
