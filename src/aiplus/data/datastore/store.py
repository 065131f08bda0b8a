"""Where DataStore tables live: DuckDB (embedded default) or PostgreSQL.

Each resource is one table, ``res_<resource id hex>``, with ``_id`` (1..n, file order) and one
column per field, plus a row in a metadata table (fields with their original labels, row count,
what the ingest found). A (re-)ingest loads a staging table and swaps it in with the metadata
in one transaction, so readers see the old version or the new one, never half of either, and a
failed ingest leaves the previous version untouched.

* :class:`DuckDBStore` keeps everything in one DuckDB file under the platform home
  (``HOME/datastore/datastore.duckdb``). A DuckDB file is opened by one process at a time:
  run one server worker with it, or use PostgreSQL.
* :class:`PostgresStore` uses the schema ``datastore`` in the platform's PostgreSQL database,
  with an index on each of the first 20 columns (B-tree; hash for text longer than 600
  characters, which B-tree cannot hold) so filtered and sorted pages stay fast on large tables.

``open_datastore(settings)`` picks the store the way the platform picks its database.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Self

from aiplus.data.datastore.errors import (
    DataStoreError,
    DataStoreNotFound,
    DataStoreSqlError,
    DataStoreSqlForbidden,
    DataStoreTimeout,
    DataStoreValidationError,
    IngestError,
)
from aiplus.data.datastore.ingest import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    ParsedTable,
    parse,
)
from aiplus.data.datastore.names import (
    normalise_resource_id,
    quote_ident,
    table_name,
    unmask_tables,
)

MAX_LIMIT = 32000
SQL_ROW_CAP = 32000
SQL_TIMEOUT_S = 5.0
AUTO_INDEX_COLUMNS = 20
BTREE_MAX_CHARS = 600  # 4-byte characters stay under B-tree's ~2700-byte entry limit


class DataStore(ABC):
    """A place holding one queryable table per resource; see the module docstring."""

    backend: ClassVar[str]
    sql_dialect: ClassVar[str]
    TYPE_DDL: ClassVar[dict[str, str]]

    def __init__(
        self, *, max_limit: int = MAX_LIMIT, sql_row_cap: int = SQL_ROW_CAP,
        sql_timeout_s: float = SQL_TIMEOUT_S,
    ) -> None:
        self.max_limit = max_limit
        self.sql_row_cap = sql_row_cap
        self.sql_timeout_s = sql_timeout_s

    # --- writing ---------------------------------------------------------------------

    def ingest(
        self, resource_id: str, data: bytes | Path, format: str, *,
        encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS,
        null_values: Sequence[str] = ("",), indexes: Sequence[str] | None = None,
    ) -> dict[str, Any]:
        """Parse a file and (re)place the resource's table with it; returns ``info()``.
        Raises IngestError (or IngestTooLarge) and then leaves any previous table as it was."""
        rid = normalise_resource_id(resource_id)
        table = parse(
            data, format, encoding=encoding, delimiter=delimiter, sheet=sheet,
            max_bytes=max_bytes, max_rows=max_rows, null_values=null_values,
        )
        return self.load(rid, table, indexes=indexes)

    def load(
        self, resource_id: str, table: ParsedTable, *, indexes: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """Atomically replace the resource's table with ``table``. ``indexes`` (PostgreSQL;
        DuckDB scans columns without them): fields to index, default the first 20."""
        rid = normalise_resource_id(resource_id)
        names = [c.id for c in table.columns]
        if indexes is None:
            chosen = [c.id for c in table.columns if not (
                table.format == "geojson" and c.id == "geometry")][:AUTO_INDEX_COLUMNS]
        else:
            unknown = [name for name in indexes if name not in names]
            if unknown:
                raise DataStoreValidationError(
                    "indexes", f"Cannot index unknown field(s): {', '.join(unknown)}."
                )
            chosen = list(dict.fromkeys(indexes))
        meta = {
            **table.report(), "resource_id": rid,
            "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "indexes": chosen if self.backend == "postgresql" else [],
        }
        self._replace(rid, table, meta, chosen)
        return self.info(rid)

    @staticmethod
    def _csv_chunks(table: ParsedTable, rows: int = 20000) -> Iterator[tuple[str, int]]:
        """The table as CSV text (``_id`` first, no header) in chunks, with the row counts."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # CR and LF in values get quoted
        pending = 0
        for count, row in enumerate(table.load_rows(), 1):
            writer.writerow([count, *row])
            pending += 1
            if pending >= rows:
                yield buffer.getvalue(), pending
                buffer.seek(0)
                buffer.truncate()
                pending = 0
        if pending:
            yield buffer.getvalue(), pending

    @abstractmethod
    def _replace(
        self, rid: str, table: ParsedTable, meta: dict[str, Any], indexes: list[str]
    ) -> None: ...

    @abstractmethod
    def delete(self, resource_id: str) -> None:
        """Drop the resource's table; DataStoreNotFound when there is none."""

    # --- reading ---------------------------------------------------------------------

    @abstractmethod
    def _meta(self, rid: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def resource_ids(self) -> list[str]:
        """Every resource that has a table, sorted."""

    def exists(self, resource_id: str) -> bool:
        try:
            rid = normalise_resource_id(resource_id)
        except DataStoreValidationError:
            return False
        return self._meta(rid) is not None

    def info(self, resource_id: str) -> dict[str, Any]:
        """``{"resource_id", "fields": [{"id","type","label"}...], "total", "meta"}``."""
        rid = normalise_resource_id(resource_id)
        meta = self._meta(rid)
        if meta is None:
            raise DataStoreNotFound(rid)
        fields = [{"id": "_id", "type": "int", "label": "_id"}, *meta["fields"]]
        return {"resource_id": rid, "fields": fields, "total": meta["rows"], "meta": meta}

    def fields(self, resource_id: str) -> list[dict[str, str]]:
        """``[{"id","type"}...]`` including ``_id``; DataStoreNotFound when no table."""
        return [{"id": f["id"], "type": f["type"]} for f in self.info(resource_id)["fields"]]

    def table_ref(self, resource_id: str) -> str:
        return quote_ident(table_name(resource_id))

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        """Run one generated statement with ``$1``-style parameters: (column names, rows)."""

    @abstractmethod
    def stream(
        self, sql: str, params: Sequence[Any] = (), batch: int = 10000
    ) -> Iterator[list[tuple]]:
        """Run a generated query and yield its rows in batches (exports)."""

    @abstractmethod
    def run_sandboxed(
        self, sql: str, timeout_s: float
    ) -> tuple[list[tuple[str, str]], list[tuple]]:
        """Run a vetted SELECT read-only with a timeout: ([(name, type)...], rows)."""

    def copy_to_parquet(self, select_sql: str, path: Path) -> bool:
        """Write a generated query's rows to a Parquet file at ``path`` if this backend can do
        so itself; False tells :func:`~aiplus.data.datastore.export.export_parquet` to stream
        the rows into DuckDB instead."""
        return False

    # --- conveniences wired to the other modules -------------------------------------

    def search(self, resource_id: str, **params: Any) -> dict[str, Any]:
        """``datastore_search``: see :func:`aiplus.data.datastore.search.datastore_search`."""
        from aiplus.data.datastore.search import datastore_search

        return datastore_search(self, resource_id, **params)

    def search_sql(self, sql: str, **options: Any) -> dict[str, Any]:
        """``datastore_search_sql``: see :func:`aiplus.data.datastore.sql.datastore_search_sql`."""
        from aiplus.data.datastore.sql import datastore_search_sql

        return datastore_search_sql(self, sql, **options)

    def export(self, resource_id: str, format: str, **options: Any) -> Iterator[bytes]:
        """CSV/TSV/JSON chunks; see :func:`aiplus.data.datastore.export.export`."""
        from aiplus.data.datastore.export import export

        return export(self, resource_id, format, **options)

    def close(self) -> None:
        """Release connections."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _column_ddl(store: DataStore, table: ParsedTable) -> str:
    parts = ['"_id" BIGINT NOT NULL'] + [
        f"{quote_ident(c.id)} {store.TYPE_DDL[c.type]}" for c in table.columns
    ]
    return ", ".join(parts)


def _load_failure(exc: Exception) -> IngestError:
    first = unmask_tables(str(exc)).strip().splitlines()[0][:300] if str(exc).strip() else ""
    return IngestError(f"The data could not be stored: {first or type(exc).__name__}.")


# --- DuckDB --------------------------------------------------------------------------------


class DuckDBStore(DataStore):
    """The embedded default: one DuckDB file (``HOME/datastore/datastore.duckdb``)."""

    backend = "duckdb"
    sql_dialect = "duckdb"
    TYPE_DDL: ClassVar[dict[str, str]] = {
        "int": "BIGINT", "numeric": "DOUBLE", "bool": "BOOLEAN", "date": "DATE",
        "timestamp": "TIMESTAMP", "text": "VARCHAR"}
    META = "datastore_meta"

    def __init__(self, path: str | Path, **options: Any) -> None:
        import duckdb

        super().__init__(**options)
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp_dir = self.path.parent / "tmp"
        self.tmp_dir.mkdir(exist_ok=True)
        self._duckdb = duckdb
        self._lock = threading.Lock()
        self._con = duckdb.connect(str(self.path), config={
            "python_enable_replacements": False,
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        })
        self._con.execute(
            f"CREATE TABLE IF NOT EXISTS {self.META} (resource_id VARCHAR PRIMARY KEY, "
            "info VARCHAR NOT NULL)"
        )

    def _cursor(self) -> Any:
        with self._lock:
            return self._con.cursor()

    def _replace(
        self, rid: str, table: ParsedTable, meta: dict[str, Any], indexes: list[str]
    ) -> None:
        name = table_name(rid)
        staging = f"{name}__n{secrets.token_hex(4)}"
        tmp = self.tmp_dir / f"{staging}.csv"
        expected = 0
        try:
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                for chunk, count in self._csv_chunks(table):
                    out.write(chunk)
                    expected += count
            types = ", ".join(
                f"'c{i}': '{t}'" for i, t in enumerate(
                    ["BIGINT"] + [self.TYPE_DDL[c.type] for c in table.columns])
            )
            path_literal = "'" + str(tmp).replace("'", "''") + "'"
            cur = self._cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                cur.execute(f"CREATE TABLE {quote_ident(staging)} ({_column_ddl(self, table)})")
                if expected:
                    cur.execute(
                        f"INSERT INTO {quote_ident(staging)} SELECT * FROM read_csv("
                        f"{path_literal}, header=false, delim=',', quote='\"', escape='\"', "
                        f"auto_detect=false, new_line='\\r\\n', max_line_size=268435456, columns={{{types}}})"
                    )
                stored = cur.execute(f"SELECT count(*) FROM {quote_ident(staging)}").fetchone()[0]
                if stored != expected:
                    raise IngestError(f"Stored {stored} rows but read {expected}.")
                cur.execute(f"DROP TABLE IF EXISTS {quote_ident(name)}")
                cur.execute(f"ALTER TABLE {quote_ident(staging)} RENAME TO {quote_ident(name)}")
                cur.execute(f"DELETE FROM {self.META} WHERE resource_id = $1", [rid])
                cur.execute(f"INSERT INTO {self.META} VALUES ($1, $2)", [rid, json.dumps(meta)])
                cur.execute("COMMIT")
            except BaseException as exc:
                try:
                    cur.execute("ROLLBACK")
                except self._duckdb.Error:
                    pass
                if isinstance(exc, self._duckdb.Error):
                    raise _load_failure(exc) from None
                raise
            finally:
                cur.close()
        finally:
            tmp.unlink(missing_ok=True)

    def delete(self, resource_id: str) -> None:
        rid = normalise_resource_id(resource_id)
        cur = self._cursor()
        try:
            cur.execute("BEGIN TRANSACTION")
            found = cur.execute(
                f"DELETE FROM {self.META} WHERE resource_id = $1 RETURNING resource_id", [rid]
            ).fetchall()
            cur.execute(f"DROP TABLE IF EXISTS {quote_ident(table_name(rid))}")
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.close()
        if not found:
            raise DataStoreNotFound(rid)

    def _meta(self, rid: str) -> dict[str, Any] | None:
        cur = self._cursor()
        try:
            row = cur.execute(
                f"SELECT info FROM {self.META} WHERE resource_id = $1", [rid]
            ).fetchone()
        finally:
            cur.close()
        return json.loads(row[0]) if row else None

    def resource_ids(self) -> list[str]:
        return [row[0] for row in self.execute(
            f"SELECT resource_id FROM {self.META} ORDER BY resource_id")[1]]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        cur = self._cursor()
        try:
            cur.execute(sql, list(params))
            names = [d[0] for d in cur.description or ()]
            return names, cur.fetchall()
        except self._duckdb.Error as exc:
            raise DataStoreError(unmask_tables(str(exc)).splitlines()[0][:300]) from None
        finally:
            cur.close()

    def stream(
        self, sql: str, params: Sequence[Any] = (), batch: int = 10000
    ) -> Iterator[list[tuple]]:
        cur = self._cursor()
        try:
            cur.execute(sql, list(params))
            while rows := cur.fetchmany(batch):
                yield rows
        finally:
            cur.close()

    def run_sandboxed(
        self, sql: str, timeout_s: float
    ) -> tuple[list[tuple[str, str]], list[tuple]]:
        cur = self._cursor()
        timer = threading.Timer(timeout_s, cur.interrupt)
        try:
            cur.execute("BEGIN TRANSACTION READ ONLY")
            timer.start()
            cur.execute(sql)
            rows = cur.fetchall()
            description = [(d[0], _duck_type(d[1])) for d in cur.description or ()]
            return description, rows
        except self._duckdb.InterruptException:
            raise DataStoreTimeout(
                f"The query took longer than {timeout_s:g} seconds and was stopped."
            ) from None
        except self._duckdb.Error as exc:
            message = unmask_tables(str(exc)).strip().splitlines()[0][:500]
            if "read-only" in message.lower():
                raise DataStoreSqlForbidden(f"Only reading is allowed: {message}") from None
            raise DataStoreSqlError(f"The query failed: {message}") from None
        finally:
            timer.cancel()
            try:
                cur.execute("ROLLBACK")
            except self._duckdb.Error:
                pass
            cur.close()

    def copy_to_parquet(self, select_sql: str, path: Path) -> bool:
        literal = "'" + str(path).replace("'", "''") + "'"
        cur = self._cursor()
        try:
            cur.execute(f"COPY ({select_sql}) TO {literal} (FORMAT parquet)")
        finally:
            cur.close()
        return True

    def close(self) -> None:
        self._con.close()


def _duck_type(type_code: Any) -> str:
    name = str(type_code).upper()
    if name in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER",
                "USMALLINT", "UTINYINT"):
        return "int"
    if name in ("DOUBLE", "FLOAT", "REAL") or name.startswith("DECIMAL"):
        return "numeric"
    if name == "BOOLEAN":
        return "bool"
    if name == "DATE":
        return "date"
    if name.startswith("TIMESTAMP"):
        return "timestamp"
    if name == "VARCHAR":
        return "text"
    return name.lower()


# --- PostgreSQL ----------------------------------------------------------------------------

_PG_TYPES = {
    16: "bool", 20: "int", 21: "int", 23: "int", 700: "numeric", 701: "numeric",
    1700: "numeric", 1082: "date", 1114: "timestamp", 1184: "timestamp", 25: "text",
    1043: "text", 18: "text", 19: "text", 1083: "time", 1186: "interval", 114: "json",
    3802: "json",
}


class PostgresStore(DataStore):
    """Tables in the schema ``datastore`` of the platform's PostgreSQL database."""

    backend = "postgresql"
    sql_dialect = "postgres"
    SCHEMA = "datastore"
    META = '"datastore"."_meta"'
    TYPE_DDL: ClassVar[dict[str, str]] = {
        "int": "BIGINT", "numeric": "DOUBLE PRECISION", "bool": "BOOLEAN",
        "date": "DATE", "timestamp": "TIMESTAMP", "text": "TEXT"}

    def __init__(self, sqlalchemy_url: str, **options: Any) -> None:
        import psycopg
        from sqlalchemy import create_engine, make_url

        super().__init__(**options)
        url = make_url(sqlalchemy_url)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        self._psycopg = psycopg
        self.engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        with self._connection() as pg:
            try:
                with pg.cursor() as cur:
                    cur.execute(f"CREATE SCHEMA IF NOT EXISTS {self.SCHEMA}")
                    cur.execute(
                        f"CREATE TABLE IF NOT EXISTS {self.META} (resource_id TEXT PRIMARY KEY, "
                        "info TEXT NOT NULL)"
                    )
                pg.commit()
            except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateObject):
                pg.rollback()  # another process created them at the same moment

    class _Conn:
        def __init__(self, store: PostgresStore) -> None:
            self.pooled = store.engine.raw_connection()

        def __enter__(self) -> Any:
            return self.pooled.driver_connection

        def __exit__(self, *exc: object) -> None:
            try:
                self.pooled.driver_connection.rollback()
            finally:
                self.pooled.close()

    def _connection(self) -> PostgresStore._Conn:
        return PostgresStore._Conn(self)

    def table_ref(self, resource_id: str) -> str:
        return f"{self.SCHEMA}.{quote_ident(table_name(resource_id))}"

    def _replace(
        self, rid: str, table: ParsedTable, meta: dict[str, Any], indexes: list[str]
    ) -> None:
        name = table_name(rid)
        staging = f"{name}__n{secrets.token_hex(4)}"
        target = f"{self.SCHEMA}.{quote_ident(staging)}"
        types = {c.id: c.type for c in table.columns}
        psycopg = self._psycopg
        with self._connection() as pg:
            try:
                cur = psycopg.RawCursor(pg)
                cur.execute(f"CREATE TABLE {target} ({_column_ddl(self, table)})")
                expected = 0
                with cur.copy(f"COPY {target} FROM STDIN (FORMAT csv)") as copy:
                    for chunk, count in self._csv_chunks(table):
                        copy.write(chunk)
                        expected += count
                cur.execute(f"ALTER TABLE {target} ADD PRIMARY KEY (_id)")
                for number, column in enumerate(indexes):
                    long_text = table.max_lengths.get(column, 0) > BTREE_MAX_CHARS
                    method = "hash" if types[column] == "text" and long_text else "btree"
                    cur.execute(
                        f"CREATE INDEX {quote_ident(f'{staging}_i{number}')} ON {target} "
                        f"USING {method} ({quote_ident(column)})"
                    )
                cur.execute(f"DROP TABLE IF EXISTS {self.SCHEMA}.{quote_ident(name)}")
                cur.execute(f"ALTER TABLE {target} RENAME TO {quote_ident(name)}")
                cur.execute(f"DELETE FROM {self.META} WHERE resource_id = $1", [rid])
                cur.execute(f"INSERT INTO {self.META} VALUES ($1, $2)", [rid, json.dumps(meta)])
                cur.execute(f"ANALYZE {self.SCHEMA}.{quote_ident(name)}")
                pg.commit()
            except psycopg.Error as exc:
                pg.rollback()
                raise _load_failure(exc) from None

    def delete(self, resource_id: str) -> None:
        rid = normalise_resource_id(resource_id)
        with self._connection() as pg:
            cur = self._psycopg.RawCursor(pg)
            cur.execute(f"DELETE FROM {self.META} WHERE resource_id = $1 RETURNING 1", [rid])
            found = cur.fetchall()
            cur.execute(f"DROP TABLE IF EXISTS {self.table_ref(rid)}")
            pg.commit()
        if not found:
            raise DataStoreNotFound(rid)

    def _meta(self, rid: str) -> dict[str, Any] | None:
        with self._connection() as pg:
            cur = self._psycopg.RawCursor(pg)
            cur.execute(f"SELECT info FROM {self.META} WHERE resource_id = $1", [rid])
            row = cur.fetchone()
        return json.loads(row[0]) if row else None

    def resource_ids(self) -> list[str]:
        return [row[0] for row in self.execute(
            f"SELECT resource_id FROM {self.META} ORDER BY resource_id")[1]]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        with self._connection() as pg:
            cur = self._psycopg.RawCursor(pg)
            try:
                cur.execute(sql, list(params))
            except self._psycopg.Error as exc:
                raise DataStoreError(
                    unmask_tables(getattr(exc.diag, "message_primary", None) or str(exc))[:300]
                ) from None
            names = [d.name for d in cur.description or ()]
            return names, cur.fetchall()

    def stream(
        self, sql: str, params: Sequence[Any] = (), batch: int = 10000
    ) -> Iterator[list[tuple]]:
        with self._connection() as pg:
            cur = self._psycopg.RawCursor(pg)
            cur.execute(f"DECLARE _export NO SCROLL CURSOR FOR {sql}", list(params))
            while True:
                cur.execute(f"FETCH FORWARD {int(batch)} FROM _export")
                rows = cur.fetchall()
                if not rows:
                    break
                yield rows

    def run_sandboxed(
        self, sql: str, timeout_s: float
    ) -> tuple[list[tuple[str, str]], list[tuple]]:
        errors = self._psycopg.errors
        with self._connection() as pg:
            cur = self._psycopg.RawCursor(pg)
            cur.execute("SET TRANSACTION READ ONLY")
            cur.execute(f"SET LOCAL statement_timeout = {max(1, int(timeout_s * 1000))}")
            cur.execute(f"SET LOCAL search_path = {self.SCHEMA}")
            try:
                cur.execute(sql)
                rows = cur.fetchall()
            except errors.QueryCanceled:
                raise DataStoreTimeout(
                    f"The query took longer than {timeout_s:g} seconds and was stopped."
                ) from None
            except (errors.ReadOnlySqlTransaction, errors.InsufficientPrivilege) as exc:
                raise DataStoreSqlForbidden(
                    f"Only reading is allowed: {exc.diag.message_primary}"
                ) from None
            except self._psycopg.Error as exc:
                message = unmask_tables(exc.diag.message_primary or str(exc))[:500]
                raise DataStoreSqlError(f"The query failed: {message}") from None
            description = [(d.name, _PG_TYPES.get(d.type_code, "text"))
                           for d in cur.description or ()]
            return description, rows

    def close(self) -> None:
        self.engine.dispose()


def open_datastore(settings: Any, **options: Any) -> DataStore:
    """DuckDB under ``settings.home`` when the platform runs on SQLite, else PostgreSQL in the
    platform's database. ``options``: ``max_limit``, ``sql_row_cap``, ``sql_timeout_s``."""
    if settings.is_sqlite:
        return DuckDBStore(Path(settings.home) / "datastore" / "datastore.duckdb", **options)
    return PostgresStore(settings.sqlalchemy_url, **options)
