"""The register's pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aiplus.apps.register.api import entries, entry
from aiplus.core.i18n import N_
from aiplus.platform.negotiation import locale_of, translator_of
from aiplus.platform.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/register")
def register_page(request: Request) -> Response:
    return page(request, "register.html", entries(request),
                title=translator_of(request)(N_("AI register")))


@router.get("/register/{slug}")
def app_page(request: Request, slug: str) -> Response:
    data = entry(request, slug)
    return page(request, "register_app.html", {"app": data},
                title=data["title"][locale_of(request)])
