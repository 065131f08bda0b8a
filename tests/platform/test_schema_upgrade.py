"""A database made by main before platform contract v2 upgrades in place, its data intact.

The fixtures were made by main at commit c0ecb5d (before the pillars took over their tables and
migrations): ``aiplus migrate``, the platform's demo data and every app's demo except traffic's
30,000 journey times (kept out for size), on SQLite (the database file) and on PostgreSQL
(``pg_dump --inserts``, psql's ``\\restrict`` lines removed).
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import inspect, make_url, select, text

from aiplus.core.db import Database
from aiplus.models.registry.tables import RegisteredModel
from aiplus.platform import migrate
from aiplus.platform.registry import AppRegistry
from tests.conftest import BACKEND, cloned_database, postgres_database

FIXTURES = Path(__file__).parent / "fixtures"
OLD_MAIN = "c0ecb5d"


@contextmanager
def old_main_database(folder: Path) -> Iterator[str]:
    """The database main made at :data:`OLD_MAIN`, restored on this run's backend."""
    if BACKEND == "sqlite":
        target = folder / "aiplus.db"
        folder.mkdir(parents=True, exist_ok=True)
        with gzip.open(FIXTURES / f"main-{OLD_MAIN}.sqlite.gz") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)
        yield f"sqlite:///{target}"
        return
    dump = gzip.decompress((FIXTURES / f"main-{OLD_MAIN}.postgresql.sql.gz").read_bytes())
    with postgres_database() as url:
        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(dump)  # type: ignore[call-overload]
        yield url


def row_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
                for table in inspect(connection).get_table_names()
                if not table.startswith("data_search_fts")}


def columns(db: Database) -> dict[str, set[str]]:
    with db.engine.connect() as connection:
        schema = inspect(connection)
        return {table: {column["name"] for column in schema.get_columns(table)}
                for table in schema.get_table_names()}


def test_a_database_from_main_before_v2_upgrades_in_place(tmp_path: Path,
                                                          template_database: str) -> None:
    locations = AppRegistry.discover().migration_locations()
    with old_main_database(tmp_path / "old") as url:
        db = Database(url)
        before = row_counts(db)
        assert before["registry_models"] >= 1 and before["data_datasets"] >= 35
        migrate.upgrade(db, locations)
        assert migrate.pending(db, locations) == set()
        assert row_counts(db) == before
        with db.read() as session:
            names = session.scalars(select(RegisteredModel.name)).all()
        assert "credit-default" in names
        upgraded = columns(db)
        db.dispose()
    with cloned_database(template_database, tmp_path / "new") as fresh_url:
        fresh = Database(fresh_url)
        assert upgraded == columns(fresh), "an upgraded database must match a new one"
        fresh.dispose()

