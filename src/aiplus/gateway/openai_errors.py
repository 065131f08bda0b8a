"""OpenAI's error envelope for ``/v1``: ``{"error": {"message", "type", "param", "code"}}``.

The platform decides status and (translated) message as for every route; this only reshapes
the body, so OpenAI clients raise the matching exception class (``BadRequestError``,
``AuthenticationError``, ``NotFoundError``, ``RateLimitError``, ...).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from aiplus.core.errors import AiplusError, ValidationFailed
from aiplus.platform.registry import ErrorShape

PREFIXES = ("/v1/",)
_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
          404: "invalid_request_error", 405: "invalid_request_error",
          409: "invalid_request_error", 413: "invalid_request_error",
          415: "invalid_request_error", 429: "rate_limit_exceeded"}
_CODES = {"unauthenticated": "invalid_api_key", "validation_error": "invalid_request_error",
          "bad_request": "invalid_request_error", "not_found": "not_found",
          "internal_error": "server_error"}


def _param(error: AiplusError) -> str | None:
    param = getattr(error, "param", None)
    if param is None and isinstance(error, ValidationFailed) and isinstance(error.details, list):
        fields = [d.get("field", "") for d in error.details if isinstance(d, dict)]
        param = fields[0].removeprefix("body.") if fields else None
    return param


def error_body(error: AiplusError, message: str) -> dict[str, Any]:
    status = 400 if error.status_code == 422 else error.status_code
    kind = _TYPES.get(status, "server_error")
    if error.code == "insufficient_quota":
        kind = "insufficient_quota"
    return {"error": {"message": message, "type": kind, "param": _param(error),
                      "code": _CODES.get(error.code, error.code)}}


def openai_error(request: Request, error: AiplusError, message: str,
                 headers: dict[str, str]) -> JSONResponse:
    status = 400 if error.status_code == 422 else error.status_code
    return JSONResponse(error_body(error, message), status_code=status, headers=headers)


OPENAI_ERRORS = ErrorShape(PREFIXES, openai_error)
