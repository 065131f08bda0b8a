"""What happens to an uploaded file before its resource is saved.

Tabular files (CSV, TSV, XLSX, JSON, JSON Lines, GeoJSON) are parsed once, then:
1. scanned for personal data: a file with personal data is refused for a dataset published
   openly, with the columns and rows that triggered it; in a private dataset it marks the
   dataset as holding personal data, so it can never be opened without a decision;
2. loaded into the DataStore (queryable through ``datastore_search``);
3. mapped, when it is GeoJSON or has coordinate columns, into OGC API Features.
Steps 2 and 3 run after the resource row exists and before the transaction commits, so any
failure leaves the catalogue as it was. The file has already passed the platform's upload
reader (:mod:`aiplus.platform.uploads`: type, archive and image bombs), and the parse itself
runs in a worker process with memory and time limits (:func:`parse_isolated`).
"""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Callable
from itertools import islice
from typing import Any

from sqlalchemy.orm import Session

from aiplus.core.errors import AiplusError, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.data.catalog.tables import Dataset, Resource
from aiplus.data.catalog.resources import Removal, Upload, UploadCheck
from aiplus.data.datastore import DataStore, IngestError, ParsedTable, open_datastore, parse
from aiplus.data.governance.scan import scan_table
from aiplus.data.spatial.crs import detect_coordinate_columns, rows_to_features
from aiplus.data.spatial.errors import SpatialError
from aiplus.data.spatial.geojson import parse_geojson
from aiplus.data.spatial.store import SpatialStore
from aiplus.platform.services import Platform
from aiplus.platform.settings import upload_settings
from aiplus.platform.uploads import WorkerLimitExceeded, run_limited

TABULAR = {"csv", "tsv", "xlsx", "json", "jsonl", "geojson"}
SCAN_ROWS = 200_000  # rows scanned for personal data; larger files are refused (see below)
WORKER_PRELOAD = ("aiplus.data.pipeline", "openpyxl")
"""Imported once by the worker server, so each parse starts warm."""


def _parse_in_worker(data: bytes, fmt: str, max_bytes: int,
                     max_rows: int) -> tuple[dict[str, Any], bytes | None]:
    """The worker's half of :func:`parse_isolated`: the table's fields, and its rows
    marshalled (ten times quicker to send than pickled) unless there are too many to use."""
    table = parse(data, fmt, max_bytes=max_bytes)
    fields = {f.name: getattr(table, f.name) for f in dataclasses.fields(table)
              if f.name != "_rows"}
    if table.row_count > max_rows:
        return fields, None
    return fields, marshal.dumps(list(table.load_rows()))


def parse_isolated(data: bytes, fmt: str, max_bytes: int) -> ParsedTable:
    """:func:`~aiplus.data.datastore.parse` in a worker process with the platform's memory
    and time limits (``AIPLUS_UPLOAD_PARSE_*``), so a file that passed the reader's checks
    and still blows up in a parser costs a refusal, not the server. A small file pays about
    15 ms for the worker; a large one about what re-reading its rows would cost anyway,
    since the rows come back once, ready, instead of being parsed again on every pass."""
    settings = upload_settings()
    fields, packed = run_limited(_parse_in_worker, data, fmt, max_bytes, SCAN_ROWS,
                                 memory_bytes=settings.parse_memory_bytes,
                                 seconds=settings.parse_seconds, preload=WORKER_PRELOAD)
    rows: list[list[str | None]] = marshal.loads(packed) if packed is not None else []
    return ParsedTable(**fields, _rows=lambda: (list(row) for row in rows))


def upload_refused(problem: AiplusError) -> ValidationFailed:
    """A refusal of the file (by the upload reader or a parsing worker) as CKAN's
    validation error on ``upload``, translatable like those :class:`Problems` collects."""
    error = ValidationFailed(problem.message, details={"upload": [str(problem)]},
                             **problem.params)
    fields = {"upload": [(problem.message, problem.params)]}
    error.localisable = fields  # type: ignore[attr-defined]  # see validation.Problems
    return error


def datastore_of(platform: Platform) -> DataStore:
    return platform.shared("datastore", lambda: open_datastore(platform.settings))  # type: ignore[no-any-return]


def _format(resource: Resource, upload: Upload) -> str:
    fmt = (resource.format or upload.extension).lower()
    return {"xls": "xlsx", "ndjson": "jsonl"}.get(fmt, fmt)


class TabularUpload:
    """Parse, scan, load and map one upload (see the module docstring)."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def __call__(self, session: Session, dataset: Dataset, resource: Resource,
                 upload: Upload) -> Callable[[], None] | None:
        fmt = _format(resource, upload)
        if fmt not in TABULAR:
            return None
        try:
            table = parse_isolated(upload.data, fmt, self.platform.settings.max_body_bytes)
        except IngestError as problem:
            raise ValidationFailed(details={"upload": [str(problem)]}) from None
        except WorkerLimitExceeded as problem:
            raise upload_refused(problem) from None
        if table.row_count > SCAN_ROWS:
            raise ValidationFailed(details={"upload": [N_(
                "The file has too many rows to check for personal data; split it into files "
                "of at most 200,000 rows.")]})
        self._scan(dataset, table)

        def load() -> None:
            datastore_of(self.platform).load(resource.id, table)
            resource.datastore_active = True
            self._map(session, dataset, resource, upload, table, fmt)

        return load

    def _scan(self, dataset: Dataset, table: ParsedTable) -> None:
        report = scan_table([c.label for c in table.columns], table.rows())
        if not report.personal:
            return
        if dataset.state == "active" and not dataset.private:
            summary = report.summary()
            raise ValidationFailed(
                N_("The file holds personal data, which cannot be published openly."),
                details={"upload": [summary["en"]], "upload_zh": [summary["zh-Hant"]],
                         "findings": [f.as_dict() for f in report.blocking_findings]})
        dataset.personal_data = True

    def _map(self, session: Session, dataset: Dataset, resource: Resource, upload: Upload,
             table: ParsedTable, fmt: str) -> None:
        labels = [c.label for c in table.columns]
        try:
            if fmt == "geojson":
                features = parse_geojson(upload.data).features
            else:
                coords = detect_coordinate_columns(labels, list(islice(table.rows(), 200)))
                if coords is None:
                    return
                features = rows_to_features(labels, table.rows(), coords)
        except SpatialError as problem:
            raise ValidationFailed(details={"upload": [problem.message.format(**problem.params)]}) from None
        SpatialStore(self.platform.db).replace_collection(
            resource.id, dataset.id, (resource.name_en or dataset.title_en,
                                      resource.name_zh or dataset.title_zh), features,
            session=session)


def upload_checks(platform: Platform) -> tuple[UploadCheck, ...]:
    """The checks every upload passes, in order, for this platform instance."""
    return (TabularUpload(platform),)


def resource_removals(platform: Platform) -> tuple[Removal, ...]:
    """What goes with a removed resource: its DataStore table and its map features."""

    def forget(session: Session, resource: Resource) -> None:
        SpatialStore(platform.db).delete_collection(resource.id, session=session)
        store = datastore_of(platform)
        if store.exists(resource.id):
            store.delete(resource.id)

    return (forget,)
