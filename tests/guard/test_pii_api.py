"""POST /api/guard/pii: contract, authentication and bad input."""

from __future__ import annotations

import pytest

from aiplus.guard.pii import api as api_module
from aiplus.guard.pii.api import router


@pytest.fixture
def api(app, client, factory):
    app.include_router(router)
    return client, factory.member("pii-officer").headers


def test_contract(api):
    client, headers = api
    text = "😀 我叫陳大文，HKID A123456(3)，電話 +852 9123 4567"
    response = client.post("/api/guard/pii", json={"text": text}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(e["type"], e["text"]) for e in body["entities"]] == [
        ("PERSON", "陳大文"), ("HKID", "A123456(3)"), ("PHONE", "+852 9123 4567")]
    for entity in body["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
        assert 0 < entity["score"] <= 1
    assert body["anonymized"] == "😀 我叫<PERSON_1>，HKID <HKID_1>，電話 <PHONE_1>"


def test_types_filter(api):
    client, headers = api
    body = client.post("/api/guard/pii", json={"text": "HKID A123456(3) tel 9123 4567",
                                                "types": ["PHONE"]}, headers=headers).json()
    assert [e["type"] for e in body["entities"]] == ["PHONE"]
    assert body["anonymized"] == "HKID A123456(3) tel <PHONE_1>"


def test_sign_in_required(api):
    client, _ = api
    assert client.post("/api/guard/pii", json={"text": "x"}).status_code == 401


@pytest.mark.parametrize("payload, status", [
    ({}, 422), ({"text": ""}, 422), ({"text": "   "}, 422), ({"text": 5}, 422),
    ({"text": "x", "types": ["SSN"]}, 400), ({"text": "x", "types": "PHONE"}, 422),
    ({"text": "x", "language": "fr"}, 400), (["text"], 422),
])
def test_bad_input(api, payload, status):
    client, headers = api
    response = client.post("/api/guard/pii", json=payload, headers=headers)
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text


def test_invalid_json_and_too_long(api, monkeypatch):
    client, headers = api
    bad = client.post("/api/guard/pii", content=b"{nope", headers=headers | {
        "Content-Type": "application/json"})
    assert bad.status_code == 400
    monkeypatch.setattr(api_module, "MAX_TEXT_CHARS", 1000)
    response = client.post("/api/guard/pii", json={"text": "x" * 1001}, headers=headers)
    assert response.status_code == 413
    assert "1000" in response.text
