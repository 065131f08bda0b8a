"""``datastore_search`` with CKAN 2.10 semantics, on any :class:`DataStore`.

Every identifier in the generated SQL is a field of the table (checked against the stored
field list, then double-quoted) and every value is a bound parameter (``$1``...), so nothing a
caller sends is ever pasted into SQL.

Parameters (as CKAN): ``filters`` ``{field: value | [values]}`` (a JSON string is accepted),
``q`` (text matched, every word, case-insensitively, in any text field; or ``{field: text}``),
``fields`` (list or comma-separated), ``sort`` (``"a asc, b desc"`` or a list; quote names that
contain commas: ``"\\"a, b\\" desc"``), ``limit`` (default 100, capped at the store's
``max_limit``, 32000), ``offset``, ``records_format`` (objects, lists, csv, tsv),
``include_total``, ``distinct``. Rows come in ``_id`` order unless sorted (``_id`` breaks ties,
so pages never overlap).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from aiplus.core import jsonlimits
from aiplus.data.datastore.errors import DataStoreValidationError
from aiplus.data.datastore.ingest import coerce
from aiplus.data.datastore.names import normalise_resource_id, quote_ident

if TYPE_CHECKING:
    from aiplus.data.datastore.store import DataStore

DEFAULT_LIMIT = 100
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
MAX_Q_LENGTH = 1000
MAX_Q_TERMS = 20
MAX_FILTER_VALUES = 1000
SEARCH_URL = "/api/3/action/datastore_search"
_SORT_ITEM = re.compile(r'\s*(?:"((?:[^"]|"")+)"|(.+?))(?:\s+(asc|desc))?\s*\Z', re.IGNORECASE | re.DOTALL)


def jsonable(value: Any) -> Any:
    """A database value as JSON: dates ISO 8601, decimals as numbers, non-finite as null."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _as_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.strip().lower() in ("true", "1", "yes")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise DataStoreValidationError(name, f"{name} must be true or false.")


def _as_int(name: str, value: Any, default: int, minimum: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, bool):
        raise DataStoreValidationError(name, f"{name} must be a whole number.")
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,12}\s*", value):
        value = int(value)
    if not isinstance(value, int):
        raise DataStoreValidationError(name, f"{name} must be a whole number.")
    if value < minimum:
        raise DataStoreValidationError(name, f"{name} must be {minimum} or more.")
    return value


def _field_list(value: Any, known: dict[str, str]) -> list[str]:
    if value is None:
        return list(known)
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")] if value.strip() else []
        if value.strip() in known:  # a single name that itself contains a comma
            items = [value.strip()]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = [v.strip() for v in value]
    else:
        raise DataStoreValidationError("fields", "fields must be a list of field names.")
    if not items:
        raise DataStoreValidationError("fields", "fields must name at least one field.")
    unknown = [item for item in items if item not in known]
    if unknown:
        raise DataStoreValidationError(
            "fields", f"Field {unknown[0][:80]!r} is not in this table.",
            details={"unknown": [u[:80] for u in unknown[:10]]},
        )
    return list(dict.fromkeys(items))


def _split_sort(text: str) -> list[str]:
    items, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [item for item in items if item.strip()]


def _sort_list(value: Any, known: dict[str, str]) -> list[tuple[str, str]]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str):
        items = _split_sort(value) if value.strip() not in known else [value]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        items = list(value)
    else:
        raise DataStoreValidationError("sort", 'sort must look like "field asc, other desc".')
    result: list[tuple[str, str]] = []
    for item in items:
        if item.strip() in known:
            result.append((item.strip(), "ASC"))
            continue
        match = _SORT_ITEM.match(item)
        if not match:
            raise DataStoreValidationError("sort", f"Cannot read the sort item {item[:80]!r}.")
        name = match.group(1).replace('""', '"') if match.group(1) else match.group(2).strip()
        if name not in known:
            raise DataStoreValidationError(
                "sort", f"Cannot sort on {name[:80]!r}: it is not a field of this table."
            )
        result.append((name, (match.group(3) or "asc").upper()))
    return result


def _filters(value: Any, known: dict[str, str]) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = jsonlimits.loads(value)
        except ValueError:
            raise DataStoreValidationError("filters", "filters must be a JSON object.") from None
    if not isinstance(value, dict):
        raise DataStoreValidationError("filters", "filters must be an object {field: value}.")
    for name in value:
        if name not in known:
            raise DataStoreValidationError(
                "filters", f"Cannot filter on {str(name)[:80]!r}: it is not a field of this table."
            )
    return value


def _coerce_filter(name: str, kind: str, value: Any) -> Any:
    try:
        return coerce(kind, value)
    except (ValueError, TypeError, OverflowError):
        shown = repr(value)[:80]
        raise DataStoreValidationError(
            "filters", f"Value {shown} for field {name!r} is not a valid {kind}."
        ) from None


def _q_terms(text: Any, field: str = "q") -> list[str]:
    if not isinstance(text, str):
        raise DataStoreValidationError(field, "q must be text or an object {field: text}.")
    if len(text) > MAX_Q_LENGTH:
        raise DataStoreValidationError(field, f"q is longer than {MAX_Q_LENGTH} characters.")
    terms = text.split()
    if len(terms) > MAX_Q_TERMS:
        raise DataStoreValidationError(field, f"q has more than {MAX_Q_TERMS} words.")
    return terms


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _Params:
    def __init__(self) -> None:
        self.values: list[Any] = []

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


def _where(
    known: dict[str, str], filters: dict[str, Any], q: Any, params: _Params
) -> list[str]:
    clauses: list[str] = []
    for name, raw in filters.items():
        column, kind = quote_ident(name), known[name]
        values = raw if isinstance(raw, list) else [raw]
        if len(values) > MAX_FILTER_VALUES:
            raise DataStoreValidationError(
                "filters", f"At most {MAX_FILTER_VALUES} values per field in filters."
            )
        if any(isinstance(v, (dict, list)) for v in values):
            raise DataStoreValidationError(
                "filters", f"Filter values for {name!r} must be plain values or a list of them."
            )
        coerced = [_coerce_filter(name, kind, v) for v in values]
        present = [v for v in coerced if v is not None]
        parts = []
        if present:
            if len(present) == 1:
                parts.append(f"{column} = {params.add(present[0])}")
            else:
                parts.append(f"{column} IN ({', '.join(params.add(v) for v in present)})")
        if len(present) != len(coerced):
            parts.append(f"{column} IS NULL")
        clauses.append("(" + " OR ".join(parts) + ")" if parts else "FALSE")
    if q is None or q == "" or q == {}:
        return clauses
    if isinstance(q, str) and q.strip().startswith("{"):
        try:
            q = jsonlimits.loads(q)
        except ValueError:
            pass
    if isinstance(q, dict):
        for name, text in q.items():
            if name not in known:
                raise DataStoreValidationError(
                    "q", f"Cannot search {str(name)[:80]!r}: it is not a field of this table."
                )
            for term in _q_terms(text):
                clauses.append(
                    f"CAST({quote_ident(name)} AS TEXT) ILIKE {params.add(_like_pattern(term))} "
                    "ESCAPE '\\'"
                )
        return clauses
    terms = _q_terms(q)
    text_columns = [n for n, k in known.items() if k == "text"]
    targets = [quote_ident(n) for n in text_columns] or [
        f"CAST({quote_ident(n)} AS TEXT)" for n in known if n != "_id"
    ]
    for term in terms:
        bound = params.add(_like_pattern(term))
        clauses.append(
            "(" + " OR ".join(f"{t} ILIKE {bound} ESCAPE '\\'" for t in targets) + ")"
            if targets else "FALSE"
        )
    return clauses


def _records_text(rows: list[tuple], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")  # RFC 4180
    for row in rows:
        writer.writerow(["" if v is None else _plain(v) for v in row])
    return buffer.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return jsonable(value)


def _links(base_url: str, given: dict[str, Any], offset: int, limit: int) -> dict[str, str]:
    query: list[tuple[str, str]] = []
    for key, value in given.items():
        if key == "offset" or value is None:
            continue
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        elif isinstance(value, bool):
            value = "true" if value else "false"
        query.append((key, str(value)))
    start = base_url + "?" + urlencode(query)
    after = base_url + "?" + urlencode([*query, ("offset", str(offset + limit))])
    return {"start": start, "next": after}


def datastore_search(
    store: DataStore, resource_id: str, *, filters: Any = None, q: Any = None,
    fields: Any = None, sort: Any = None, limit: Any = None, offset: Any = None,
    records_format: str = "objects", include_total: Any = True, distinct: Any = False,
    plain: Any = True, language: str | None = None, base_url: str = SEARCH_URL,
) -> dict[str, Any]:
    """Search one resource's table; returns CKAN's result dict:
    ``{"resource_id", "fields", "records", "records_format", "limit", "offset"?, "total",
    "total_was_estimated", "include_total", "_links"}``. ``plain`` and ``language`` are
    accepted for compatibility; q always matches words as substrings."""
    rid = normalise_resource_id(resource_id)
    known = {f["id"]: f["type"] for f in store.fields(rid)}
    selected = _field_list(fields, known)
    wanted_filters = _filters(filters, known)
    order = _sort_list(sort, known)
    max_limit = store.max_limit
    row_limit = min(_as_int("limit", limit, DEFAULT_LIMIT), max_limit)
    row_offset = _as_int("offset", offset, 0)
    if records_format not in RECORDS_FORMATS:
        raise DataStoreValidationError(
            "records_format", f"records_format must be one of {', '.join(RECORDS_FORMATS)}."
        )
    with_total = _as_bool("include_total", include_total)
    is_distinct = _as_bool("distinct", distinct)
    params = _Params()
    clauses = _where(known, wanted_filters, q, params)
    table = store.table_ref(rid)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    columns = ", ".join(quote_ident(name) for name in selected)
    if is_distinct:
        outside = [name for name, _ in order if name not in selected]
        if outside:
            raise DataStoreValidationError(
                "sort", f"With distinct, sort only on returned fields ({outside[0][:80]!r} is not)."
            )
    ordering = [f"{quote_ident(name)} {direction} NULLS LAST" for name, direction in order]
    sorted_names = {name for name, _ in order}
    if not is_distinct and "_id" not in sorted_names:
        ordering.append('"_id" ASC')
    elif is_distinct:
        ordering += [f"{quote_ident(n)} ASC NULLS LAST" for n in selected if n not in sorted_names]
    select = (
        f"SELECT {'DISTINCT ' if is_distinct else ''}{columns} FROM {table}{where} "
        f"ORDER BY {', '.join(ordering)} LIMIT {row_limit} OFFSET {row_offset}"
    )
    _, rows = store.execute(select, params.values)
    total = None
    if with_total:
        if is_distinct:
            count_sql = f"SELECT count(*) FROM (SELECT DISTINCT {columns} FROM {table}{where}) d"
        else:
            count_sql = f"SELECT count(*) FROM {table}{where}"
        total = store.execute(count_sql, params.values)[1][0][0]
    if records_format == "objects":
        records: Any = [dict(zip(selected, map(jsonable, row), strict=True)) for row in rows]
    elif records_format == "lists":
        records = [[jsonable(v) for v in row] for row in rows]
    else:
        records = _records_text(rows, "," if records_format == "csv" else "\t")
    given = {
        "resource_id": rid, "filters": filters or None, "q": q or None,
        "fields": ",".join(selected) if fields is not None else None,
        "sort": sort or None, "limit": limit,
        "records_format": None if records_format == "objects" else records_format,
        "include_total": None if with_total else False,
        "distinct": True if is_distinct else None,
    }
    result: dict[str, Any] = {
        "include_total": with_total, "resource_id": rid,
        "fields": [{"id": name, "type": known[name]} for name in selected],
        "records_format": records_format, "records": records, "limit": row_limit,
        "_links": _links(base_url, given, row_offset, row_limit),
        "total_was_estimated": False,
    }
    if offset is not None:
        result["offset"] = row_offset
    if with_total:
        result["total"] = total
    for key in ("filters", "q", "sort"):
        if given[key] is not None:
            result[key] = wanted_filters if key == "filters" else given[key]
    if is_distinct:
        result["distinct"] = True
    return result


def parse_sort(value: str | Sequence[str], known: dict[str, str]) -> list[tuple[str, str]]:
    """Public for the API layer: ``[(field, "ASC"|"DESC")...]`` or DataStoreValidationError."""
    return _sort_list(value, known)
