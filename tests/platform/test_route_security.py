"""Every route that changes stored data is protected, found by walking the app, not by a list.

A write route (POST, PUT, PATCH, DELETE) must refuse anonymous callers with 401 unless it
declares :func:`aiplus.platform.security.public_write`, in which case it is rate-limited.
Adding a write route without either makes :func:`test_every_write_route_refuses_anonymous`
fail, because the routes are discovered from ``app.routes`` at test time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from fastapi.testclient import TestClient
from sqlalchemy import text

from aiplus.core.ratelimit import SlidingWindowLimiter
from aiplus.platform.security import ActionDispatch, public_write, require_user
from tests.factories import Factory

try:
    from fastapi.routing import iter_route_contexts
except ImportError:  # FastAPI before lazily included routers: app.routes is already flat
    def iter_route_contexts(routes: Any) -> Iterator[Any]:  # type: ignore[misc]
        return iter(routes)

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
JSON = {"Accept": "application/json"}
PLACEHOLDER = re.compile(r"{(\w+)(?::\w+)?}")
PLAUSIBLE = {int: "1", str: "hk-td"}
# Our own error shape says "unauthenticated"; the OpenAI-compatible gateway (/v1) answers in
# OpenAI's shape, whose code for a missing or wrong key is "invalid_api_key".
UNAUTHENTICATED_CODES = {"unauthenticated", "invalid_api_key"}


def _calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def is_public_write(route: Any) -> bool:
    dependant = getattr(route, "dependant", None)
    return dependant is not None and any(call is public_write for call in _calls(dependant))


def all_routes(app: FastAPI) -> list[Any]:
    """Every route as the app serves it: included routers expanded, prefixes applied."""
    return list(iter_route_contexts(app.routes))


def _original(route: Any) -> Any:
    return getattr(route, "original_route", route)


def write_routes(app: FastAPI) -> list[tuple[str, Any]]:
    """Every (method, route) pair of the app that may change stored data."""
    found = []
    for route in all_routes(app):
        methods = getattr(route, "methods", None) or ()
        found += [(method, route) for method in sorted(methods) if method in UNSAFE]
    return found


def concrete_path(route: Any) -> str:
    """The route's path with each parameter filled with a plausible value of its type."""
    dependant = getattr(route, "dependant", None)
    params = dependant.path_params if dependant is not None else []
    types = {param.name: param.field_info.annotation for param in params}
    return PLACEHOLDER.sub(lambda m: PLAUSIBLE.get(types.get(m.group(1)), "x"), route.path)


def dispatcher_of(route: Any) -> ActionDispatch | None:
    dependant = getattr(route, "dependant", None)
    calls = _calls(dependant) if dependant is not None else iter(())
    return next((call for call in calls if isinstance(call, ActionDispatch)), None)


def anonymous_violations(app: FastAPI, client: TestClient, **payload: Any) -> list[str]:
    """Non-public write routes that do not answer an anonymous caller with 401 unauthenticated.

    A dispatching route (CKAN's Action API) is checked action by action: every writing action
    must refuse an anonymous caller (CKAN says 403 "Authorization Error").
    """
    payload = payload or {"json": {}}
    problems = []
    for method, route in write_routes(app):
        if is_public_write(route):
            continue
        if (dispatcher := dispatcher_of(route)) is not None:
            assert dispatcher.writes(), "a dispatcher with no writing actions guards nothing"
            for name in sorted(dispatcher.writes()):
                path = PLACEHOLDER.sub(name, route.path)
                response = client.request(method, path, headers=JSON, **payload)
                if response.status_code not in (401, 403) or response.json().get("success"):
                    problems.append(f"{method} {path} -> {response.status_code}")
            continue
        path = concrete_path(route)
        response = client.request(method, path, headers=JSON, **payload)
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
        code = body.get("error", {}).get("code") if isinstance(body, dict) else None
        if response.status_code != 401 or code not in UNAUTHENTICATED_CODES:
            problems.append(f"{method} {path} -> {response.status_code} {code}")
    return problems


def test_the_app_has_write_routes_of_both_kinds(app):
    routes = write_routes(app)
    assert all(isinstance(_original(r), APIRoute) for _, r in routes), (
        "a write route needs FastAPI dependencies to be guarded at all"
    )
    public = {(m, r.path) for m, r in routes if is_public_write(r)}
    assert ("POST", "/login") in public
    assert {("POST", "/api/tokens"), ("DELETE", "/api/tokens/{token_id}")} <= {
        (m, r.path) for m, r in routes if not is_public_write(r)
    }


def test_every_write_route_refuses_anonymous(app, client):
    assert anonymous_violations(app, client) == []


def test_mounts_serve_only_static_files(app):
    """A mounted sub-application would hide its routes from the walk above."""
    mounts = [route for route in all_routes(app) if isinstance(_original(route), Mount)]
    assert mounts and all(isinstance(mount.app, StaticFiles) for mount in mounts)


def test_every_write_route_refuses_anonymous_forms_with_a_valid_csrf_token(app, client):
    """A well-formed anonymous form post passes the CSRF check, and still needs a user."""
    token = _csrf_from_login_page(client)
    assert anonymous_violations(app, client, data={"csrf_token": token}) == []


def test_the_walk_catches_an_unprotected_write_route(app, client):
    """Proof that the discovery works: a new route without protection is reported."""

    @app.post("/api/oops")
    def oops() -> dict[str, str]:
        return {"changed": "everything"}

    @app.delete("/api/fine/{item_id}")
    def fine(item_id: int, _: object = Depends(require_user)) -> dict[str, int]:
        return {"deleted": item_id}

    assert anonymous_violations(app, client) == ["POST /api/oops -> 200 None"]


def test_public_write_routes_are_rate_limited(app, client, platform):
    public = [(m, r) for m, r in write_routes(app) if is_public_write(r)]
    assert public
    for method, route in public:
        platform.public_limiter = SlidingWindowLimiter(2, 60)
        path = concrete_path(route)
        for _ in range(2):
            allowed = client.request(method, path, json={}, headers=JSON)
            assert allowed.status_code != 429, path
        refused = client.request(method, path, json={}, headers=JSON)
        assert refused.status_code == 429, path
        assert refused.json()["error"]["code"] == "rate_limited"
        assert int(refused.headers["Retry-After"]) >= 1


def test_the_rate_limit_counts_each_client_apart(app, platform):
    platform.public_limiter = SlidingWindowLimiter(1, 60)
    with TestClient(app, client=("203.0.113.1", 1000), raise_server_exceptions=False) as one, \
            TestClient(app, client=("203.0.113.2", 1000), raise_server_exceptions=False) as two:
        assert one.post("/login", json={}, headers=JSON).status_code != 429
        assert one.post("/login", json={}, headers=JSON).status_code == 429
        assert two.post("/login", json={}, headers=JSON).status_code != 429


def test_the_default_public_limit_comes_from_settings(client, platform, settings):
    limit = settings.public_rate_limit
    statuses = [client.post("/login", json={}, headers=JSON).status_code for _ in range(limit + 1)]
    assert 429 not in statuses[:limit]
    assert statuses[limit] == 429


# --- tokens -------------------------------------------------------------------------------


def test_a_token_works_bare_and_with_the_bearer_scheme(client, factory):
    ann = factory.member("ann")
    for header in (ann.token, f"Bearer {ann.token}", f"bearer {ann.token}",
                   f"  Bearer   {ann.token}  "):
        response = client.get("/api/me", headers={"Authorization": header})
        assert response.status_code == 200, header
        assert response.json()["username"] == "ann"
        assert response.json()["via"] == "token"


def test_a_token_writes_without_csrf(client, factory):
    ann = factory.member("ann")
    response = client.post("/api/tokens", json={"name": "ci"},
                           headers={"Authorization": ann.token})
    assert response.status_code == 201


def test_tokens_are_stored_only_as_digests(client, platform, factory):
    ann = factory.member("ann")
    created = client.post("/api/tokens", json={"name": "script"}, headers=ann.headers)
    secret = created.json()["token"]
    with platform.db.read() as session:
        rows = [dict(row._mapping) for row in session.execute(text("SELECT * FROM api_tokens"))]
    assert len(rows) == 2
    stored = repr(rows)
    for plain in (secret, ann.token):
        assert plain not in stored
        assert plain[len("aip_") + 4:] not in stored  # beyond the short hint
    assert hashlib.sha256(secret.encode()).hexdigest() in {row["digest"] for row in rows}


def test_a_bad_authorization_header_is_refused_even_on_public_reads(client):
    for header in ("Bearer", "Bearer aip_nope", "Basic dXNlcjpwYXNz", "aip_" + "x" * 43):
        response = client.get("/api/orgs", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json()["error"]["code"] == "unauthenticated"
        assert response.headers["WWW-Authenticate"] == "Bearer"


# --- roles --------------------------------------------------------------------------------


@pytest.fixture
def two_orgs(factory: Factory) -> dict[str, Any]:
    factory.org("org-a")
    factory.org("org-b")
    return {
        "officer_a": factory.member("officer-a", org="org-a", role="officer", password=None),
        "admin_a": factory.member("admin-a", org="org-a", role="admin", password=None),
        "admin_b": factory.member("admin-b", org="org-b", role="admin", password=None),
        "root": factory.admin(),
    }


def _new_user(client: TestClient, who: Any, org: str, username: str) -> Any:
    return client.post("/api/users", json={"username": username, "org": org}, headers=who.headers)


def test_an_officer_cannot_create_users_anywhere(client, two_orgs):
    officer = two_orgs["officer_a"]
    for org in ("org-b", "org-a"):
        response = _new_user(client, officer, org, f"made-by-officer-{org}")
        assert response.status_code == 403, org
        assert response.json()["error"]["code"] == "forbidden"


def test_an_org_admin_creates_users_in_their_own_org_only(client, two_orgs):
    admin = two_orgs["admin_a"]
    assert _new_user(client, admin, "org-b", "intruder").status_code == 403
    made = _new_user(client, admin, "org-a", "new-in-a")
    assert made.status_code == 201
    assert made.json()["roles"] == {"org-a": "officer"}
    assert _new_user(client, two_orgs["admin_b"], "org-a", "other").status_code == 403


def test_a_platform_admin_creates_users_in_any_org(client, two_orgs):
    assert _new_user(client, two_orgs["root"], "org-b", "new-in-b").status_code == 201


def test_only_platform_admins_create_organisations(client, two_orgs):
    body = {"slug": "org-c", "name_en": "Org C", "name_zh": "機構丙"}
    for who in ("officer_a", "admin_a"):
        response = client.post("/api/orgs", json=body, headers=two_orgs[who].headers)
        assert response.status_code == 403, who
    assert client.post("/api/orgs", json=body).status_code == 401
    assert client.post("/api/orgs", json=body, headers=two_orgs["root"].headers).status_code == 201


def test_only_platform_admins_read_the_audit_log(client, two_orgs):
    for path in ("/api/audit", "/api/audit/verify"):
        assert client.get(path).status_code == 401
        for who in ("officer_a", "admin_a"):
            response = client.get(path, headers=two_orgs[who].headers)
            assert response.status_code == 403, (path, who)
            assert response.json()["error"]["code"] == "forbidden"
        assert client.get(path, headers=two_orgs["root"].headers).status_code == 200


def test_a_user_cannot_revoke_someone_elses_token(client, platform, two_orgs):
    officer, admin = two_orgs["officer_a"], two_orgs["admin_a"]
    created = client.post("/api/tokens", json={"name": "mine"}, headers=admin.headers).json()
    response = client.delete(f"/api/tokens/{created['id']}", headers=officer.headers)
    assert response.status_code == 404
    assert client.get("/api/me", headers={"Authorization": created["token"]}).status_code == 200


# --- helpers ------------------------------------------------------------------------------


def _csrf_from_login_page(client: TestClient) -> str:
    page = client.get("/login", headers={"Accept": "text/html"})
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the sign-in form carries a CSRF token"
    return match.group(1)
