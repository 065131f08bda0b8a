"""``/api/3/action/<name>``: the dispatcher, CKAN's envelope, and CKAN's error types."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from aiplus.core import jsonlimits
from aiplus.core.errors import (
    AiplusError,
    BadRequest,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthenticated,
    ValidationFailed,
)
from aiplus.core.i18n import N_
from aiplus.core.identity import ANONYMOUS, Principal
from aiplus.data.catalog.resources import Upload
from aiplus.data.catalog.search import SearchQueryError
from aiplus.data.ckan_api.actions import ACTIONS, Action, ActionContext, writing_actions
from aiplus.data.pipeline import upload_checks, upload_refused
from aiplus.data.catalog.links import with_absolute_links
from aiplus.data.catalog.validation import localised
from aiplus.platform.negotiation import locale_of, translator_of
from aiplus.platform.registry import ErrorShape
from aiplus.platform.security import ActionDispatch, platform_of, request_guard
from aiplus.platform.uploads import read_upload

PREFIXES = ("/api/3/action/", "/api/action/")
router = APIRouter(tags=["ckan"])
dispatch = ActionDispatch(writing_actions)
_FORM = ("multipart/form-data", "application/x-www-form-urlencoded")
SHARED_BODY_LIMIT = 64 * 1024
"""Larger answers (pages of hundreds of rows) are not worth a place in the cache."""
SHARED_INPUT_LIMIT = 2048
"""Nor are answers to long inputs: popular reads are short, and a key holds its input."""


def base_url(request: Request) -> str:
    """Where callers reach the portal: the configured public URL (behind a proxy), else the
    address of this request, so links work from whichever host and port served the page."""
    configured = platform_of(request).settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


def help_url(request: Request, name: str) -> str:
    return f"{base_url(request)}/api/3/action/help_show?name={name}"


async def request_data(request: Request) -> tuple[dict[str, Any], Upload | None]:
    """The action's input: query parameters, a JSON object, or form fields with an upload."""
    if request.method == "GET":
        data: dict[str, Any] = {}
        for key, value in request.query_params.multi_items():
            if key in data:
                data[key] = [*data[key], value] if isinstance(data[key], list) else [data[key], value]
            else:
                data[key] = value
        return data, None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in _FORM:
        upload = None
        data = {}
        for key, value in (await request.form()).multi_items():
            if isinstance(value, UploadFile):
                if key == "upload":
                    upload = await read_resource_upload(request, value)
            else:
                data[key] = _maybe_json(value)
        return data, upload
    body = await request.body()
    if not body.strip():
        return {}, None
    try:
        data = jsonlimits.loads(body)
    except jsonlimits.JsonRefused:
        raise
    except ValueError:  # JSONDecodeError, UnicodeDecodeError
        raise BadRequest(N_("Bad request - JSON Error: the body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise BadRequest(N_("Bad request - JSON Error: the body must be a JSON object."))
    return data, None


async def read_resource_upload(request: Request, file: UploadFile) -> Upload:
    """A resource's file through the platform's reader: any kind is published, but only
    within the body limit, with a type its content bears out and no archive or image bomb.

    A refusal other than size becomes CKAN's Validation Error on ``upload``, as CKAN reports
    every problem with a field (and as an unreadable table already is)."""
    limit = platform_of(request).settings.max_body_bytes
    try:
        checked = await read_upload(file, max_bytes=limit)
    except PayloadTooLarge:
        raise
    except AiplusError as problem:
        raise upload_refused(problem) from None
    return Upload(file.filename or "upload", checked.data)


def _maybe_json(value: str) -> Any:
    """Form fields may carry JSON lists or objects (tags, extras), as CKAN accepts."""
    stripped = value.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return jsonlimits.loads(stripped)
        except json.JSONDecodeError:
            return value
    return value


async def call_action(name: str, request: Request,
                      principal: Principal = Depends(request_guard)) -> Response:
    found = ACTIONS.get(name)
    if found is None:
        raise BadRequest(N_("Bad request - Action name not known: {name}"), name=name[:100])
    if found.write and not principal.authenticated:
        raise Forbidden(N_("Authorization required: send an API token to {name}."), name=name)
    data, upload = await request_data(request)
    platform = platform_of(request)
    context = ActionContext(platform, principal, locale_of(request), base_url(request), upload,
                            upload_checks(platform))

    async def answer() -> bytes:
        result = await run_in_threadpool(found.function, context, data)
        envelope = {"help": help_url(request, name), "success": True,
                    "result": with_absolute_links(result, context.base_url)}
        return JSONResponse(envelope).body

    key = shared_answer_key(found, context, data)
    body = await (answer() if key is None else platform.cache.get_or_compute_async(
        key, answer, keep=lambda body: len(body) <= SHARED_BODY_LIMIT))
    return Response(body, media_type="application/json")


def shared_answer_key(found: Action, context: ActionContext, data: dict[str, Any]
                      ) -> tuple[str, ...] | None:
    """The read cache's key for an answer every caller asking the same may share, or None.

    Only anonymous reads are shared: every anonymous caller sees the same catalogue, while a
    signed-in caller's answer depends on their roles (private datasets) and is never served to
    anyone else. The key holds everything else the answer depends on: action, input, language
    and the site's URL (links). Every committed write empties the cache (:mod:`aiplus.core.cache`).
    """
    if found.write or context.upload is not None or context.principal != ANONYMOUS:
        return None
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    if len(canonical) > SHARED_INPUT_LIMIT:
        return None
    return ("ckan", found.name, context.locale, context.base_url, canonical)


# one route per method, so each gets its own OpenAPI operation id
for prefix in PREFIXES:
    for method in ("GET", "POST"):
        router.add_api_route(prefix + "{name}", call_action, methods=[method],
                             dependencies=[Depends(dispatch)], summary="Call a CKAN action",
                             name=f"ckan_action_{prefix.count('/')}_{method.lower()}")

_TYPES: list[tuple[type[AiplusError], int, str]] = [
    (NotFound, 404, "Not Found Error"),
    (Unauthenticated, 403, "Authorization Error"),
    (Forbidden, 403, "Authorization Error"),
    (ValidationFailed, 409, "Validation Error"),
    (SearchQueryError, 400, "Search Query Error"),
    (PayloadTooLarge, 413, "Bad request"),
    (RateLimited, 429, "Rate Limit Error"),
    (BadRequest, 400, "Bad request"),
]


_BY_STATUS = {400: "Bad request", 401: "Authorization Error", 403: "Authorization Error",
              404: "Not Found Error", 409: "Validation Error", 413: "Bad request",
              422: "Validation Error", 429: "Rate Limit Error"}


def ckan_error(request: Request, error: AiplusError, message: str,
               headers: dict[str, str]) -> Response:
    status, kind = error.status_code, _BY_STATUS.get(error.status_code, "Internal Server Error")
    for error_type, code, name in _TYPES:
        if isinstance(error, error_type):
            status, kind = code, name
            break
    body: dict[str, Any] = {"__type": kind, "message": message}
    if isinstance(error, ValidationFailed) and isinstance(error.details, dict):
        body.update(localised(error, translator_of(request)))
    name = request.url.path.rsplit("/", 1)[-1]
    headers.pop("WWW-Authenticate", None)
    return JSONResponse({"help": help_url(request, name), "success": False, "error": body},
                        status_code=status, headers=headers)


CKAN_ERRORS = ErrorShape(PREFIXES, ckan_error)
