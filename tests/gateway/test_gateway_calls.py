"""What happens to one call between the caller and the model, over HTTP: Traditional
conversion and its opt-out, an output the guardrails block, a stream that breaks mid-answer,
and the organisation quota that officers' keyless calls share (``AIPLUS_GATEWAY_SESSION_*``)."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from aiplus.core.audit import AuditEntry
from aiplus.gateway.tables import GatewayUsage
from aiplus.gateway.service import REFUSAL
from aiplus.gateway.text import to_traditional
from aiplus.platform.services import Platform
from tests.factories import Factory, Member
from tests.gateway.conftest import (
    ECHO_MODEL,
    EchoUpstream,
    OutputBlocker,
    make_key,
    remote,
    use_gateway,
)

CHAT = "/v1/chat/completions"
SIMPLIFIED = "这里是香港政府的网站，请问有什么可以帮你？"


def bearer(key: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **headers}


def ask(text: str, **fields: object) -> dict[str, object]:
    return {"model": ECHO_MODEL, "messages": [{"role": "user", "content": text}], **fields}


def sse(body: str) -> list[dict | str]:
    """The ``data:`` payloads of an SSE body, JSON decoded except ``[DONE]``."""
    payloads = [line.removeprefix("data: ") for line in body.splitlines()
                if line.startswith("data: ")]
    return [p if p == "[DONE]" else json.loads(p) for p in payloads]


def streamed_text(events: list[dict | str]) -> str:
    return "".join(e["choices"][0]["delta"].get("content") or "" for e in events
                   if isinstance(e, dict) and e.get("choices"))


def usage_statuses(platform: Platform) -> list[str]:
    with platform.db.read() as session:
        return list(session.scalars(select(GatewayUsage.status).order_by(GatewayUsage.id)))


def test_chinese_answers_are_traditional_unless_the_call_opts_out(
        client: TestClient, platform: Platform, upstream: tuple[EchoUpstream, str]) -> None:
    echo, url = upstream
    echo.reply = SIMPLIFIED
    use_gateway(platform, llm=remote(url))
    key = make_key(platform)
    traditional = to_traditional(SIMPLIFIED)
    assert traditional != SIMPLIFIED and "這" in traditional

    def answer(headers: dict[str, str] | None = None, **fields: object) -> str:
        response = client.post(CHAT, json=ask("香港今日天氣點樣？", **fields), headers=bearer(key, **(
            headers or {})))
        assert response.status_code == 200, response.text
        if fields.get("stream"):
            return streamed_text(sse(response.text))
        return response.json()["choices"][0]["message"]["content"]

    assert answer() == traditional
    assert answer(traditional=False) == SIMPLIFIED
    assert answer({"X-AIPlus-Traditional": "false"}) == SIMPLIFIED
    assert answer({"X-AIPlus-Traditional": "0"}, stream=True) == SIMPLIFIED
    assert answer({"X-AIPlus-Traditional": "false"}, traditional=True) == traditional
    assert answer({"X-AIPlus-Traditional": "true"}, stream=True) == traditional
    assert client.post(CHAT, json=ask("香港今日天氣點樣？", traditional="maybe"),
                       headers=bearer(key)).status_code == 400


@pytest.mark.parametrize("stream", [False, True])
def test_a_blocked_output_ends_the_answer_with_a_refusal(
        client: TestClient, platform: Platform, upstream: tuple[EchoUpstream, str],
        stream: bool) -> None:
    echo, url = upstream
    echo.reply = "Office hours are nine to five. The door code is 4321. Thank you."
    blocker = OutputBlocker(re.compile(r"door code"))
    use_gateway(platform, llm=remote(url), guardrails=blocker)
    key = make_key(platform)
    response = client.post(CHAT, json=ask("How do I renew my driving licence?", stream=stream),
                           headers=bearer(key))
    assert response.status_code == 200, response.text
    if stream:
        events = sse(response.text)
        text = streamed_text(events)
        finish = [e["choices"][0]["finish_reason"] for e in events
                  if isinstance(e, dict) and e.get("choices")][-1]
        assert events[-1] == "[DONE]"
    else:
        choice = response.json()["choices"][0]
        text, finish = choice["message"]["content"], choice["finish_reason"]
    assert text.startswith("Office hours are nine to five.") and text.endswith(REFUSAL)
    assert "4321" not in text and "Thank you" not in text and finish == "content_filter"
    assert len(blocker.blocked) == 1 and "4321" in blocker.blocked[0]
    assert usage_statuses(platform) == ["output_blocked"]
    with platform.db.read() as session:
        audit = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "gateway.blocked")).one()
    assert audit.detail["direction"] == "output" and "4321" not in json.dumps(audit.detail)


def test_a_stream_broken_mid_answer_ends_with_an_error_event_and_leaks_nothing(
        client: TestClient, platform: Platform, upstream: tuple[EchoUpstream, str]) -> None:
    """The echo model repeats the masked prompt and dies after six words: the first
    sentence reaches the caller with the caller's own data restored; the unfinished rest
    never does, neither masked nor restored, and the stream ends with OpenAI's error."""
    echo, url = upstream
    echo.break_after = 6
    use_gateway(platform, llm=remote(url))
    key = make_key(platform)
    prompt = "My HKID is A123456(3). Please call me on 9123 4567 about it."
    response = client.post(CHAT, json=ask(prompt, stream=True), headers=bearer(key))
    assert response.status_code == 200
    events = sse(response.text)
    assert "[DONE]" not in events
    error = events[-1]
    assert isinstance(error, dict) and error["error"]["code"] == "backend_unavailable"
    assert error["error"]["message"] and set(error["error"]) == {"message", "type", "param",
                                                                 "code"}
    assert streamed_text(events[:-1]).strip() == "My HKID is A123456(3)."
    assert "9123" not in response.text and "<HKID_" not in response.text
    assert "<PHONE_" not in response.text
    [sent] = echo.seen
    assert "A123456" not in sent[-1]["content"] and "9123" not in sent[-1]["content"]
    assert usage_statuses(platform) == ["backend_unavailable"]


def test_officers_share_their_organisation_session_quota(
        client: TestClient, platform: Platform, factory: Factory,
        upstream: tuple[EchoUpstream, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIPLUS_GATEWAY_SESSION_REQUESTS_PER_MINUTE", "2")
    _, url = upstream
    use_gateway(platform, llm=remote(url))  # its settings come from the environment
    first, second = (factory.member(name, org="hk-td", role="officer") for name in ("o1", "o2"))
    elsewhere = factory.member("o3", org="hk-dh", role="officer")

    def call(member: Member) -> httpx.Response:
        return client.post(CHAT, json=ask("Opening hours?"), headers=member.headers)

    assert call(first).status_code == 200 and call(second).status_code == 200
    refused = call(first)
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"]["code"] == "rate_limit_exceeded"
    assert int(refused.headers["retry-after"]) >= 1 and "2" in refused.json()["error"]["message"]
    assert call(elsewhere).status_code == 200  # another organisation has its own quota
    assert usage_statuses(platform) == ["ok", "ok", "ok"]
