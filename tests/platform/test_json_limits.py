"""Hostile JSON is a 400 in the caller's language, never a 500, on every route that reads JSON.

A probe found 500s (which also dropped the keep-alive connection) for bodies nested 10,000
levels deep, an integer of more than 4,300 digits, and a list where an organisation slug was
expected. :mod:`aiplus.core.jsonlimits` judges the shape before any parser runs, and
:class:`aiplus.platform.middleware.JsonShapeMiddleware` applies it at the edge.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiplus.core import jsonlimits

DEEP = b"[" * 10_000 + b"]" * 10_000
DEEP_OBJECT = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
HUGE_INT = b'{"limit": ' + b"9" * 5000 + b"}"
JSON_ROUTES = [
    "/api/3/action/package_create", "/api/3/action/package_search",
    "/api/3/action/datastore_search", "/api/guard/pii", "/api/guard/scan",
    "/api/security/alerts/rules", "/api/security/redteam/runs",
    "/api/security/redteam/schedules", "/api/traffic/signals/runs",
]


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                    | st.text(), lambda children: st.lists(children, max_size=4)
                    | st.dictionaries(st.text(), children, max_size=4), max_leaves=30))
def test_ordinary_json_passes_the_shape_check(document: object) -> None:
    text = json.dumps(document, ensure_ascii=False)
    assert jsonlimits.problem(text) is None
    assert jsonlimits.loads(text) == json.loads(text)


@given(st.integers(65, 3000), st.sampled_from(["[", '{"k":']))
def test_deep_nesting_is_refused_before_parsing(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    with pytest.raises(jsonlimits.JsonRefused):
        jsonlimits.loads(opener * depth + "0" + closer * depth)


def test_brackets_and_digits_inside_strings_do_not_count() -> None:
    text = json.dumps({"text": "[" * 500 + "9" * 500, "escaped": '\\"[[[[' * 100})
    assert jsonlimits.problem(text) is None


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT, HUGE_INT], ids=["list", "object", "integer"])
@pytest.mark.parametrize("path", JSON_ROUTES)
def test_hostile_json_is_a_bad_request_everywhere(client, factory, path, body):
    officer = factory.member("json-officer")
    for headers in ({}, {"Authorization": f"Bearer {officer.token}"}):
        for content_type in ("application/json", "text/plain", None):
            sent = dict(headers, **({"Content-Type": content_type} if content_type else {}))
            response = client.post(path, content=body, headers=sent)
            assert response.status_code == 400, (path, content_type, response.text[:300])
            assert "nested" in response.text or "digits" in response.text


def test_the_refusal_speaks_chinese(client):
    response = client.post("/api/guard/pii", content=DEEP,
                           headers={"Content-Type": "application/json",
                                    "Accept-Language": "zh-HK"})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "64" in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_ckan_keeps_its_envelope(client):
    response = client.post("/api/3/action/package_search", content=HUGE_INT,
                           headers={"Content-Type": "application/json"})
    body = response.json()
    assert response.status_code == 400 and body["success"] is False
    assert body["error"]["__type"] == "Bad request" and "100 digits" in body["error"]["message"]


@pytest.mark.parametrize("value", ["[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000])
def test_deep_json_in_a_query_parameter_or_form_field_is_refused(client, factory, value):
    assert client.get("/api/3/action/datastore_search",
                      params={"resource_id": "x", "filters": value}).status_code in (400, 404)
    searched = client.get("/api/3/action/package_search", params={"fq_list": value})
    assert searched.status_code == 400
    steward = factory.member("json-steward", role="data_steward")
    form = client.post("/api/3/action/package_create", data={"name": "x", "tags": value},
                       headers={"Authorization": steward.token})
    assert form.status_code in (400, 409) and form.status_code != 500


@pytest.mark.parametrize("path", ["/api/security/redteam/runs", "/api/security/redteam/schedules"])
@pytest.mark.parametrize("org", [["hk-td"], {"slug": "hk-td"}, 7, True])
def test_an_org_that_is_not_text_is_a_validation_error(client, factory, path, org):
    officer = factory.member("rt-officer")
    response = client.post(path, json={"org": org, "target": "gateway"},
                           headers={"Authorization": f"Bearer {officer.token}"})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]["org"]


def test_a_body_of_ordinary_json_still_works(client, factory):
    officer = factory.member("pii-officer")
    response = client.post("/api/guard/pii", json={"text": "Call 9123 4567"},
                           headers={"Authorization": f"Bearer {officer.token}"})
    assert response.status_code == 200, response.text
