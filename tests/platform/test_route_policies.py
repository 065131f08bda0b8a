"""Every route has an explicit, documented access policy, and behaves as documented.

``docs/security.md`` holds a table with one row per (method, route) and its policy. This test
walks ``app.routes``, observes what an anonymous caller and an ordinary officer get, and
compares that with the table: a new route without a row, a row for a route that no longer
exists, or a route whose behaviour differs from its row all fail. Policies:

* ``public``: anyone may call it (records inside may still be filtered per caller);
* ``public-limited``: anyone may call it, rate-limited (sign-in);
* ``signed-in``: 401 for anonymous callers; organisation checks inside;
* ``admin``: 401 for anonymous callers, refused for an officer (organisation or platform
  administrators only);
* ``actions``: the CKAN dispatcher; each writing action needs a token (checked action by
  action in ``test_route_security``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from aiplus.core import identity
from tests.platform.test_route_security import (
    all_routes,
    concrete_path,
    dispatcher_of,
    is_public_write,
)

TABLE = Path(__file__).resolve().parents[2] / "docs" / "security.md"
ROW = re.compile(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (\S+) \|")
POLICIES = {"public", "public-limited", "signed-in", "admin", "actions"}
JSON = {"Accept": "application/json"}


def documented() -> dict[tuple[str, str], str]:
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if match := ROW.match(line):
            method, path, policy = match.groups()
            assert (method, path) not in rows, f"{method} {path} is listed twice"
            assert policy in POLICIES, f"{method} {path}: unknown policy {policy!r}"
            rows[(method, path)] = policy
    return rows


def served(app: Any) -> list[tuple[str, Any]]:
    return [(method, route) for route in all_routes(app)
            for method in sorted(getattr(route, "methods", None) or ()) if method != "HEAD"]


def observed_policy(client: Any, platform: Any, method: str, route: Any) -> str:
    if dispatcher_of(route) is not None:
        return "actions"
    if is_public_write(route):
        return "public-limited"
    path = concrete_path(route)
    anonymous = client.request(method, path, headers=JSON, json={})
    if anonymous.status_code != 401:
        return "public"
    with platform.db.transaction() as session:  # a fresh token: a DELETE may revoke it
        _, secret = identity.issue_token(session, identity.get_user(session, "policy-officer"),
                                         "policy", days=1)
    officer = client.request(method, path, headers={**JSON, "Authorization": secret}, json={})
    return "admin" if officer.status_code in (401, 403) else "signed-in"


def test_every_route_behaves_as_its_documented_policy(app, client, platform, factory):
    factory.member("policy-officer", org="hk-td", role="officer")
    table = documented()
    routes = served(app)
    missing = sorted(f"| {m} | `{r.path}` |" for m, r in routes if (m, r.path) not in table)
    assert not missing, "routes without a policy row in docs/security.md:\n" + "\n".join(missing)
    stale = sorted(table.keys() - {(m, r.path) for m, r in routes})
    assert not stale, f"docs/security.md lists routes that no longer exist: {stale}"
    wrong = []
    for method, route in routes:
        seen = observed_policy(client, platform, method, route)
        if seen != table[(method, route.path)]:
            wrong.append(f"{method} {route.path}: documented {table[(method, route.path)]}, "
                         f"behaves as {seen}")
    assert not wrong, "\n".join(wrong)


def test_the_check_notices_an_undocumented_route(app):
    @app.get("/api/new-and-undocumented")
    def new() -> dict[str, str]:
        return {}

    assert ("GET", "/api/new-and-undocumented") not in documented()
    assert any(r.path == "/api/new-and-undocumented" for _, r in served(app))
