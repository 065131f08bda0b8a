"""The one place where errors become HTTP responses, in the asker's language.

API clients get ``{"error": {"code", "message", "details"}}``; browsers get an error page.
Unexpected exceptions are logged with their traceback and shown as a plain apology.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request, routing
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from aiplus.core.errors import (
    AiplusError,
    BadRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    Unavailable,
    UnsupportedMediaType,
    ValidationFailed,
)
from aiplus.core.i18n import N_
from aiplus.platform.negotiation import translator_of, wants_json

log = logging.getLogger(__name__)
_BY_STATUS: dict[int, type[AiplusError]] = {
    400: BadRequest, 404: NotFound, 405: MethodNotAllowed, 413: PayloadTooLarge,
    415: UnsupportedMediaType, 503: Unavailable,
}


def error_response(
    request: Request, error: AiplusError, extra_headers: Mapping[str, str] | None = None
) -> Response:
    translate = translator_of(request)
    message = translate(error.message, **error.params)
    headers = dict(extra_headers or {})
    if "retry_after" in error.params:
        headers["Retry-After"] = str(error.params["retry_after"])
    if error.status_code == 401:
        headers["WWW-Authenticate"] = "Bearer"
    for shape in getattr(request.app.state, "error_shapes", ()):
        if request.url.path.startswith(shape.prefixes):
            return shape.render(request, error, message, headers)
    body: dict[str, Any] = {"code": error.code, "message": message}
    if error.details is not None:
        body["details"] = error.details
    if wants_json(request):
        return JSONResponse({"error": body}, status_code=error.status_code, headers=headers)
    if error.status_code == 401 and request.method == "GET":
        return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)
    from aiplus.platform.web.render import render_error_page

    return render_error_page(request, error.status_code, message, headers)


def _allowed_methods(request: Request) -> str | None:
    """Every method some route accepts at this path: the framework's own 405 names only the
    first route whose path matched, so a GET and a POST route at one path say just ``GET``."""
    routes = getattr(routing, "iter_route_contexts", iter)(request.app.routes)
    methods: set[str] = set()
    for route in routes:
        regex, accepted = getattr(route, "path_regex", None), getattr(route, "methods", None)
        if regex is not None and accepted and regex.match(request.scope["path"]):
            methods |= accepted
    return ", ".join(sorted(methods)) or None


def _validation_details(exc: RequestValidationError) -> tuple[AiplusError, list[dict[str, Any]]]:
    details = [
        {"field": ".".join(str(p) for p in err.get("loc", ())), "type": err.get("type"),
         "message": err.get("msg")}
        for err in exc.errors()
    ]
    if any(d["type"] == "json_invalid" for d in details):
        return BadRequest(N_("The request body is not valid JSON.")), details
    return ValidationFailed(), details


def install_error_handlers(app: FastAPI) -> None:
    async def on_aiplus(request: Request, exc: AiplusError) -> Response:
        return error_response(request, exc)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        error, details = _validation_details(exc)
        error.details = details
        return error_response(request, error)

    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        kind = _BY_STATUS.get(exc.status_code, BadRequest if exc.status_code < 500 else AiplusError)
        error = kind()
        error.status_code = exc.status_code
        headers = dict(exc.headers or {})
        if exc.status_code == 405 and (allowed := _allowed_methods(request)):
            headers["Allow"] = allowed
        return error_response(request, error, headers)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error", extra={"path": request.url.path})
        return error_response(request, AiplusError())

    app.add_exception_handler(AiplusError, on_aiplus)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_unexpected)
