"""The FastAPI app factory: one function turns settings into a running platform."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry
from starlette.middleware.sessions import SessionMiddleware

from aiplus import __version__
from aiplus.core.i18n import N_
from aiplus.core.logs import configure_logging
from aiplus.core.settings import Settings
from aiplus.platform.api import audit, identity, jobs, system
from aiplus.platform.errors import install_error_handlers
from aiplus.platform.middleware import (
    BodyLimitMiddleware,
    JsonShapeMiddleware,
    ObserveMiddleware,
)
from aiplus.platform.registry import App
from aiplus.platform.security import request_guard
from aiplus.platform.services import Platform
from aiplus.platform.web import pages
from aiplus.platform.negotiation import translator_of
from aiplus.platform.web.render import make_environment, page

STATIC = Path(__file__).resolve().parent / "web" / "static"


def create_app(
    settings: Settings | None = None, extra_apps: Iterable[App] = (), platform: Platform | None = None
) -> FastAPI:
    """Build the web application; ``extra_apps`` adds apps beside the installed ones."""
    platform = platform or Platform.build(settings, extra_apps)
    settings = platform.settings
    configure_logging(settings.log_level, settings.json_logs)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        platform.close()

    app = FastAPI(
        title="AI Plus",
        version=__version__,
        description="Open platform for Hong Kong's AI Plus strategy. Send API tokens as "
        "`Authorization: <token>` or `Authorization: Bearer <token>`.",
        lifespan=lifespan,
        dependencies=[Depends(request_guard)],
        docs_url=None,
        redoc_url=None,
    )
    app.state.platform = platform
    app.state.metrics = CollectorRegistry()
    app.state.templates = make_environment(platform.registry.template_dirs())
    app.state.error_shapes = platform.registry.error_shapes()
    install_error_handlers(app)

    for router in (system.router, identity.router, jobs.router, audit.router, pages.router):
        app.include_router(router)
    for hosted in platform.registry:
        if hosted.api is not None:
            app.include_router(hosted.api)
        if hosted.pages is not None:
            app.include_router(hosted.pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for url, folder in platform.registry.static_mounts():
        app.mount(url, StaticFiles(directory=folder), name=url.strip("/"))

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        """Swagger UI from this platform's own files (no CDN, works offline), in a page that
        carries its language and our contrast corrections."""
        return page(request, "api_docs.html", {"openapi": "/openapi.json"},
                    title=translator_of(request)(N_("API reference")))

    app.add_middleware(
        SessionMiddleware, secret_key=settings.session_secret, session_cookie="aiplus_session",
        max_age=settings.session_max_age_seconds, same_site="lax",
        https_only=settings.secure_cookies,
    )
    app.add_middleware(JsonShapeMiddleware)  # inside the size limit: it reads the body
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(ObserveMiddleware, registry=app.state.metrics)
    return app
