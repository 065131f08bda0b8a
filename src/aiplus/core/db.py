"""Database access: SQLAlchemy 2 engines and transactions for SQLite (default) and PostgreSQL.

Writes go through :meth:`Database.transaction`, which commits everything or nothing. On SQLite
the write engine opens ``BEGIN IMMEDIATE`` transactions so that concurrent writers queue on
the file lock instead of failing half-way; reads use deferred transactions and never block.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from aiplus.core.errors import BadRequest
from aiplus.core.i18n import N_

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both SQLite (which stores naive) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC timestamps")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base shared by every table of the platform."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime}


SQLITE_POOL_SIZE = 40
"""Connections kept open: one per request thread of the server (AnyIO's default 40). With
SQLAlchemy's default of five, a busy server closed and reopened a connection, pragmas and
all, on most reads."""


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    in_memory = make_url(url).database in (None, "", ":memory:")  # one connection, no pool
    pool = {} if in_memory else {"pool_size": SQLITE_POOL_SIZE,
                                 "max_overflow": SQLITE_POOL_SIZE // 2}
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           **pool)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """Engines and session factories for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url, immediate=False)
            self.write_engine = _sqlite_engine(url, immediate=True)
        else:
            self.engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            self.write_engine = self.engine
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after every committed write (e.g. to clear read caches)."""
        event.listen(self._writer, "after_commit", lambda _session: callback())

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on any error.

        Text with NUL, which PostgreSQL cannot store (SQLite can), is the caller's mistake:
        it becomes a BadRequest here, for every writer, instead of a driver error."""
        try:
            with self._writer() as session, session.begin():
                yield session
        except DBAPIError as error:
            if "NUL (0x00)" in str(error):
                raise BadRequest(N_("Text may not contain NUL characters.")) from None
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything it writes is discarded."""
        with self._reader() as session:
            yield session  # closing without commit discards any change and keeps loaded state

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()
