"""Downloads of a whole resource table: CSV, TSV and JSON streamed in chunks, Parquet as a file.

Rows come in ``_id`` (file) order with ``_id`` first, like CKAN's ``/datastore/dump``. In CSV
and TSV, text that a spreadsheet would run as a formula (``= + - @`` ...) is prefixed with an
apostrophe unless ``escape_formulas=False``. JSON is ``{"fields": [...], "records": [[...]]}``
as CKAN's JSON dump writes it.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiplus.data.datastore.errors import DataStoreValidationError
from aiplus.data.datastore.ingest import is_formula
from aiplus.data.datastore.names import normalise_resource_id, quote_ident
from aiplus.data.datastore.search import jsonable

if TYPE_CHECKING:
    from aiplus.data.datastore.store import DataStore

EXPORT_FORMATS = ("csv", "tsv", "json", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/json", "parquet": "application/vnd.apache.parquet",
}
BATCH_ROWS = 10000


def _columns(store: DataStore, rid: str, fields: Sequence[str] | None) -> list[dict[str, str]]:
    known = store.fields(rid)
    if fields is None:
        return known
    by_id = {f["id"]: f for f in known}
    unknown = [name for name in fields if name not in by_id]
    if unknown:
        raise DataStoreValidationError("fields", f"Field {unknown[0][:80]!r} is not in this table.")
    return [by_id[name] for name in dict.fromkeys(fields)]


def _select(store: DataStore, rid: str, columns: list[dict[str, str]]) -> str:
    names = ", ".join(quote_ident(c["id"]) for c in columns)
    return f'SELECT {names} FROM {store.table_ref(rid)} ORDER BY "_id"'


def _cell(value: Any, escape: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if escape and value and is_formula(value) else value
    return jsonable(value)


def export(
    store: DataStore, resource_id: str, format: str, *, fields: Sequence[str] | None = None,
    bom: bool = False, escape_formulas: bool = True,
) -> Iterator[bytes]:
    """The table as CSV, TSV or JSON, in chunks of UTF-8 bytes (``bom`` adds a UTF-8 BOM for
    spreadsheet programs). For Parquet use :func:`export_parquet`."""
    rid = normalise_resource_id(resource_id)
    if format not in ("csv", "tsv", "json"):
        raise DataStoreValidationError(
            "format", f"Stream formats are csv, tsv and json (not {format[:20]!r})."
        )
    columns = _columns(store, rid, fields)
    sql = _select(store, rid, columns)
    if format == "json":
        return _json_chunks(store, sql, columns)
    return _csv_chunks(store, sql, columns, "," if format == "csv" else "\t", bom, escape_formulas)


def _csv_chunks(
    store: DataStore, sql: str, columns: list[dict[str, str]], delimiter: str, bom: bool,
    escape: bool,
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c["id"] for c in columns])
    head = buffer.getvalue().encode("utf-8")
    yield (b"\xef\xbb\xbf" + head) if bom else head
    for rows in store.stream(sql, (), BATCH_ROWS):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_cell(v, escape) for v in row] for row in rows)
        yield buffer.getvalue().encode("utf-8")


def _json_chunks(store: DataStore, sql: str, columns: list[dict[str, str]]) -> Iterator[bytes]:
    yield (
        '{"fields": ' + json.dumps(columns, ensure_ascii=False) + ', "records": ['
    ).encode("utf-8")
    first = True
    for rows in store.stream(sql, (), BATCH_ROWS):
        parts = [json.dumps([jsonable(v) for v in row], ensure_ascii=False) for row in rows]
        text = ",\n".join(parts)
        yield ((("" if first else ",\n") + text).encode("utf-8"))
        first = False
    yield b"]}\n"


def export_bytes(store: DataStore, resource_id: str, format: str, **options: Any) -> bytes:
    """The whole download in memory (small tables, tests); Parquet included."""
    if format == "parquet":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.parquet"
            export_parquet(store, resource_id, path, **options)
            return path.read_bytes()
    return b"".join(export(store, resource_id, format, **options))


def export_parquet(
    store: DataStore, resource_id: str, path: Path, *, fields: Sequence[str] | None = None,
) -> Path:
    """Write the table to a Parquet file at ``path`` (column types kept) and return it."""
    rid = normalise_resource_id(resource_id)
    columns = _columns(store, rid, fields)
    path = Path(path)
    if store.copy_to_parquet(_select(store, rid, columns), path):
        return path
    import duckdb

    ddl = {"int": "BIGINT", "numeric": "DOUBLE", "bool": "BOOLEAN", "date": "DATE",
           "timestamp": "TIMESTAMP", "text": "VARCHAR"}
    with tempfile.TemporaryDirectory() as folder:
        staging = Path(folder) / "rows.csv"
        with open(staging, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")  # CR and LF in values get quoted
            for rows in store.stream(_select(store, rid, columns), (), BATCH_ROWS):
                writer.writerows(
                    [None if v is None else _cell(v, False) for v in row] for row in rows
                )
        types = ", ".join(f"'c{i}': '{ddl.get(c['type'], 'VARCHAR')}'"
                          for i, c in enumerate(columns))
        names = ", ".join(f"c{i} AS {quote_ident(c['id'])}" for i, c in enumerate(columns))
        con = duckdb.connect(":memory:")
        try:
            source = "'" + str(staging).replace("'", "''") + "'"
            target = "'" + str(path).replace("'", "''") + "'"
            con.execute(
                f"COPY (SELECT {names} FROM read_csv({source}, header=false, delim=',', "
                f"quote='\"', escape='\"', auto_detect=false, new_line='\\r\\n', max_line_size=268435456, "
                f"columns={{{types}}})) TO {target} (FORMAT parquet)"
            )
        finally:
            con.close()
    return path
