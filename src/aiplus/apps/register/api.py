"""The register over JSON and CSV; public reads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aiplus.apps.register.service import register_csv, register_entries
from aiplus.core.errors import NotFound
from aiplus.core.i18n import N_
from aiplus.platform.security import platform_of

router = APIRouter(prefix="/api/register", tags=["ai-register"])


@router.get("", summary="Every application and model on the platform (cached read)")
def entries(request: Request) -> dict[str, Any]:
    platform = platform_of(request)
    apps = platform.cache.get_or_compute("register", lambda: register_entries(platform.registry))
    return {"apps": apps, "count": len(apps),
            "models": sum(len(app["models"]) for app in apps)}


@router.get("/export.csv", summary="The register as CSV", response_class=Response)
def export_csv(request: Request) -> Response:
    body = register_csv(platform_of(request).registry)
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ai-register.csv"'})


@router.get("/{slug}", summary="One application's entry")
def entry(request: Request, slug: str) -> dict[str, Any]:
    app = platform_of(request).registry.get(slug)
    if app is None:
        raise NotFound(N_("There is no application called {slug}."), slug=slug)
    return app.as_dict()
