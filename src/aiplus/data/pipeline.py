"""What happens to an uploaded file before its resource is saved.

Tabular files (CSV, TSV, XLSX, JSON, JSON Lines, GeoJSON) are parsed once, then:
1. scanned for personal data: a file with personal data is refused for a dataset published
   openly, with the columns and rows that triggered it; in a private dataset it marks the
   dataset as holding personal data, so it can never be opened without a decision;
2. loaded into the DataStore (queryable through ``datastore_search``);
3. mapped, when it is GeoJSON or has coordinate columns, into OGC API Features.
Steps 2 and 3 run after the resource row exists and before the transaction commits, so any
failure leaves the catalogue as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

from sqlalchemy.orm import Session

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.data.catalog.models import Dataset, Resource
from aiplus.data.catalog.resources import Removal, Upload, UploadCheck
from aiplus.data.datastore import DataStore, IngestError, ParsedTable, open_datastore, parse
from aiplus.data.governance.scan import scan_table
from aiplus.data.spatial.crs import detect_coordinate_columns, rows_to_features
from aiplus.data.spatial.errors import SpatialError
from aiplus.data.spatial.geojson import parse_geojson
from aiplus.data.spatial.store import SpatialStore
from aiplus.platform.services import Platform

TABULAR = {"csv", "tsv", "xlsx", "json", "jsonl", "geojson"}
SCAN_ROWS = 200_000  # rows scanned for personal data; larger files are refused (see below)


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
            table = parse(upload.data, fmt, max_bytes=self.platform.settings.max_body_bytes)
        except IngestError as problem:
            raise ValidationFailed(details={"upload": [str(problem)]}) from None
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
