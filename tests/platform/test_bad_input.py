"""Bad input gets a clear, translated JSON error (or an error page), and changes nothing.

Every refused request below is checked against a snapshot of the row count of every table,
the audit log included: a refusal must never leave a half-done write behind.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, table

from aiplus.core import identity
from aiplus.core.db import utcnow
from aiplus.core.i18n import translator
from aiplus.platform.services import Platform
from tests.factories import PASSWORD, Factory, Member

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
LIMIT = 64 * 1024  # conftest's max_body_bytes
LEAKS = ("Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "Exception")


def row_counts(platform: Platform) -> dict[str, int]:
    """How many rows every table of the database holds."""
    with platform.db.read() as session:
        names = inspect(session.get_bind()).get_table_names()
        return {
            name: session.scalar(select(func.count()).select_from(table(name)))
            for name in names if name != "alembic_version"
        }


@contextmanager
def unchanged(platform: Platform) -> Iterator[None]:
    before = row_counts(platform)
    assert "audit_log" in before and "api_tokens" in before
    yield
    assert row_counts(platform) == before


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """A JSON error with the expected status and code, a message, and no internals."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"].strip()
    assert "{" not in error["message"], "every placeholder in the message is filled in"
    assert_no_leak(response)
    return error  # type: ignore[no-any-return]


def assert_no_leak(response: httpx.Response) -> None:
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} in the body of a {response.status_code}"


@pytest.fixture
def ann(factory: Factory) -> Member:
    return factory.member("ann")


# --- malformed and ill-typed JSON ---------------------------------------------------------


@pytest.mark.parametrize("body", [b'{"name": ', b"not json", b'{"name": "x"}}', b"\xff\xfe"])
def test_malformed_json_is_a_bad_request(client, platform, ann, body):
    with unchanged(platform):
        response = client.post("/api/tokens", content=body,
                               headers={**ann.headers, "Content-Type": "application/json"})
    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/tokens", {"name": "x", "days": "many"}, "body.days"),
    ("/api/tokens", {"name": "x", "days": 0}, "body.days"),
    ("/api/tokens", {"name": ["x"]}, "body.name"),
    ("/api/tokens", {}, "body.name"),
    ("/api/orgs", {"slug": 5, "name_en": "A", "name_zh": "甲"}, "body.slug"),
    ("/api/orgs", {"slug": "ab", "name_en": "A", "name_zh": "甲", "kind": "moon"}, "body.kind"),
    ("/api/users", {"username": "bob", "org": "hk-td", "role": "emperor"}, "body.role"),
    ("/api/users", {"username": "bob", "org": "hk-td", "password": "short"}, "body.password"),
    ("/api/jobs", {"kind": "ai-register.snapshot", "params": [1, 2]}, "body.params"),
])
def test_wrong_types_are_validation_errors_naming_the_field(client, platform, factory, path,
                                                            body, field):
    admin = factory.admin()
    with unchanged(platform):
        response = client.post(path, json=body, headers=admin.headers)
    error = assert_error(response, 422, "validation_error")
    assert field in [detail["field"] for detail in error["details"]]


def test_a_body_that_is_not_an_object_is_a_validation_error(client, platform, ann):
    with unchanged(platform):
        response = client.post("/api/tokens", json=["name"], headers=ann.headers)
    assert_error(response, 422, "validation_error")


def test_a_log_cursor_beyond_any_id_is_a_validation_error(client, platform, factory):
    admin = factory.admin()
    job = client.post("/api/jobs", json={"kind": "ai-register.snapshot"}, headers=admin.headers)
    assert job.status_code == 202
    path = f"/api/jobs/{job.json()['id']}/logs"
    assert client.get(f"{path}?after=0", headers=admin.headers).status_code == 200
    for after in (2**31, 2**63, 10**30):
        error = assert_error(client.get(f"{path}?after={after}", headers=admin.headers),
                             422, "validation_error")
        assert error["details"][0]["field"] == "query.after"


def test_wrong_query_and_path_types_are_validation_errors(client, factory):
    admin = factory.admin()
    error = assert_error(client.get("/api/audit?limit=lots", headers=admin.headers),
                         422, "validation_error")
    assert error["details"][0]["field"] == "query.limit"
    error = assert_error(client.delete("/api/tokens/first", headers=admin.headers),
                         422, "validation_error")
    assert error["details"][0]["field"] == "path.token_id"


def test_an_id_beyond_any_integer_column_is_not_found(client, platform, ann):
    with unchanged(platform):
        for token_id in (2**31, 2**63, 10**30, -1, 0):
            response = client.delete(f"/api/tokens/{token_id}", headers=ann.headers)
            assert_error(response, 404, "not_found")


def test_errors_speak_the_askers_language(client, ann):
    english = client.post("/api/tokens", json={}, headers=ann.headers).json()["error"]
    chinese = client.post("/api/tokens", json={},
                          headers={**ann.headers, "Accept-Language": "zh-HK,zh;q=0.9"})
    error = assert_error(chinese, 422, "validation_error")
    assert error["code"] == english["code"]
    if translator("zh-Hant").messages.get(english["message"]):
        assert error["message"] != english["message"]


# --- NUL characters: PostgreSQL cannot store them, so no backend may accept them ---------------


@pytest.mark.parametrize("path", ["/api/orgs/%00", "/api/orgs/hk%00td", "/api/jobs/a%00b",
                                  "/api/jobs/a%00b/logs", "/api/register/%00",
                                  "/api/orgs?x=%00", "/api/audit?limit=1&%00=1"])
def test_a_nul_in_the_address_is_a_bad_request(client, platform, factory, path):
    admin = factory.admin()
    with unchanged(platform):
        assert_error(client.get(path, headers=admin.headers), 400, "bad_request")
        assert_error(client.post("/api/jobs/a%00b/cancel", headers=admin.headers),
                     400, "bad_request")


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/tokens", {"name": "a\u0000b"}, "body.name"),
    ("/api/orgs", {"slug": "ab", "name_en": "A\u0000", "name_zh": "甲"}, "body.name_en"),
    ("/api/orgs", {"slug": "a\u0000b", "name_en": "A", "name_zh": "甲"}, "body.slug"),
    ("/api/users", {"username": "bob", "org": "hk\u0000td"}, "body.org"),
    ("/api/users", {"username": "bob", "org": "hk-dpo", "display_name": "\u0000"},
     "body.display_name"),
    ("/api/jobs", {"kind": "ai-register.snapshot", "org": "\u0000"}, "body.org"),
    ("/api/jobs", {"kind": "ai-\u0000register.snapshot"}, "body.kind"),
])
def test_a_nul_in_a_json_field_is_a_validation_error(client, platform, factory, path, body,
                                                     field):
    admin = factory.admin()
    with unchanged(platform):
        response = client.post(path, json=body, headers=admin.headers)
    error = assert_error(response, 422, "validation_error")
    assert field in [detail["field"] for detail in error["details"]]


def test_a_nul_in_a_form_field_changes_nothing(client, platform, ann):
    token = csrf_from(client.get("/login", headers=HTML))
    with unchanged(platform):
        response = client.post("/login", data={"username": "ann\x00", "password": PASSWORD,
                                               "csrf_token": token}, headers=HTML)
    assert response.status_code == 401
    assert_no_leak(response)
    token = sign_in(client, "ann")
    with unchanged(platform):
        response = client.post("/account/tokens", data={"name": "a\x00b", "csrf_token": token},
                               headers=JSON)
    assert_error(response, 422, "validation_error")


@pytest.mark.parametrize(("path", "body"), [
    ("/api/orgs", {"slug": "hk-new\n", "name_en": "A", "name_zh": "甲"}),
    ("/api/users", {"username": "bob\n", "org": "hk-dpo"}),
    ("/api/tokens", {"name": "line\nbreak"}),
])
def test_a_trailing_newline_does_not_slip_through_a_pattern(client, platform, factory, path,
                                                           body):
    admin = factory.admin()
    with unchanged(platform):
        assert_error(client.post(path, json=body, headers=admin.headers),
                     422, "validation_error")


# --- oversized bodies ---------------------------------------------------------------------


def test_an_oversized_body_with_content_length_is_refused(client, platform, ann):
    body = b'{"name": "' + b"x" * LIMIT + b'"}'
    with unchanged(platform):
        response = client.post("/api/tokens", content=body,
                               headers={**ann.headers, "Content-Type": "application/json"})
    error = assert_error(response, 413, "payload_too_large")
    assert str(LIMIT) in error["message"]


def test_an_oversized_streamed_body_without_content_length_is_refused(client, platform, ann):
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(LIMIT // 1024 + 1):
            yield b"x" * 1024
        yield b'"}'

    with unchanged(platform):
        response = client.post("/api/tokens", content=chunks(),
                               headers={**ann.headers, "Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "payload_too_large")


async def _asgi_post(app: FastAPI, path: str, headers: dict[str, Any],
                     content: bytes | list[bytes]) -> httpx.Response:
    """Post straight to the ASGI app: raw header bytes, and a list of chunks arrives as many
    ``http.request`` messages with ``more_body``, as a chunked upload does."""

    async def stream(chunks: list[bytes]) -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    body = stream(content) if isinstance(content, list) else content
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.post(path, content=body, headers=headers)


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=xyz"])
def test_an_oversized_body_in_many_chunks_is_refused(app, client, platform, ann, content_type):
    chunks = [b"name=" if "json" not in content_type else b'{"name": "']
    chunks += [b"x" * 4096] * (LIMIT // 4096 + 2)
    with unchanged(platform):
        response = asyncio.run(_asgi_post(app, "/api/tokens", {
            **ann.headers, "Content-Type": content_type}, chunks))
    assert_error(response, 413, "payload_too_large")


def test_an_oversized_anonymous_form_is_refused_before_csrf(client, platform):
    with unchanged(platform):
        response = client.post("/login", content=b"csrf_token=" + b"x" * LIMIT,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(response, 413, "payload_too_large")


@pytest.mark.parametrize("streamed", [False, True])
def test_an_oversized_body_with_latin1_header_bytes_is_still_a_413(app, client, platform, ann,
                                                                   streamed):
    """HTTP header values are bytes, not always UTF-8: the refusal must not trip over them."""
    headers = {**ann.headers, "Content-Type": "application/json", "X-Note": b"caf\xe9",
               "Accept-Language": b"zh-HK, \xe9"}
    body = b"[" + b"1," * LIMIT + b"1]"
    with unchanged(platform):
        response = asyncio.run(_asgi_post(app, "/api/tokens", headers,
                                          [body[:1000], body[1000:]] if streamed else body))
    assert_error(response, 413, "payload_too_large")


def test_a_body_at_the_limit_is_accepted(client, ann):
    name = "n" * 100
    padding = " " * (LIMIT - len(f'{{"name": "{name}"}}'))
    body = f'{{"name": "{name}"{padding}}}'.encode()
    assert len(body) == LIMIT
    response = client.post("/api/tokens", content=body,
                           headers={**ann.headers, "Content-Type": "application/json"})
    assert response.status_code == 201


# --- unknown routes and wrong methods -----------------------------------------------------


def test_an_unknown_api_route_is_a_json_404(client):
    for headers in ({}, HTML, JSON):
        assert_error(client.get("/api/no-such-thing", headers=headers), 404, "not_found")


def test_an_unknown_page_is_an_html_404_for_browsers(client):
    response = client.get("/no-such-page", headers=HTML)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()
    assert_no_leak(response)
    assert_error(client.get("/no-such-page", headers=JSON), 404, "not_found")


def test_a_wrong_method_is_a_405_that_names_the_allowed_ones(client, platform, factory):
    admin = factory.admin()
    with unchanged(platform):
        for method, path in (("PUT", "/api/orgs"), ("PATCH", "/api/tokens"),
                             ("DELETE", "/api/orgs"), ("POST", "/healthz")):
            response = client.request(method, path, json={}, headers={**admin.headers, **JSON})
            assert_error(response, 405, "method_not_allowed")
            assert response.headers.get("Allow"), (method, path)
    assert set(client.put("/api/orgs").headers["Allow"].replace(" ", "").split(",")) == {
        "GET", "POST"}


# --- bad tokens ---------------------------------------------------------------------------


def _token(platform: Platform, username: str, **kwargs: Any) -> tuple[int, str]:
    with platform.db.transaction() as session:
        user = identity.get_user(session, username)
        token, secret = identity.issue_token(session, user, "t", **kwargs)
        return token.id, secret


def test_an_expired_token_is_refused(client, platform, ann):
    _, expired = _token(platform, "ann", days=1, now=utcnow() - timedelta(days=2))
    _, fresh = _token(platform, "ann", days=1)
    assert client.get("/api/me", headers={"Authorization": fresh}).status_code == 200
    with unchanged(platform):
        for header in (expired, f"Bearer {expired}"):
            assert_error(client.get("/api/me", headers={"Authorization": header}),
                         401, "unauthenticated")
            assert_error(client.post("/api/tokens", json={"name": "x"},
                                     headers={"Authorization": header}), 401, "unauthenticated")


def test_a_revoked_token_is_refused(client, platform, ann):
    token_id, secret = _token(platform, "ann", days=1)
    assert client.delete(f"/api/tokens/{token_id}", headers=ann.headers).status_code == 200
    with unchanged(platform):
        assert_error(client.post("/api/tokens", json={"name": "x"},
                                 headers={"Authorization": secret}), 401, "unauthenticated")


def test_a_token_of_a_deactivated_user_is_refused(client, platform, ann):
    with platform.db.transaction() as session:
        identity.get_user(session, "ann").active = False
    with unchanged(platform):
        assert_error(client.get("/api/me", headers=ann.headers), 401, "unauthenticated")


@pytest.mark.parametrize("forged", [
    "aip_" + "A" * 43,
    "aip_",
    "aip_" + "x" * 500,
    "not-a-token",
    "Bearer ",
    "Bearer Bearer aip_x",
    "aip_\u00e9\u00e8",
])
def test_a_forged_token_is_refused(client, platform, ann, forged):
    with unchanged(platform):
        response = client.post("/api/tokens", json={"name": "x"},
                               headers={"Authorization": forged.encode()})
    assert_error(response, 401, "unauthenticated")


def test_a_token_with_its_last_character_changed_is_refused(client, platform, ann):
    forged = ann.token[:-1] + ("A" if ann.token[-1] != "A" else "B")
    with unchanged(platform):
        assert_error(client.post("/api/tokens", json={"name": "x"},
                                 headers={"Authorization": forged}), 401, "unauthenticated")


# --- CSRF ---------------------------------------------------------------------------------


def csrf_from(response: httpx.Response) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
    assert match, "the page carries a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str) -> str:
    """Sign in through the form, as a browser does; return the session's CSRF token."""
    token = csrf_from(client.get("/login", headers=HTML))
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "csrf_token": token, "next": "/account"},
                           headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/account"
    fresh = csrf_from(client.get("/account", headers=HTML))
    assert fresh != token, "signing in issues a new CSRF token"
    return fresh


def test_a_login_with_the_csrf_token_works(client, platform, ann):
    sign_in(client, "ann")
    me = client.get("/api/me")
    assert me.status_code == 200 and me.json()["via"] == "session"
    assert row_counts(platform)["audit_log"] == 1  # the sign-in itself


def test_a_login_with_a_wrong_password_changes_nothing(client, platform, ann):
    token = csrf_from(client.get("/login", headers=HTML))
    with unchanged(platform):
        response = client.post("/login", data={"username": "ann", "password": "wrong" * 3,
                                               "csrf_token": token}, headers=HTML)
    assert response.status_code == 401
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded",
    "Application/X-WWW-Form-Urlencoded",
    "application/x-www-form-urlencoded; charset=utf-8",
    " application/x-www-form-urlencoded",
    "text/plain",
])
def test_a_login_form_without_csrf_is_refused(client, platform, ann, content_type):
    client.get("/login", headers=HTML)  # the session has a token; the form does not send it
    body = f"username=ann&password={PASSWORD.replace(' ', '+')}".encode()
    with unchanged(platform):
        response = client.post("/login", content=body,
                               headers={**JSON, "Content-Type": content_type})
    assert_error(response, 403, "csrf_failed")
    assert client.get("/api/me").status_code == 401


@pytest.mark.parametrize("guess", ["guess", "", "caf\u00e9", "\u6f22\u5b57", "x" * 10_000])
def test_a_login_form_with_a_wrong_csrf_token_is_refused(client, platform, ann, guess):
    client.get("/login", headers=HTML)
    with unchanged(platform):
        response = client.post("/login", data={"username": "ann", "password": PASSWORD,
                                               "csrf_token": guess}, headers=JSON)
    assert_error(response, 403, "csrf_failed")


def test_a_csrf_header_with_odd_bytes_is_refused(app, client, platform, ann):
    token = sign_in(client, "ann")
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    with unchanged(platform):
        for sent in (b"caf\xe9", token.encode() + b"\xe9", b"\xff" * 43):
            response = asyncio.run(_asgi_post(app, "/api/tokens", {
                "Cookie": cookie, "Content-Type": "application/json", "X-CSRF-Token": sent,
            }, b'{"name": "evil"}'))
            assert_error(response, 403, "csrf_failed")


def test_a_login_form_without_any_session_is_refused(client, platform, ann):
    with unchanged(platform):
        response = client.post("/login", data={"username": "ann", "password": PASSWORD,
                                               "csrf_token": ""}, headers=JSON)
    assert_error(response, 403, "csrf_failed")


def test_a_signed_in_form_post_without_csrf_is_refused(client, platform, ann):
    token = sign_in(client, "ann")
    with unchanged(platform):
        for data in ({"name": "evil"}, {"name": "evil", "csrf_token": "guess"}):
            response = client.post("/account/tokens", data=data, headers=JSON)
            assert_error(response, 403, "csrf_failed")
        response = client.post("/api/tokens", json={"name": "evil"})  # JSON needs it too
        assert_error(response, 403, "csrf_failed")
        response = client.post("/api/tokens", json={"name": "evil"},
                               headers={"X-CSRF-Token": "guess"})
        assert_error(response, 403, "csrf_failed")
    made = client.post("/account/tokens", data={"name": "ok", "csrf_token": token}, headers=JSON)
    assert made.status_code == 201
    made = client.post("/api/tokens", json={"name": "ok2"}, headers={"X-CSRF-Token": token})
    assert made.status_code == 201


def test_a_browser_sees_the_csrf_error_as_a_page(client, platform, ann):
    sign_in(client, "ann")
    with unchanged(platform):
        response = client.post("/account/tokens", data={"name": "evil"}, headers=HTML)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert_no_leak(response)


# --- unexpected failures ------------------------------------------------------------------


def test_an_unexpected_exception_is_a_plain_500(app, client, platform, ann):
    @app.post("/api/explode")
    def explode() -> None:
        raise RuntimeError("database password is hunter2")

    with unchanged(platform):
        response = client.post("/api/explode", json={}, headers=ann.headers)
    error = assert_error(response, 500, "internal_error")
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert "details" not in error
    page = client.post("/api/explode", json={}, headers={**ann.headers, **HTML})
    assert page.status_code == 500 and "hunter2" not in page.text


def test_an_unexpected_exception_on_a_page_is_an_html_500(app, client):
    @app.get("/explode")
    def explode() -> None:
        raise KeyError("secret-key-name")

    response = client.get("/explode", headers=HTML)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "secret-key-name" not in response.text
    assert_no_leak(response)
