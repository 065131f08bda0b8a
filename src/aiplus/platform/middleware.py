"""ASGI middleware: body-size limit, JSON shape limits and request observation (metrics and
access logs).

Both are plain ASGI rather than ``BaseHTTPMiddleware`` so they add microseconds, not
milliseconds, to the read paths the core benchmark measures.
"""

from __future__ import annotations

import itertools
import json
import logging
import secrets
import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aiplus.core import jsonlimits
from aiplus.core.i18n import negotiate, translator
from aiplus.platform.errors import error_response

log = logging.getLogger("aiplus.access")
_PROCESS = secrets.token_hex(4)
_SEQUENCE = itertools.count()


def request_id() -> str:
    """16 hex characters naming one request in the logs: this process's random prefix and
    a counter. Cheaper than a UUID per request, which reads the system's random source and
    hands the GIL to the request threads while doing so."""
    return f"{_PROCESS}{next(_SEQUENCE) & 0xFFFFFFFF:08x}"


class BodyLimitMiddleware:
    """Refuse bodies larger than ``limit`` bytes with a 413, before the app reads them whole.

    A declared ``Content-Length`` over the limit is refused at once. A body without one (a
    chunked upload) is counted as the app reads it; once it passes the limit the app gets an
    error from ``receive``, and whatever the app then answers (the framework turns a failed
    body read into a 400) is replaced by the 413, unless a response had already started.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, scope: Scope, send: Send) -> None:
        # Header values are bytes a client chose; latin-1 decodes any of them.
        accept_language = next(
            (v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"accept-language"),
            None,
        )
        locale = negotiate(None, None, accept_language)
        message = translator(locale)(
            "The request is larger than the limit of {limit} bytes.", limit=self.limit
        )
        body = json.dumps(
            {"error": {"code": "payload_too_large", "message": message}}, ensure_ascii=False
        ).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await self._refuse(scope, send)
                    return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise _TooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:  # the app's own answer to the cut-off body gives way to the 413
                if not started:
                    started = True
                    await self._refuse(scope, send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
            if not started:
                await self._refuse(scope, send)


class _TooLarge(Exception):
    pass


# Bodies that are never JSON: forms carry fields (checked where a field holds JSON), and
# the others are files and sound that their routes read as bytes.
_NOT_JSON = (b"multipart/form-data", b"application/x-www-form-urlencoded", b"audio/", b"image/",
             b"video/", b"application/octet-stream", b"application/pdf")


class JsonShapeMiddleware:
    """Refuse, with a 400 in the caller's language, a JSON body nested too deeply or holding
    too long a number (see :mod:`aiplus.core.jsonlimits`), before any route parses it.

    Any body that is not a form or a file and starts with ``{`` or ``[`` is checked, whatever
    its declared type: FastAPI reads a body without a content type as JSON, and the CKAN
    actions read any non-form body as JSON. The body is read here (the body-size limit
    outside this middleware still applies) and replayed to the app unchanged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        media = next((v for k, v in scope.get("headers", []) if k == b"content-type"), b"")
        if media.strip().lower().startswith(_NOT_JSON):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if body.lstrip()[:1] in (b"{", b"[") and (refused := jsonlimits.problem(body)):
            await error_response(Request(scope), refused)(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class ObserveMiddleware:
    """Count and time every request by route template; log it as JSON; tag it with an id."""

    def __init__(self, app: ASGIApp, registry: CollectorRegistry) -> None:
        self.app = app
        self.requests = Counter(
            "aiplus_http_requests_total", "HTTP requests", ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "aiplus_http_request_seconds", "HTTP request latency", ["method", "route"],
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        tag = request_id()
        status = 500

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", tag.encode()))
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.requests.labels(scope["method"], route, str(status)).inc()
            self.latency.labels(scope["method"], route).observe(elapsed)
            if log.isEnabledFor(logging.INFO):
                log.info("request", extra={
                    "request_id": tag, "method": scope["method"], "path": scope["path"],
                    "route": route, "status": status, "ms": round(elapsed * 1000, 2),
                })
