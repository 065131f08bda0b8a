"""Gateway test helpers. The tests run the real ai-security App through the standard fixtures
(``platform``, ``client``, ``factory``); what they may swap, through ``build_gateway``'s
arguments, is the backend (a small OpenAI-compatible server the test controls, when an answer
must echo the prompt or break mid-stream) and, where a test must force an output block, the
guardrails. ``sign_in`` signs a test client in through the login form, for the pages'
plain form posts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.testclient import TestClient

from aiplus.core.i18n import LANG_COOKIE
from aiplus.guard.contract import CallContext, Direction, Finding, ScanResult
from aiplus.gateway import SHARED_KEY, build_gateway
from aiplus.gateway.keys import issue_key
from aiplus.gateway.service import Gateway
from aiplus.gateway.settings import LlmSettings
from aiplus.platform.services import Platform
from tests.factories import PASSWORD, Factory
from tests.live_server import LiveServer

ECHO_MODEL = "echo-1"


@dataclass
class OutputBlocker:
    """Guardrails that block any output matching ``pattern`` (and nothing else), so a test can
    force the output path the production classifier would reach only by chance."""

    pattern: re.Pattern[str]
    blocked: list[str] = field(default_factory=list)

    def scan(self, text: str, direction: Direction, context: CallContext) -> ScanResult:
        if direction is Direction.OUTPUT and (match := self.pattern.search(text)):
            self.blocked.append(text)
            return ScanResult(text, False, 1.0, (Finding("pattern", "forbidden_output", 1.0,
                                                         "blocked", match.start(),
                                                         match.end()),))
        return ScanResult(text, True, 0.0)


@dataclass
class EchoUpstream:
    """An OpenAI-compatible server that answers with the last user message, word by word.

    ``reply`` replaces the echo with a fixed answer; ``break_after`` cuts the stream after that
    many words without ``[DONE]``, as a crashed model server does. ``seen`` keeps every chat
    request's messages, so a test can check what left the gateway."""

    reply: str | None = None
    break_after: int | None = None
    seen: list[list[dict[str, str]]] = field(default_factory=list)

    def app(self) -> FastAPI:
        upstream = FastAPI()

        @upstream.get("/v1/models")
        def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": ECHO_MODEL, "object": "model"}]}

        @upstream.post("/v1/chat/completions")
        async def chat(request: Request) -> Any:
            body = await request.json()
            self.seen.append(body["messages"])
            answer = self.reply if self.reply is not None else body["messages"][-1]["content"]
            if not body.get("stream"):
                return JSONResponse({"error": {"message": "stream only"}}, status_code=400)
            return StreamingResponse(self._events(answer), media_type="text/event-stream")

        return upstream

    def _events(self, answer: str) -> Iterator[str]:
        words = re.findall(r"\S+\s*", answer)
        for index, word in enumerate(words):
            if self.break_after is not None and index == self.break_after:
                return
            chunk = {"choices": [{"index": 0, "delta": {"content": word}}]}
            yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
        usage = {"prompt_tokens": 7, "completion_tokens": len(words)}
        yield f"data: {json.dumps({'choices': [], 'usage': usage})}\n\n"
        yield "data: [DONE]\n\n"


@pytest.fixture
def upstream() -> Iterator[tuple[EchoUpstream, str]]:
    """A running echo server and its ``/v1`` base URL."""
    echo = EchoUpstream()
    with LiveServer(echo.app()) as server:
        yield echo, server.url + "/v1"


def use_gateway(platform: Platform, **arguments: Any) -> Gateway:
    """Make ``platform``'s shared gateway one built with ``arguments`` (before any call)."""
    gateway = build_gateway(platform, **arguments)
    return platform.shared(SHARED_KEY, lambda: gateway)  # type: ignore[no-any-return]


def remote(base_url: str, **settings: Any) -> LlmSettings:
    return LlmSettings(base_url=base_url, timeout_seconds=10, **settings)


def make_key(platform: Platform, org: str = "hk-td", **quotas: object) -> str:
    Factory(platform).org(org)
    with platform.db.transaction() as session:
        _, secret = issue_key(session, org, "test key", "tester", **quotas)
    return secret


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def sign_in(client: TestClient, username: str, lang: str = "en") -> str:
    """Sign ``client`` in through the login form, as a browser without JavaScript does, in
    ``lang`` (kept in the language cookie); returns the session's CSRF token for form posts."""
    client.cookies.set(LANG_COOKIE, lang)
    login = CSRF.search(client.get("/login").text)
    assert login, "the sign-in page carries a CSRF token"
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": login.group(1)},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    token = CSRF.search(client.get("/account").text)
    assert token, "a signed-in page carries the session's CSRF token"
    return token.group(1)
