"""Turn an uploaded file into typed columns and rows the stores can load.

``parse(data, format)`` reads CSV/TSV, XLSX, JSON (array of objects), JSON Lines and GeoJSON
(FeatureCollection) and returns a :class:`ParsedTable`: sanitised column names, one inferred
type per column and a re-iterable stream of rows holding canonical text for each value (what
DuckDB's and PostgreSQL's CSV loaders both read exactly the same way). Nothing touches a
database here, so a file that fails to parse never half-writes a table.

Documented handling of messy input:

* Encodings: a byte-order mark wins (UTF-8-SIG, UTF-16, UTF-32); then strict UTF-8; then
  charset-normalizer, preferring the Big5 family (decoded as Big5-HKSCS, then CP950) when it is
  among the candidates, since that is what Hong Kong files use. A file no encoding decodes is
  refused. ``encoding=`` overrides detection.
* CSV: the delimiter is sniffed among ``, ; TAB |`` (``delimiter=`` overrides). The first
  non-blank row is the header. Blank rows are skipped. A row shorter than the header is padded
  with nulls; a row longer than the header is an error naming the line, unless the extra cells
  are empty. Unbalanced quotes are an error naming the line.
* Values are stripped; an empty cell (or one of ``null_values``) is null.
* Types, per column, the narrowest that fits every non-null value: ``int`` (64-bit, no leading
  zeros, so codes like ``00123`` stay text; ``1,234`` thousands separators accepted),
  ``numeric`` (stored as double precision), ``bool`` (true/false/yes/no), ``date``
  (YYYY-MM-DD, YYYY/MM/DD or day-first DD/MM/YYYY as used in Hong Kong), ``timestamp`` (those
  dates plus a time; values with a UTC offset are converted to UTC; a column mixing offset and
  local times is text), else ``text``.
* Formula or CSV-injection cells (starting with ``= + - @`` or a tab/CR, and not a number) are
  kept as text, never evaluated, and flagged in ``ParsedTable.formula_cells``; CSV exports
  prefix them with an apostrophe.
* Column names: control characters and double quotes removed, leading underscores stripped
  (``_id`` is the DataStore's own row id), at most 63 UTF-8 bytes (PostgreSQL's limit),
  empty names become ``column_N``, duplicates (case-insensitive) get ``_2``, ``_3``...
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from aiplus.core import jsonlimits
from aiplus.data.datastore.errors import IngestError, IngestTooLarge

TYPES = ("int", "numeric", "bool", "date", "timestamp", "text")
FORMATS = ("csv", "tsv", "xlsx", "json", "jsonl", "geojson")
FORMAT_ALIASES = {
    "ndjson": "jsonl", "json lines": "jsonl", "jsonlines": "jsonl", "txt": "csv",
    "text/csv": "csv", "application/json": "json", "application/geo+json": "geojson",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/tab-separated-values": "tsv", "application/x-ndjson": "jsonl",
}
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ROWS = 5_000_000
MAX_COLUMNS = 1000
MAX_NAME_BYTES = 63
FORMULA_SAMPLE = 20
SNIFF_DELIMITERS = (",", ";", "\t", "|")
BIG5_FAMILY = ("big5hkscs", "cp950", "big5")
GEOMETRY_TYPES = (
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection",
)

Row = list[str | None]

# --- value recognisers -------------------------------------------------------------------

_INT_RE = re.compile(r"[+-]?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)\Z", re.ASCII)
_NUM_RE = re.compile(
    r"[+-]?(?:(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?\Z",
    re.ASCII,
)
_LOOSE_NUM_RE = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)
_DATE_PART = r"(?:(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})|(?P<d2>\d{1,2})/(?P<m2>\d{1,2})/(?P<y2>\d{4}))"
_DATE_RE = re.compile(_DATE_PART + r"\Z", re.ASCII)
_TS_RE = re.compile(
    _DATE_PART
    + r"(?:T|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?\Z",
    re.ASCII | re.IGNORECASE,
)
_BOOLS = {"true": True, "false": False, "yes": True, "no": False}
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula(value: str) -> bool:
    """A cell a spreadsheet would evaluate (CSV injection): starts with = + - @ TAB CR and is
    not simply a number."""
    return value[:1] in FORMULA_PREFIXES and not _LOOSE_NUM_RE.match(value.strip())


def _int_value(text: str) -> int | None:
    if not _INT_RE.match(text):
        return None
    number = int(text.replace(",", ""))
    return number if INT_MIN <= number <= INT_MAX else None


def _num_value(text: str) -> float | None:
    if not _NUM_RE.match(text):
        return None
    number = float(text.replace(",", ""))
    return number if math.isfinite(number) else None


def _date_value(text: str) -> date | None:
    match = _DATE_RE.match(text)
    if not match:
        return None
    return _make_date(match)


def _make_date(match: re.Match[str]) -> date | None:
    g = match.groupdict()
    year, month, day = (g["y"], g["m"], g["d"]) if g["y"] else (g["y2"], g["m2"], g["d2"])
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _timestamp_value(text: str) -> tuple[datetime, bool] | None:
    """(naive datetime, had_offset); values with an offset come back converted to UTC."""
    match = _TS_RE.match(text)
    if not match:
        return None
    day = _make_date(match)
    if day is None:
        return None
    g = match.groupdict()
    fraction = (g["f"] or "")[:6].ljust(6, "0")
    try:
        moment = datetime.combine(
            day, time(int(g["H"]), int(g["M"]), int(g["S"] or 0), int(fraction))
        )
    except ValueError:
        return None
    tz = g["tz"]
    if not tz:
        return moment, False
    if tz.upper() != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
        if offset >= timedelta(hours=24):
            return None
        moment = moment - sign * offset
    return moment, True


def classify(text: str) -> str:
    """The narrowest type for one stripped, non-empty value. ``timestamptz`` marks a timestamp
    with an offset (reported as ``timestamp``)."""
    if _INT_RE.match(text):
        return "int" if _int_value(text) is not None else "text"  # past 64 bits: an id, not a number
    if _num_value(text) is not None:
        return "numeric"
    if text.casefold() in _BOOLS:
        return "bool"
    if _date_value(text) is not None:
        return "date"
    stamp = _timestamp_value(text)
    if stamp is not None:
        return "timestamptz" if stamp[1] else "timestamp"
    return "text"


def _join(a: str | None, b: str) -> str:
    if a is None or a == b:
        return b
    pair = {a, b}
    if pair == {"int", "numeric"}:
        return "numeric"
    if pair == {"date", "timestamp"}:
        return "timestamp"
    return "text"


def canonical(kind: str, text: str) -> str:
    """The value as DuckDB and PostgreSQL both read it for a column of this type."""
    if kind == "text":
        return text
    if kind == "int":
        return text.replace(",", "").lstrip("+")
    if kind == "numeric":
        return repr(float(text.replace(",", "")))
    if kind == "bool":
        return "true" if _BOOLS[text.casefold()] else "false"
    if kind == "date":
        return _date_value(text).isoformat()  # type: ignore[union-attr]
    day = _date_value(text)
    if day is not None:
        return f"{day.isoformat()} 00:00:00"
    moment = _timestamp_value(text)
    return moment[0].isoformat(sep=" ")  # type: ignore[index]


def coerce(kind: str, value: Any) -> Any:
    """A Python value for comparing with a column of ``kind`` (filters); ValueError if not."""
    if value is None:
        return None
    if isinstance(value, bool):
        if kind == "bool":
            return value
        if kind == "text":
            return "true" if value else "false"
        raise ValueError
    if kind == "text":
        if isinstance(value, (int, float, str)):
            return str(value)
        raise ValueError
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "int" and float(value).is_integer() and INT_MIN <= value <= INT_MAX:
            return int(value)
        if kind == "numeric" and math.isfinite(value):
            return float(value)
        if kind == "bool" and value in (0, 1):
            return bool(value)
        raise ValueError
    if not isinstance(value, str):
        raise ValueError  # noqa: TRY004 - callers catch ValueError
    text = value.strip()
    if kind == "int":
        number = _int_value(text)
    elif kind == "numeric":
        number = _num_value(text)
    elif kind == "bool":
        lowered = text.casefold()
        table = {**_BOOLS, "t": True, "f": False, "1": True, "0": False}
        if lowered not in table:
            raise ValueError
        return table[lowered]
    elif kind == "date":
        number = _date_value(text)
    else:  # timestamp
        day = _date_value(text)
        if day is not None:
            return datetime.combine(day, time())
        stamp = _timestamp_value(text)
        number = stamp[0] if stamp else None
    if number is None:
        raise ValueError
    return number


# --- result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    id: str
    type: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "type": self.type, "label": self.label}


@dataclass
class ParsedTable:
    """Columns and a re-iterable stream of canonical rows, ready for ``DataStore.load``."""

    columns: list[Column]
    row_count: int
    format: str
    _rows: Callable[[], Iterator[Row]] = field(repr=False)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    formula_cells: list[dict[str, Any]] = field(default_factory=list)
    formula_count: int = 0
    warnings: list[str] = field(default_factory=list)
    max_lengths: dict[str, int] = field(default_factory=dict)  # longest value, in characters

    def rows(self) -> Iterator[Row]:
        """Each row as canonical text per column (None for null), in file order."""
        return ([value or None for value in row] for row in self._rows())

    def load_rows(self) -> Iterator[Row]:
        """Like :meth:`rows` but faster: a null may also be "" (loaders write both as an
        empty, unquoted CSV field, which DuckDB and PostgreSQL read as NULL)."""
        return self._rows()

    def report(self) -> dict[str, Any]:
        """What the ingest found, kept with the table (``DataStore.info``)."""
        return {
            "format": self.format, "encoding": self.encoding, "delimiter": self.delimiter,
            "sheet": self.sheet, "rows": self.row_count,
            "fields": [c.as_dict() for c in self.columns],
            "formula_count": self.formula_count, "formula_cells": self.formula_cells,
            "warnings": self.warnings,
        }


# --- names -------------------------------------------------------------------------------


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore").rstrip()


def sanitise_names(labels: Sequence[str | None], reserved: Collection[str] = ()) -> list[str]:
    """Column ids from header labels: printable, no double quotes, no leading underscore, at
    most 63 UTF-8 bytes, unique ignoring case (DuckDB identifiers are case-insensitive)."""
    taken = {name.casefold() for name in reserved}
    names: list[str] = []
    for position, label in enumerate(labels, 1):
        text = unicodedata.normalize("NFC", "" if label is None else str(label))
        text = "".join(ch if ch.isprintable() else " " for ch in text).replace('"', "")
        text = re.sub(r"\s+", " ", text).strip().lstrip("_").strip()
        base = _truncate_utf8(text, MAX_NAME_BYTES) or f"column_{position}"
        name, counter = base, 1
        while name.casefold() in taken:
            counter += 1
            suffix = f"_{counter}"
            name = _truncate_utf8(base, MAX_NAME_BYTES - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


# --- encodings ---------------------------------------------------------------------------


def _decode(data: bytes, encoding: str) -> str:
    return data.decode(encoding)


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). Raises IngestError when no encoding decodes the bytes."""
    if encoding:
        try:
            return _decode(data, encoding), encoding
        except LookupError:
            raise IngestError(f"Unknown text encoding {encoding!r}.") from None
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"The file is not valid {encoding} text (byte {exc.start}).",
                details={"encoding": encoding, "byte": exc.start},
            ) from None
    boms = (
        (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
    )
    for bom, name in boms:
        if data.startswith(bom):
            try:
                return _decode(data, name), name
            except UnicodeDecodeError:
                break
    try:
        return _decode(data, "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str] = []
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4:
        odd_nuls = sample[1::2].count(b"\x00")
        candidates.append("utf-16-le" if odd_nuls > sample[0::2].count(b"\x00") else "utf-16-be")
    import charset_normalizer

    matches = [m.encoding for m in charset_normalizer.from_bytes(data)]
    if any(name.replace("_", "").lower() in {"big5", "big5hkscs", "cp950"} for name in matches):
        candidates.extend(BIG5_FAMILY)
    candidates.extend(matches)
    for name in candidates:
        try:
            text = _decode(data, name)
        except (UnicodeDecodeError, LookupError):
            continue
        if "\x00" in text:
            continue
        return text, name.replace("_", "-")
    raise IngestError(
        "Could not work out the text encoding of this file. Save it as UTF-8 (or Big5) text "
        "and upload it again.", details={"encoding": None},
    )


# --- readers: each gives header labels and (row number, cells) ----------------------------


@dataclass
class _Source:
    labels: list[str | None]
    rows: Callable[[], Iterator[tuple[int, list[Any]]]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    extend_header: bool = False  # spreadsheets/JSON: cells past the header get new columns
    warnings: list[str] = field(default_factory=list)
    text_columns: set[int] = field(default_factory=set)  # forced to text (e.g. geometry)


def sniff_delimiter(text: str) -> str:
    """The candidate delimiter giving the most consistent column count (>1) over the first
    lines; a comma when nothing splits."""
    lines = text[:65536].splitlines()[:50]
    if len(lines) > 1 and len(text) > 65536:
        lines = lines[:-1]  # the last line may be cut
    sample = "\n".join(line for line in lines if line.strip())
    best, best_score = ",", (0, 0)
    for candidate in SNIFF_DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=candidate)]
        except csv.Error:
            continue
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for count in counts if count == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_source(data: bytes, encoding: str | None, delimiter: str | None, tsv: bool) -> _Source:
    text, used = decode_text(data, encoding)
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise IngestError("The file contains NUL bytes: it is binary or its encoding is wrong.")
    if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
        raise IngestError("The delimiter must be one character other than a quote or newline.")
    chosen = "\t" if tsv and delimiter is None else (delimiter or sniff_delimiter(text))

    def reader() -> Iterator[tuple[int, list[str]]]:
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=chosen, strict=True)
        try:
            for cells in rows:
                yield rows.line_num, cells
        except csv.Error as exc:
            raise IngestError(
                f"The CSV file is malformed near line {rows.line_num}: {exc}. Check for an "
                "unclosed or misplaced quote (\").", row=rows.line_num,
            ) from None

    first = next((cells for _, cells in reader() if any(c.strip() for c in cells)), None)
    if first is None:
        raise IngestError("The file has no header row: it is blank.")
    return _Source(labels=list(first), rows=reader, encoding=used, delimiter=chosen)


def _xlsx_cell(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    text = getattr(value, "text", None)  # openpyxl ArrayFormula and friends
    return str(text if text is not None else value)


def _xlsx_source(data: bytes, sheet: str | None, max_rows: int) -> _Source:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise IngestError(f"This is not a readable XLSX workbook ({type(exc).__name__}).") from None
    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise IngestError(
                    f"The workbook has no sheet named {sheet!r}; it has "
                    f"{', '.join(repr(n) for n in book.sheetnames)}.", details={"field": "sheet"},
                )
            worksheet = book[sheet]
        else:
            worksheet = book.worksheets[0]
        rows: list[tuple[int, list[Any]]] = []
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
                cells = [_xlsx_cell(v) for v in values]
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    rows.append((number, cells))
                if len(rows) > max_rows + 1:  # header + one row too many: caught later
                    break
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
            raise IngestError(f"The workbook could not be read ({type(exc).__name__}).") from None
        name = worksheet.title
    finally:
        book.close()
    if not rows:
        raise IngestError("The sheet is empty: it has no header row.")
    header = rows.pop(0)[1]
    return _Source(labels=header, rows=lambda: iter(rows), sheet=name, extend_header=True)



def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _load_json(text: str, where: str = "") -> Any:
    try:
        return jsonlimits.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"The file is not valid JSON{where}: {exc.msg} at line {exc.lineno}, column "
            f"{exc.colno}.", row=exc.lineno,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise IngestError(f"The file is not valid JSON{where}: {exc}.") from None


def _records_source(records: Iterable[tuple[int, Any]], kind: str) -> _Source:
    keys: dict[str, int] = {}
    rows: list[tuple[int, list[Any]]] = []
    for number, record in records:
        if not isinstance(record, dict):
            raise IngestError(
                f"{kind} record {number} is a {type(record).__name__}, not an object "
                "({\"field\": value, ...}).", row=number,
            )
        cells: list[Any] = [None] * len(keys)
        for key, value in record.items():
            index = keys.setdefault(str(key), len(keys))
            if index >= len(cells):
                cells.extend([None] * (index + 1 - len(cells)))
            cells[index] = _json_cell(value)
        rows.append((number, cells))
    return _Source(labels=list(keys), rows=lambda: iter(rows), extend_header=False)


def _json_source(data: bytes, encoding: str | None) -> _Source:
    text, used = decode_text(data, encoding)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise IngestError("The file is blank: no JSON records.")
    try:
        document = jsonlimits.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":  # several documents: JSON Lines
            return _jsonl_source(data, encoding)
        raise IngestError(
            f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            row=exc.lineno,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise IngestError(f"The file is not valid JSON: {exc}.") from None
    if isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature"):
        return _geojson_document(document, used)
    if isinstance(document, dict):
        nested = [document[k] for k in ("records", "data", "rows", "items", "result")
                  if isinstance(document.get(k), list)]
        if len(nested) == 1:
            document = nested[0]
    if not isinstance(document, list):
        raise IngestError(
            "JSON must be an array of objects ([{\"field\": value}, ...]) or JSON Lines."
        )
    source = _records_source(((i, r) for i, r in enumerate(document, 1)), "JSON")
    source.encoding = used
    return source


def _jsonl_source(data: bytes, encoding: str | None) -> _Source:
    text, used = decode_text(data, encoding)
    text = text.lstrip("\ufeff")

    def records() -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    yield number, jsonlimits.loads(line, parse_constant=_reject_constant)
                except json.JSONDecodeError as exc:
                    raise IngestError(
                        f"Line {number} is not valid JSON: {exc.msg} at column {exc.colno}.",
                        row=number,
                    ) from None
                except (ValueError, RecursionError) as exc:
                    raise IngestError(f"Line {number} is not valid JSON: {exc}.", row=number) from None

    source = _records_source(records(), "JSON Lines")
    if not source.labels and not any(True for _ in source.rows()):
        raise IngestError("The file is blank: no JSON records.")
    source.encoding = used
    return source


def _check_position(value: Any, where: str) -> None:
    if (not isinstance(value, list) or not 2 <= len(value) <= 4
            or not all(isinstance(n, (int, float)) and not isinstance(n, bool)
                       and math.isfinite(n) for n in value)):
        raise ValueError(f"{where}: a position must be [x, y] or [x, y, z] numbers")


def _check_list(value: Any, where: str, minimum: int = 0) -> list[Any]:
    if not isinstance(value, list) or len(value) < minimum:
        raise ValueError(f"{where}: expected a list of at least {minimum} item(s)")
    return value


def validate_geometry(geometry: Any, depth: int = 0) -> None:
    """Raise ValueError when ``geometry`` is not a valid GeoJSON geometry object (RFC 7946
    structure: types, nesting, LineStrings of 2+ positions, closed rings of 4+ positions)."""
    if not isinstance(geometry, dict):
        raise ValueError("geometry must be an object or null")  # noqa: TRY004 - callers catch ValueError
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        raise ValueError(f"unknown geometry type {kind!r}")
    if kind == "GeometryCollection":
        if depth > 2:
            raise ValueError("GeometryCollection nested too deeply")
        for item in _check_list(geometry.get("geometries"), "geometries"):
            validate_geometry(item, depth + 1)
        return
    coords = geometry.get("coordinates")
    if kind == "Point":
        _check_position(coords, kind)
    elif kind in ("MultiPoint", "LineString"):
        for p in _check_list(coords, kind, 2 if kind == "LineString" else 0):
            _check_position(p, kind)
    elif kind == "MultiLineString":
        for line in _check_list(coords, kind):
            for p in _check_list(line, kind, 2):
                _check_position(p, kind)
    else:
        polygons = [coords] if kind == "Polygon" else _check_list(coords, kind)
        for polygon in polygons:
            for ring in _check_list(polygon, kind, 1):
                for p in _check_list(ring, f"{kind} ring", 4):
                    _check_position(p, kind)
                if ring[0] != ring[-1]:
                    raise ValueError(f"{kind}: a linear ring must end where it starts")


def _geojson_document(document: Any, encoding: str | None) -> _Source:
    if not isinstance(document, dict):
        raise IngestError("GeoJSON must be a FeatureCollection object.")
    if document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    if document.get("type") != "FeatureCollection" or not isinstance(
        document.get("features"), list
    ):
        raise IngestError(
            "GeoJSON must be a FeatureCollection with a \"features\" list "
            f"(got type {document.get('type')!r})."
        )
    keys: dict[str, int] = {}
    records: list[tuple[list[Any], Any]] = []
    for number, feature in enumerate(document["features"], 1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise IngestError(f"GeoJSON feature {number} is not a Feature object.", row=number)
        geometry = feature.get("geometry")
        if geometry is not None:
            try:
                validate_geometry(geometry)
            except ValueError as exc:
                raise IngestError(
                    f"GeoJSON feature {number} has an invalid geometry: {exc}.", row=number,
                    column="geometry",
                ) from None
        properties = feature.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, dict):
            raise IngestError(
                f"GeoJSON feature {number}: \"properties\" must be an object or null.", row=number
            )
        cells: list[Any] = [None] * len(keys)
        for key, value in properties.items():
            index = keys.setdefault(str(key), len(keys))
            if index >= len(cells):
                cells.extend([None] * (index + 1 - len(cells)))
            cells[index] = _json_cell(value)
        text = None if geometry is None else json.dumps(
            geometry, ensure_ascii=False, separators=(",", ":")
        )
        records.append((cells, text))
    width = len(keys)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, (cells, text) in enumerate(records, 1):
            yield number, cells + [None] * (width - len(cells)) + [text]

    source = _Source(labels=[*keys, "geometry"], rows=rows, encoding=encoding)
    source.text_columns = {width}
    return source


def _geojson_source(data: bytes, encoding: str | None) -> _Source:
    text, used = decode_text(data, encoding)
    document = _load_json(text.lstrip("\ufeff"), " (GeoJSON)")
    return _geojson_document(document, used)


# --- the pipeline ------------------------------------------------------------------------


def normalise_format(format: str) -> str:
    name = (format or "").strip().lower().lstrip(".")
    name = FORMAT_ALIASES.get(name, name)
    if name not in FORMATS:
        raise IngestError(
            f"Unsupported format {format!r}: use one of {', '.join(FORMATS)}.",
            details={"field": "format"},
        )
    return name


def parse(
    data: bytes | bytearray | memoryview | Path, format: str, *, encoding: str | None = None,
    delimiter: str | None = None, sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES, max_rows: int = DEFAULT_MAX_ROWS,
    null_values: Collection[str] = ("",),
) -> ParsedTable:
    """Read a file into a :class:`ParsedTable` (see the module docstring for the rules)."""
    fmt = normalise_format(format)
    if isinstance(data, Path):
        size = data.stat().st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        data = data.read_bytes()
    data = bytes(data)
    if not data:
        raise IngestError("The file is empty (0 bytes).", details={"bytes": 0})
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if fmt in ("csv", "tsv"):
        source = _csv_source(data, encoding, delimiter, fmt == "tsv")
    elif fmt == "xlsx":
        source = _xlsx_source(data, sheet, max_rows)
    elif fmt == "json":
        source = _json_source(data, encoding)
    elif fmt == "jsonl":
        source = _jsonl_source(data, encoding)
    else:
        source = _geojson_source(data, encoding)
    return _build(source, fmt, max_rows, set(null_values))


def _too_large(size: int, limit: int) -> IngestTooLarge:
    return IngestTooLarge(
        f"The file is {size} bytes; the limit is {limit} bytes.",
        details={"bytes": size, "limit": limit},
    )


CHUNK_ROWS = 16384
SEEN_CAP = 65536  # per column: values already known to fit, so repeats cost nothing
_ISO_DATE_FAST = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_ISO_TS_FAST = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?\Z", re.ASCII)
_PLAIN_NUM = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\Z", re.ASCII)


def _fitter(kind: str) -> Callable[[str], bool]:
    if kind == "int":
        return lambda t: _int_value(t) is not None
    if kind == "numeric":
        return lambda t: _num_value(t) is not None
    if kind == "bool":
        return lambda t: t.casefold() in _BOOLS
    if kind == "date":
        return lambda t: _date_value(t) is not None
    if kind == "timestamp":
        def naive(t: str) -> bool:
            stamp = _timestamp_value(t)
            return (stamp is not None and not stamp[1]) or _date_value(t) is not None
        return naive

    def aware(t: str) -> bool:
        stamp = _timestamp_value(t)
        return stamp is not None and stamp[1]
    return aware


_FITTERS = {kind: _fitter(kind) for kind in ("int", "numeric", "bool", "date", "timestamp",
                                             "timestamptz")}


_CANONICAL_SHAPES = {"int": {"num"}, "numeric": {"num"}, "bool": {"bool"}, "date": {"date"},
                     "timestamp": {"ts"}}


def _shape(text: str) -> str:
    """What a value looks like, to tell whether a column needs converting at all."""
    if _PLAIN_NUM.match(text):
        return "num"
    if _ISO_DATE_FAST.match(text):
        return "date"
    if _ISO_TS_FAST.match(text):
        return "ts"
    if text in ("true", "false"):
        return "bool"
    return "other"


def _converter(kind: str) -> Callable[[str], str] | None:
    """Canonical text for a column's values (validated in pass 1); None when unchanged."""
    if kind == "text":
        return None
    if kind == "int":
        return lambda t: t if "," not in t and t[0] != "+" else canonical("int", t)
    if kind == "numeric":
        return lambda t: t if _PLAIN_NUM.match(t) else canonical("numeric", t)
    if kind == "date":
        return lambda t: t if _ISO_DATE_FAST.match(t) else canonical("date", t)
    if kind == "timestamp":
        return lambda t: t if _ISO_TS_FAST.match(t) else canonical("timestamp", t)
    return lambda t: canonical(kind, t)


def _build(source: _Source, fmt: str, max_rows: int, nulls: set[str]) -> ParsedTable:
    labels = list(source.labels)
    if fmt in ("csv", "tsv"):
        while labels and (labels[-1] is None or not str(labels[-1]).strip()):
            labels.pop()  # trailing empty header cells (a trailing delimiter)
    header_in_rows = fmt in ("csv", "tsv")
    width = len(labels)
    if width == 0:
        raise IngestError("The header row has no column names.")
    plain_nulls = nulls <= {""}
    text_cells = fmt in ("csv", "tsv")

    def cells_of(raw: list[Any], number: int) -> list[str | None] | None:
        """Stripped cells, exactly ``width`` of them; "" or None is null; None if blank."""
        if text_cells and plain_nulls:
            values: list[str | None] = list(map(str.strip, raw))
        else:
            values = []
            for cell in raw:
                text = None if cell is None else str(cell).strip().replace("\x00", "")
                values.append(None if not text or text in nulls else text)
        if len(values) > width:
            if any(values[width:]):
                if not source.extend_header:
                    raise IngestError(
                        f"Row at line {number} has {len(values)} values but the header has "
                        f"{width} columns. Quote values that contain the delimiter "
                        f"({source.delimiter!r}).", row=number,
                        details={"expected": width, "found": len(values)},
                    )
            else:
                del values[width:]
        elif len(values) < width:
            values.extend([None] * (width - len(values)))
        return values if any(values) else None

    def chunks() -> Iterator[tuple[list[int], list[list[str | None]]]]:
        numbers: list[int] = []
        rows: list[list[str | None]] = []
        started = not header_in_rows
        for number, raw in source.rows():
            if not started:
                started = any(str(c).strip() for c in raw if c is not None)
                continue
            values = cells_of(raw, number)
            if values is None:
                continue
            numbers.append(number)
            rows.append(values)
            if len(rows) >= CHUNK_ROWS:
                yield numbers, rows
                numbers, rows = [], []
        if rows:
            yield numbers, rows

    # Pass 1: widths, types, formulas, row count; column by column over chunks of rows.
    kinds: list[str | None] = [None] * width
    seen: list[set[str]] = [set() for _ in range(width)]
    shapes: list[set[str]] = [set() for _ in range(width)]
    lengths: list[int] = [0] * width
    formula_cells: list[dict[str, Any]] = []
    formula_count = 0
    row_count = 0
    for numbers, rows in chunks():
        row_count += len(rows)
        if row_count > max_rows:
            raise IngestTooLarge(
                f"The file has more than {max_rows} rows, the limit.",
                details={"rows": row_count, "limit": max_rows},
            )
        longest = max(map(len, rows))
        if longest > width:  # spreadsheets/JSON: a cell past the header adds a column
            labels.extend([None] * (longest - width))
            kinds.extend([None] * (longest - width))
            seen.extend(set() for _ in range(longest - width))
            shapes.extend(set() for _ in range(longest - width))
            lengths.extend([0] * (longest - width))
            width = longest
            for values in rows:
                if len(values) < width:
                    values.extend([None] * (width - len(values)))
        for index, column in enumerate(zip(*rows, strict=True)):
            unique = set(column)
            unique.discard(None)
            unique.discard("")
            if not unique:
                continue
            lengths[index] = max(lengths[index], max(map(len, unique)))
            kind = kinds[index]
            if kind != "text":
                known = seen[index]
                shape = shapes[index]
                for text in unique - known if known else unique:
                    shape.add(_shape(text))
                    if kind is not None and _FITTERS[kind](text):
                        continue
                    kind = _join(kind, classify(text))  # type: ignore[arg-type]
                    if kind == "text":
                        break
                kinds[index] = kind
                if kind != "text" and len(known) < SEEN_CAP:
                    known.update(unique)
                elif kind == "text":
                    known.clear()
            if kind == "text":
                formulas = {t for t in unique if t[0] in FORMULA_PREFIXES and is_formula(t)}
                if formulas:
                    for position, text in enumerate(column):
                        if text in formulas:
                            formula_count += 1
                            if len(formula_cells) < FORMULA_SAMPLE:
                                formula_cells.append(
                                    {"row": numbers[position], "column_index": index})
    if width > MAX_COLUMNS:
        raise IngestError(f"The file has {width} columns; the limit is {MAX_COLUMNS}.")
    if fmt == "geojson":
        names = sanitise_names(labels[:-1], ("geometry",)) + ["geometry"]
    else:
        names = sanitise_names(labels)
    final: list[str] = []
    for index, kind in enumerate(kinds):
        if index in source.text_columns or kind is None:
            final.append("text")
        else:
            final.append("timestamp" if kind == "timestamptz" else kind)
    columns = [
        Column(id=name, type=kind, label="" if label is None else str(label))
        for name, kind, label in zip(names, final, labels, strict=True)
    ]
    formula_cells.sort(key=lambda cell: (cell["row"], cell["column_index"]))
    for cell in formula_cells:
        cell["column"] = names[cell.pop("column_index")]
    warnings = list(source.warnings)
    if formula_count:
        warnings.append(
            f"{formula_count} cell(s) look like spreadsheet formulas; they are stored as text "
            "and prefixed with ' in CSV downloads."
        )
    converters = [
        None if shapes[index] <= _CANONICAL_SHAPES.get(kind, set()) else _converter(kind)
        for index, kind in enumerate(final)
    ]

    def rows() -> Iterator[Row]:
        for _, chunk in chunks():
            for values in chunk:
                if len(values) < width:
                    values.extend([None] * (width - len(values)))
            if not any(converters):
                yield from chunk
                continue
            columns_out: list[Any] = list(zip(*chunk, strict=True))
            for index, convert in enumerate(converters):
                if convert is not None:
                    memo: dict[str, str] = {}
                    out = []
                    for text in columns_out[index]:
                        if not text:
                            out.append(None)
                        else:
                            value = memo.get(text)
                            if value is None:
                                value = memo[text] = convert(text)
                            out.append(value)
                    columns_out[index] = out
            yield from (list(row) for row in zip(*columns_out, strict=True))

    return ParsedTable(
        columns=columns, row_count=row_count, format=fmt, _rows=rows, encoding=source.encoding,
        delimiter=source.delimiter, sheet=source.sheet, formula_cells=formula_cells,
        formula_count=formula_count, warnings=warnings,
        max_lengths=dict(zip(names, lengths, strict=True)),
    )
