"""Resources: links and uploaded files, each upload kept as a timestamped archive version.

An upload runs through the registered :class:`UploadCheck` steps (parsing, the PII scan,
DataStore loading) before anything is committed, so a refused file leaves no trace.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identifiers import canonical_uuid
from aiplus.core.identity import Principal
from aiplus.core.storage import FileStore
from aiplus.data.catalog import validation as v
from aiplus.data.catalog.tables import Dataset, Resource, ResourceVersion
from aiplus.data.catalog.links import download_path, stored_filename
from aiplus.data.catalog.serialise import resource_dict
from aiplus.data.catalog.service import apply_resource, can_edit, can_read, save_revision

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


# A step run on every upload before it is committed: it may refuse the file by raising, and
# may return a callback to run (e.g. loading the DataStore) once the resource exists.
UploadCheck = Callable[[Session, Dataset, Resource, Upload], "Callable[[], None] | None"]
# What else to forget when a resource is removed (its DataStore table, its map features).
Removal = Callable[[Session, Resource], None]


def safe_filename(name: str) -> str:
    cleaned = _SAFE.sub("-", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]).strip(".-")
    return cleaned[:120] or "file"


def find_resource(session: Session, resource_id: Any) -> Resource:
    """The live resource an id names, in any spelling of its UUID (see core.identifiers)."""
    canonical = canonical_uuid(resource_id)
    if canonical is None:
        raise NotFound(N_("Resource not found."))
    resource = session.get(Resource, canonical)
    if resource is None or resource.dataset.state == "deleted":
        raise NotFound(N_("Resource not found."))
    return resource


class Resources:
    def __init__(self, db: Database, files: FileStore,
                 checks: tuple[UploadCheck, ...] = (), removals: tuple[Removal, ...] = ()) -> None:
        self.db = db
        self.files = files
        self.checks = checks
        self.removals = removals

    def show(self, principal: Principal, resource_id: Any, locale: str) -> dict[str, Any]:
        with self.db.read() as session:
            resource = find_resource(session, resource_id)
            if not can_read(principal, resource.dataset):
                raise Forbidden(N_("You may not read this resource."))
            return resource_dict(resource, locale)

    def _editable(self, session: Session, principal: Principal, dataset: Dataset) -> None:
        if not can_edit(principal, dataset.organisation.slug):
            raise Forbidden(N_("You may not change this dataset's resources."))

    def create(self, principal: Principal, data: Mapping[str, Any], upload: Upload | None,
               locale: str) -> dict[str, Any]:
        with self.db.transaction() as session:
            dataset = session.scalar(select(Dataset).where(
                (Dataset.id == data.get("package_id")) | (Dataset.name == data.get("package_id"))))
            if dataset is None or dataset.state == "deleted":
                raise ValidationFailed(details={"package_id": [N_("Dataset not found.")]})
            self._editable(session, principal, dataset)
            problems = v.Problems()
            resource = Resource(id=str(uuid.uuid4()), position=len(dataset.resources),
                                name_en="", name_zh="", description_en="", description_zh="")
            apply_resource(resource, data, locale, problems)
            problems.raise_if_any()
            dataset.resources.append(resource)
            return self._finish(session, principal, dataset, resource, upload, locale, "create")

    def update(self, principal: Principal, data: Mapping[str, Any], upload: Upload | None,
               locale: str, patch: bool = False) -> dict[str, Any]:
        with self.db.transaction() as session:
            resource = find_resource(session, data.get("id"))
            dataset = resource.dataset
            self._editable(session, principal, dataset)
            problems = v.Problems()
            apply_resource(resource, data, locale, problems)
            problems.raise_if_any()
            return self._finish(session, principal, dataset, resource, upload, locale,
                                "patch" if patch else "update")

    def delete(self, principal: Principal, resource_id: Any) -> None:
        with self.db.transaction() as session:
            resource = find_resource(session, resource_id)
            dataset = resource.dataset
            self._editable(session, principal, dataset)
            for removal in self.removals:
                removal(session, resource)
            dataset.resources.remove(resource)
            dataset.revision += 1
            dataset.modified_at = utcnow()
            save_revision(session, principal, dataset, "resource_delete", "en")
            audit.record(session, actor=principal.actor, org=dataset.organisation.slug,
                         action="resource.delete", target=f"resource:{resource.id}")

    def _finish(self, session: Session, principal: Principal, dataset: Dataset,
                resource: Resource, upload: Upload | None, locale: str, action: str) -> dict[str, Any]:
        session.flush()
        after: list[Callable[[], None]] = []
        written = None
        if upload is not None:
            if not upload.data:
                raise ValidationFailed(details={"upload": [N_("The file is empty.")]})
            for check in self.checks:
                if follow_up := check(session, dataset, resource, upload):
                    after.append(follow_up)
            written = self._store(session, dataset, resource, upload)
        dataset.revision += 1
        dataset.modified_at = resource.modified_at = utcnow()
        save_revision(session, principal, dataset, f"resource_{action}", locale)
        audit.record(session, actor=principal.actor, org=dataset.organisation.slug,
                     action=f"resource.{action}", target=f"resource:{resource.id}",
                     detail={"dataset": dataset.name, "sha256": resource.sha256 or None})
        try:
            session.flush()
            for follow_up in after:
                follow_up()
        except BaseException:
            if written is not None:
                self.files.path(written).unlink(missing_ok=True)
            raise
        return resource_dict(resource, locale)

    def _store(self, session: Session, dataset: Dataset, resource: Resource, upload: Upload) -> str:
        stamp = utcnow()
        filename = safe_filename(upload.filename)
        key = f"opendata/{dataset.id}/{resource.id}/{stamp:%Y%m%dT%H%M%S%f}-{filename}"
        self.files.write_bytes(key, upload.data)
        resource.url_type = "upload"
        resource.url = download_path(dataset.name, resource.id, key)
        resource.file_key = key
        resource.size = len(upload.data)
        resource.sha256 = upload.sha256
        resource.format = resource.format or upload.extension.upper()
        resource.mimetype = resource.mimetype or (mimetypes.guess_type(filename)[0] or "")
        session.add(ResourceVersion(resource_id=resource.id, dataset_id=dataset.id, at=stamp,
                                    file_key=key, filename=filename, sha256=upload.sha256,
                                    size=len(upload.data), format=resource.format))
        return key

    def download(self, principal: Principal, resource_id: str) -> tuple[bytes, str, str]:
        """The resource's newest file, its name and media type."""
        with self.db.read() as session:
            resource = find_resource(session, resource_id)
            if not can_read(principal, resource.dataset) or not resource.file_key:
                raise NotFound(N_("Resource not found."))
            return (self.files.read_bytes(resource.file_key), stored_filename(resource.file_key),
                    resource.mimetype or "application/octet-stream")
