"""The open data demo catalogue that ``aiplus demo load`` (and so ``make run``) loads.

About 35 Hong Kong-style datasets with small CSV, JSON and GeoJSON files, shipped as package
data in ``demo_data/`` (``catalogue.json`` plus ``files/``) so an installed package loads them
too. The figures are synthetic, written by the AI Plus team; see ``data/README.md``.

Everything goes through the same services as a data steward's upload: datasets through
:meth:`Catalog.create`, files through :meth:`Resources.create` with the platform's upload checks
(:func:`aiplus.data.pipeline.upload_checks`), so whatever the pipeline does to an upload (parsing,
the personal-data scan, DataStore loading) happens to the demo files as well, and every write is
audited. Loading is idempotent: datasets that exist are kept, and only their missing files are
added.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as package_files
from typing import Any

from sqlalchemy import select

from aiplus.core import audit, identity
from aiplus.core.identity import Principal
from aiplus.data.catalog.tables import Dataset
from aiplus.data.catalog.resources import Resources, Upload
from aiplus.data.catalog.service import Catalog
from aiplus.data.pipeline import upload_checks
from aiplus.platform.services import Platform

LOADER = Principal(username="demo-loader", user_id=0, platform_admin=True, via="demo")
_DATASET_FIELDS = ("name", "owner_org", "license_id", "provenance", "update_frequency", "groups",
                   "spatial")


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    """The demo catalogue's manifest (``demo_data/catalogue.json``)."""
    text = package_files.files(__package__).joinpath("demo_data", "catalogue.json").read_text(
        encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def demo_file(path: str) -> bytes:
    """One of the demo files, by its path in the manifest (``files/...``)."""
    return package_files.files(__package__).joinpath("demo_data", *path.split("/")).read_bytes()


@dataclass
class DemoReport:
    organisations: int = 0
    datasets: int = 0
    files: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if not (self.organisations or self.datasets or self.files):
            return f"already present ({len(self.skipped)} datasets)"
        return (f"{self.datasets} datasets, {self.files} files and {self.organisations} "
                f"organisations added; {len(self.skipped)} datasets already present")


def _ensure_organisations(platform: Platform, report: DemoReport) -> None:
    with platform.db.transaction() as session:
        for org in manifest()["organisations"]:
            if session.scalar(select(identity.Organisation.id)
                              .where(identity.Organisation.slug == org["slug"])):
                continue
            identity.create_org(session, org["slug"], org["name_en"], org["name_zh"], org["kind"])
            audit.record(session, actor=LOADER.actor, org=org["slug"], action="org.create",
                         target=f"org:{org['slug']}", detail={"source": "open data demo"})
            report.organisations += 1


def _existing_files(platform: Platform, name: str) -> set[str] | None:
    """English names of a dataset's resources, or None if the dataset does not exist."""
    with platform.db.read() as session:
        dataset = session.scalar(select(Dataset).where(Dataset.name == name))
        if dataset is None:
            return None
        return {resource.name_en for resource in dataset.resources}


def load(platform: Platform) -> DemoReport:
    """Load the demo catalogue; what exists already is left as it is."""
    report = DemoReport()
    _ensure_organisations(platform, report)
    catalog = Catalog(platform.db)
    files = Resources(platform.db, platform.files, upload_checks(platform))
    for entry in manifest()["datasets"]:
        present = _existing_files(platform, entry["name"])
        if present is None:
            data = {key: entry[key] for key in _DATASET_FIELDS if key in entry}
            data.update(title_translated=entry["title"], notes_translated=entry["notes"],
                        tags=[{"name": tag} for tag in entry["tags"]])
            catalog.create(LOADER, data)
            report.datasets += 1
            present = set()
        else:
            report.skipped.append(entry["name"])
        for item in entry["resources"]:
            if item["name"]["en"] in present:
                continue
            filename = item["file"].rsplit("/", 1)[-1]
            files.create(LOADER, {"package_id": entry["name"], "format": item["format"],
                                  "name_translated": item["name"],
                                  "description_translated": item["description"]},
                         Upload(filename, demo_file(item["file"])), "en")
            report.files += 1
    return report


def load_demo_catalogue(platform: Platform) -> int:
    """The hook ``aiplus demo load`` calls: load the demo; return how many datasets it added."""
    return load(platform).datasets
