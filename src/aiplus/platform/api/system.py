"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from aiplus import __version__
from aiplus.platform.security import platform_of

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


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
def metrics(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)
