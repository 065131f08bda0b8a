"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from aiplus import __version__
from aiplus.core.errors import Forbidden, Unauthenticated
from aiplus.core.identity import Principal
from aiplus.platform.security import platform_of, register_token_resolver, request_guard
from aiplus.platform.services import Platform

router = APIRouter(tags=["system"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/readyz", summary="The database answers and its schema is current")
def readyz(request: Request) -> JSONResponse:
    platform = platform_of(request)
    checks: dict[str, str] = {}
    try:
        platform.db.ping()
        pending = platform.pending_migrations()
        checks["database"] = "ok"
        checks["migrations"] = "ok" if not pending else "pending: " + ", ".join(sorted(pending))
    except Exception as exc:  # readiness reports any failure instead of raising it
        checks["database"] = f"unreachable: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )


METRICS_TOKEN_PREFIX = "aim_"
SCRAPER = Principal(username="metrics-scraper", via="metrics-token")


def _scraper(platform: Platform, secret: str) -> Principal:
    """The scraper, if ``secret`` is ``AIPLUS_METRICS_TOKEN`` (compared in constant time, as
    bytes: compare_digest refuses str with non-ASCII characters). It is no user, so every
    other route treats it as anonymous."""
    expected = platform.settings.metrics_token
    if expected and hmac.compare_digest(expected.encode(),
                                        secret.encode("utf-8", "surrogatepass")):
        return SCRAPER
    raise Unauthenticated()


register_token_resolver(METRICS_TOKEN_PREFIX, _scraper)


@router.get("/metrics", summary="Prometheus metrics (the scraper's token or a platform admin)",
            response_class=Response)
def metrics(request: Request, principal: Principal = Depends(request_guard)) -> Response:
    """Route names, error counts and gateway usage map the platform for an attacker, so they
    are for the scraper (``AIPLUS_METRICS_TOKEN``) and platform admins, unless
    ``AIPLUS_METRICS_PUBLIC`` says the network already keeps them private."""
    if not (platform_of(request).settings.metrics_public or principal == SCRAPER):
        if not principal.authenticated:
            raise Unauthenticated()
        if not principal.platform_admin:
            raise Forbidden()
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
