"""Property-based fuzzing of the whole OpenAPI spec: no input makes the platform fail with a 5xx.

Schemathesis generates valid and invalid requests for every operation in ``/openapi.json``;
each must be answered with a status below 500, once as an anonymous caller and once as a
platform administrator (who passes every permission check and so reaches the deepest code).
Then every operation gets a fixed set of hostile bodies (nesting 10,000 deep, a 5,000-digit
integer, wrong types, NUL) and must answer each below 500 without dropping the connection.

Everything goes over HTTP to a real uvicorn server, as an attacker's requests would. One app
and one database serve the whole module, so the fuzzing also runs against the state that
earlier requests left behind (organisations, users, tokens and jobs it created). The module
prints how many operations and requests it sent and how many server errors it saw.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings

from aiplus.core import identity
from aiplus.core.settings import Settings
from aiplus.platform.app import create_app
from aiplus.platform.services import Platform
from tests.conftest import cloned_database
from tests.factories import Factory
from tests.live_server import LiveServer

# Small and deterministic: the same cases every run, so a failure reproduces and the module
# stays well under a minute; raise max_examples locally for a deeper search.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
LEAKS = ("Traceback", 'File "', "sqlalchemy", "psycopg")
HOSTILE_BODIES = {
    "deep list": b"[" * 10_000 + b"]" * 10_000,
    "deep object": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "huge integer": b'{"org": "hk-td", "limit": ' + b"9" * 5_000 + b"}",
    "list for every field": json.dumps({key: ["x"] for key in (
        "org", "name", "slug", "id", "text", "target", "url", "username", "sql")}).encode(),
    "wrong scalar types": b'{"org": 7, "name": true, "text": null, "days": "many"}',
    "NUL in text": rb'{"org": "hk\u0000td", "text": "a\u0000b", "name": "x\u0000"}',
    "top-level list": b"[1, 2, 3]",
    "not JSON": b"{'org': 'hk-td',",
}
SENT: Counter[str] = Counter()
# The local language model answers the gateway's generation routes on CPU, slowly when the
# machine is busy; a slow answer is not the failure this module looks for.
TIMEOUT_S = 120
pytestmark = pytest.mark.fuzz


@pytest.fixture(scope="module", autouse=True)
def _not_under_xdist() -> None:
    """Under an xdist worker the generated cases silently do not run: refuse, loudly."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        pytest.fail("the OpenAPI fuzzing must run without xdist: pytest -m fuzz", pytrace=False)


@pytest.fixture(scope="module")
def fuzz_database(
    template_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated database of its own for this module, cloned like conftest's ``database_url``."""
    with cloned_database(template_database, tmp_path_factory.mktemp("fuzz-db")) as url:
        yield url


@pytest.fixture(scope="module")
def fuzz_platform(
    fuzz_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    home: Path = tmp_path_factory.mktemp("fuzz-home")
    built = Platform.build(Settings(
        home=home, database_url=fuzz_database, job_backend="local",
        secret_key="fuzz-secret-" + uuid.uuid4().hex, json_logs=False, log_level="WARNING",
        max_body_bytes=64 * 1024,
    ))
    yield built
    built.close()


@asynccontextmanager
async def _platform_stays_open(_: FastAPI) -> AsyncIterator[None]:
    yield


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print what the module sent, so a run's counts can be quoted."""
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nOpenAPI fuzzing over HTTP: {len(SENT)} operations, "
              f"{sum(SENT.values())} requests, 0 server errors")


@pytest.fixture(scope="module")
def fuzz_app(fuzz_platform: Platform) -> FastAPI:
    """The app over the module's platform. Schemathesis starts and stops the ASGI lifespan
    around test items, and the app's own lifespan closes its platform (and its job pool) on
    shutdown; the module owns the platform's lifetime here, so the lifespan leaves it open and
    endpoints that start jobs keep working from one item to the next."""
    app = create_app(platform=fuzz_platform)
    app.router.lifespan_context = _platform_stays_open
    return app


@pytest.fixture(scope="module")
def live(fuzz_app: FastAPI) -> Iterator[str]:
    """The module's app behind a real uvicorn server; its base URL."""
    with LiveServer(fuzz_app) as server:
        yield server.url


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    """One keep-alive session, so a response that drops the connection shows up."""
    with requests.Session() as session:
        yield session


@pytest.fixture(scope="module")
def admin_headers(fuzz_platform: Platform) -> Callable[[], dict[str, str]]:
    """Headers with a new token of one platform admin for every request.

    A fresh token each time, because the fuzzer revokes whatever token ids it guesses, the
    admin's own included, and every later request would then only test the 401 path.
    """
    factory = Factory(fuzz_platform)
    factory.org("hk-td")
    factory.admin("fuzz-admin")

    def fresh() -> dict[str, str]:
        with fuzz_platform.db.transaction() as session:
            user = identity.get_user(session, "fuzz-admin")
            _, secret = identity.issue_token(session, user, "fuzz", days=1)
        return {"Authorization": f"Bearer {secret}"}

    return fresh


def _spec() -> dict[str, Any]:
    """The OpenAPI document, read at import so each operation becomes its own test item.

    Describing the routes needs no database: the throwaway platform never connects to one.
    """
    with tempfile.TemporaryDirectory() as home:
        built = Platform.build(Settings(home=home, database_url="sqlite://", json_logs=False,
                                        log_level="WARNING", secret_key="spec-only"))
        try:
            return create_app(platform=built).openapi()
        finally:
            built.close()


schema = schemathesis.openapi.from_dict(_spec())


def check(response: requests.Response, operation: str) -> None:
    SENT[operation] += 1
    status, body = response.status_code, response.text
    assert status < 500, f"{operation} {status}: {body[:500]}"
    for leak in LEAKS:
        assert leak not in body, f"{leak!r} in a {status} response"


def test_the_spec_is_the_served_one(fuzz_app):
    assert schema.raw_schema == fuzz_app.openapi()
    paths = schema.raw_schema["paths"]
    assert {"post"} <= set(paths["/api/tokens"]) and "delete" in paths["/api/tokens/{token_id}"]


def _operation(case: Any) -> str:
    return str(case.operation.label)  # "METHOD /path/{template}", as the hostile test names it


@schema.parametrize()
@FUZZ
def test_no_server_error_for_anonymous_callers(case, live, http):
    check(case.call(base_url=live, session=http, timeout=TIMEOUT_S), _operation(case))


@schema.parametrize()
@FUZZ
def test_no_server_error_for_a_platform_admin(case, live, http, admin_headers):
    check(case.call(base_url=live, session=http, headers=admin_headers(), timeout=TIMEOUT_S),
          _operation(case))


def _operations() -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, item in schema.raw_schema["paths"].items()
            for method in item if method in ("post", "put", "patch", "delete")]


@pytest.mark.parametrize(("method", "path"), _operations())
def test_hostile_bodies_on_every_write_operation(method, path, live, http, admin_headers):
    """Each hostile body, anonymous and as admin, over one keep-alive connection."""
    url = live + path.replace("{", "").replace("}", "")  # placeholders become plain text
    url = "/".join(part if not part.endswith(("_id", "Id")) else "1" for part in url.split("/"))
    for name, body in HOSTILE_BODIES.items():
        for headers in ({}, admin_headers()):
            response = http.request(method, url, data=body, headers={
                **headers, "Content-Type": "application/json"}, timeout=TIMEOUT_S)
            check(response, f"{method} {path}")
            assert response.headers.get("connection", "").lower() != "close" or \
                response.status_code == 413, f"{method} {path} {name}: connection dropped"
