"""The register over JSON and CSV; public reads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aiplus.apps.register.service import register_csv, register_document, registered_systems
from aiplus.core.errors import NotFound
from aiplus.core.i18n import N_
from aiplus.platform.security import platform_of

router = APIRouter(prefix="/api/register", tags=["ai-register"])


@router.get("", summary="Every application and model on the platform (cached read)")
def entries(request: Request) -> dict[str, Any]:
    platform = platform_of(request)
    return platform.cache.get_or_compute(  # type: ignore[no-any-return]
        "register", lambda: register_document(platform))


@router.get("/export.csv", summary="The register as CSV", response_class=Response)
def export_csv(request: Request) -> Response:
    body = register_csv(platform_of(request).registry)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ai-register.csv"'})


@router.get("/{slug}", summary="One application's entry")
def entry(request: Request, slug: str) -> dict[str, Any]:
    platform = platform_of(request)
    app = platform.registry.get(slug)
    if app is None:
        raise NotFound(N_("There is no application called {slug}."), slug=slug)
    systems = [s for s in registered_systems(platform) if s["app"] == slug]
    return {**app.as_dict(), "systems": systems}
