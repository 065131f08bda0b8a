"""Rendering pages: one call gives HTML to a browser and the same data as JSON to a client."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select

from aiplus import __version__
from aiplus.core.identity import Organisation
from aiplus.core.i18n import LANG_COOKIE, LANG_COOKIE_DAYS, LOCALE_NAMES, LOCALES, N_, normalise
from aiplus.platform.negotiation import locale_of, translator_of, wants_json
from aiplus.platform.security import csrf_token

TEMPLATES = Path(__file__).resolve().parent / "templates"


def make_environment(extra_dirs: Iterable[Path] = ()) -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(d)) for d in (TEMPLATES, *extra_dirs)])
    return Environment(loader=loader, autoescape=select_autoescape(), auto_reload=False)


def _nav(request: Request, locale: str) -> list[dict[str, Any]]:
    translate = translator_of(request)
    items = [{"href": "/", "label": translate(N_("Applications"))}]
    for app in request.app.state.platform.registry:
        if app.home_path:
            items.append({"href": app.home_path, "label": app.title.get(locale)})
    items.append({"href": "/orgs", "label": translate(N_("Organisations"))})
    principal = getattr(request.state, "principal", None)
    if principal is not None and principal.authenticated:
        items.append({"href": "/jobs", "label": translate(N_("Jobs"))})
        if principal.platform_admin:
            items.append({"href": "/audit", "label": translate(N_("Audit log"))})
    path = request.url.path
    for item in items:
        item["current"] = path == item["href"] or (item["href"] != "/" and path.startswith(item["href"]))
    return items


def _switch_links(request: Request, locale: str) -> list[dict[str, str]]:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return [
        {"code": code, "name": LOCALE_NAMES[code],
         "href": "/lang/" + code + "?" + urlencode({"next": here})}
        for code in LOCALES if code != locale
    ]


def page(
    request: Request, template: str, data: dict[str, Any], *, title: str, status: int = 200,
    html: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
) -> Response:
    """The page as HTML, or ``data`` itself when the client asked for the JSON twin."""
    if wants_json(request):
        return JSONResponse(data, status_code=status, headers=headers)
    locale = locale_of(request)
    context = {
        **data,
        **(html or {}),
        "_": translator_of(request),
        "locale": locale,
        "title": title,
        "nav": _nav(request, locale),
        "switch_links": _switch_links(request, locale),
        "principal": getattr(request.state, "principal", None),
        "csrf_token": csrf_token(request),
        "org_name": OrgNames(request, locale),
        # Named apart from page data: a model page's own "version" must not be replaced.
        "platform_version": __version__,
        "json_href": request.url.path + "?" + urlencode(
            {**request.query_params, "format": "json"}
        ),
    }
    body = request.app.state.templates.get_template(template).render(context)
    response = HTMLResponse(body, status_code=status, headers=headers)
    response.headers["Content-Language"] = locale
    _remember_language(request, response)
    return response


def _remember_language(request: Request, response: Response) -> None:
    """A page opened with ``?lang=`` keeps that language for what follows: a form on it posts
    to a URL without the parameter, and its answer must come back in the page's language."""
    asked = normalise(request.query_params.get("lang"))
    if asked and asked != normalise(request.cookies.get(LANG_COOKIE)):
        response.set_cookie(LANG_COOKIE, asked, max_age=LANG_COOKIE_DAYS * 86400, samesite="lax")


class OrgNames:
    """``org_name(slug)`` for templates: an organisation's name in the page's language, so a
    page never shows a raw id such as ``hk-effo``. Names are read once, on first use."""

    def __init__(self, request: Request, locale: str) -> None:
        self.request = request
        self.locale = locale
        self.names: dict[str, str] | None = None

    def __call__(self, slug: str) -> str:
        if self.names is None:
            with self.request.app.state.platform.db.read() as session:
                self.names = {org.slug: org.name(self.locale)
                              for org in session.scalars(select(Organisation))}
        return self.names.get(slug) or slug


def render_error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    translate = translator_of(request)
    return page(
        request, "error.html", {"error": {"status": status, "message": message}},
        title=translate(N_("Error {status}"), status=status), status=status, headers=headers,
    )
