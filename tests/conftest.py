"""One fixture set for the whole suite, run once on SQLite and once on PostgreSQL.

``AIPLUS_TEST_DATABASE=postgresql`` runs every test against the PostgreSQL server at
``AIPLUS_TEST_POSTGRES_URL`` (default: the local server). An unreachable server stops the run
with an error, never a skip. Each test gets its own database cloned from a migrated template,
and its own ``AIPLUS_HOME``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from aiplus.core import identity
from aiplus.core.db import Database
from aiplus.core.settings import Settings
from aiplus.platform import migrate
from aiplus.platform.app import create_app
from aiplus.platform.registry import AppRegistry
from aiplus.platform.services import Platform
from tests.factories import Factory

BACKEND = os.environ.get("AIPLUS_TEST_DATABASE", "sqlite")
PG_SERVER = os.environ.get(
    "AIPLUS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def pytest_report_header(config: pytest.Config) -> str:
    where = PG_SERVER.split("@")[-1] if BACKEND == "postgresql" else "SQLite files"
    return f"aiplus database backend: {BACKEND} ({where})"


CLUSTER_MARKERS = ("ray", "flower")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep cluster tests on one xdist worker; on PostgreSQL, run only database tests.

    Tests that start Ray or Flower's SuperLink each take both cores and many processes: two
    at once on the two workers would starve each other, so they share one ``xdist_group``
    (honoured by ``--dist loadgroup``; without xdist the marker does nothing).

    On PostgreSQL, only the tests that reach a database through ``template_database`` run.
    Every other test behaves the same on both backends, so running it twice only costs time;
    deciding from the fixture closure means no test can be forgotten by a missing marker.
    """
    for item in items:
        if any(item.get_closest_marker(name) for name in CLUSTER_MARKERS):
            item.add_marker(pytest.mark.xdist_group("cluster"))
    if BACKEND != "postgresql":
        return
    kept, dropped = [], []
    for item in items:
        uses_db = "template_database" in getattr(item, "fixturenames", ())
        (kept if uses_db and not item.get_closest_marker("nodb") else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2id at its lowest cost inside the test process.

    The production cost (~0.12 s a hash, as much again to verify) is the point of password
    hashing, but the factory hashes one for every member it makes and most tests make two or
    three. What the tests check is that passwords are argon2id and verified, which the cheap
    parameters exercise the same way; processes the tests start (``aiplus serve``, the CLI)
    keep the production cost.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(identity, "_hasher", PasswordHasher(time_cost=1, memory_cost=8,
                                                          parallelism=1))
        yield


def _pg_admin():  # type: ignore[no-untyped-def]
    return create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database every test clones: a file on SQLite, a TEMPLATE on PostgreSQL."""
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("template") / "aiplus.db"
        db = Database(f"sqlite:///{path}")
        migrate.upgrade(db, AppRegistry.discover().migration_locations())
        db.dispose()  # closing the last connection folds the WAL into the file
        assert not path.with_name("aiplus.db-wal").exists()
        yield str(path)
        return
    if BACKEND != "postgresql":
        pytest.exit(f"AIPLUS_TEST_DATABASE must be sqlite or postgresql, not {BACKEND!r}", 3)
    admin = _pg_admin()
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # the run must fail loudly, not skip
        pytest.exit(f"PostgreSQL at {PG_SERVER} is unreachable: {exc}", returncode=3)
    name = f"aiplus_tpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    db = Database(_pg_url(name))
    migrate.upgrade(db, AppRegistry.discover().migration_locations())
    db.dispose()
    yield name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def cloned_database(template_database: str, folder: Path) -> Iterator[str]:
    """A copy of the migrated template: a file in ``folder``, or a PostgreSQL database."""
    if BACKEND == "sqlite":
        target = folder / "aiplus.db"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template_database, target)
        yield f"sqlite:///{target}"
        return
    with postgres_database(template_database) as url:
        yield url


@contextmanager
def postgres_database(template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database for one test, empty or copied from ``template``; dropped after."""
    name = f"aiplus_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as connection:
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def database_url(template_database: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database for one test."""
    with cloned_database(template_database, tmp_path / "db") as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        home=tmp_path / "home", database_url=database_url, job_backend="local",
        secret_key="test-secret-" + uuid.uuid4().hex, json_logs=False, log_level="WARNING",
        max_body_bytes=64 * 1024,
    )


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    built = Platform.build(settings)
    yield built
    built.close()


@pytest.fixture
def app(platform: Platform) -> FastAPI:
    return create_app(platform=platform)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def factory(platform: Platform) -> Factory:
    return Factory(platform)
