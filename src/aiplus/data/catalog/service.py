"""Catalogue operations with CKAN's semantics: create, update, patch, delete, show.

Every write runs in one transaction that also appends the audit entry, the metadata revision
and the search document, so a failed write leaves nothing half-done.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from aiplus.core import jsonlimits
from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import Forbidden, NotFound
from aiplus.core.i18n import N_
from aiplus.core.identifiers import canonical_uuid
from aiplus.core.identity import Organisation, Principal, Role
from aiplus.data.catalog import facets
from aiplus.data.catalog import validation as v
from aiplus.data.catalog.licences import LICENCES
from aiplus.data.catalog.tables import (
    Dataset,
    DatasetRevision,
    Group,
    Resource,
    SearchDocument,
    Tag,
)
from aiplus.data.catalog.serialise import package_dict
from aiplus.data.catalog.text import document
from aiplus.data.governance.gba import GbaRecord, validate_gba

STEWARDS = (Role.DATA_STEWARD,)
RESOURCE_FIELDS = ("name", "description", "format", "url", "mimetype")
FTS_INSERT = sql_text("INSERT INTO data_search_fts (dataset_id, body) VALUES (:dataset_id, :body)")
"""SQLite's full-text mirror of a search document (PostgreSQL searches the documents table)."""


def save_revision(session: Session, principal: Principal, dataset: Dataset, action: str,
                  locale: str) -> dict[str, Any]:
    """Re-index the dataset and keep a snapshot of its metadata as its current revision."""
    session.flush()
    index_dataset(session, dataset)
    snapshot = package_dict(dataset, locale)
    session.add(DatasetRevision(dataset_id=dataset.id, revision=dataset.revision,
                                actor=principal.actor, action=action, snapshot=snapshot))
    return snapshot


def can_edit(principal: Principal, org: str) -> bool:
    return principal.authenticated and principal.has_role(org, *STEWARDS)


def can_read(principal: Principal, dataset: Dataset) -> bool:
    """Anyone reads active public datasets; members of the owner read the rest."""
    if dataset.state == "active" and not dataset.private:
        return True
    slug = dataset.organisation.slug
    if dataset.state == "deleted":
        return can_edit(principal, slug)
    return principal.platform_admin or slug in principal.roles


def find_dataset(session: Session, id_or_name: Any) -> Dataset:
    if not isinstance(id_or_name, str) or not id_or_name:
        raise NotFound(N_("Dataset not found."))
    dataset = session.scalar(select(Dataset).where(or_(
        Dataset.id == (canonical_uuid(id_or_name) or id_or_name), Dataset.name == id_or_name)))
    if dataset is None:
        raise NotFound(N_("Dataset not found."))
    return dataset


def find_org(session: Session, id_or_name: Any) -> Organisation:
    if not isinstance(id_or_name, str) or not id_or_name:
        raise NotFound(N_("Organisation not found."))
    org = session.scalar(select(Organisation).where(Organisation.slug == id_or_name))
    if org is None:
        raise NotFound(N_("Organisation not found."))
    return org


def search_parts(dataset: Dataset) -> tuple[str, ...]:
    """The texts a dataset's search document is made of, in order; the bulk path
    (:mod:`aiplus.data.catalog.bulk`) indexes from the same parts."""
    return (dataset.name.replace("-", " "), dataset.title_en, dataset.title_zh,
            dataset.notes_en, dataset.notes_zh, " ".join(t.name for t in dataset.tags),
            dataset.organisation.name_en, dataset.organisation.name_zh,
            " ".join(f"{g.title_en} {g.title_zh}" for g in dataset.groups))


def index_dataset(session: Session, dataset: Dataset) -> None:
    """Refresh the dataset's search document (and SQLite's FTS mirror of it) and its facet
    postings."""
    facets.write(session, dataset)
    body = document(*search_parts(dataset))
    current = session.get(SearchDocument, dataset.id)
    if current is None:
        session.add(SearchDocument(dataset_id=dataset.id, body=body))
    else:
        current.body = body
    if session.get_bind().dialect.name == "sqlite":
        session.execute(sql_text("DELETE FROM data_search_fts WHERE dataset_id = :id"),
                        {"id": dataset.id})
        session.execute(FTS_INSERT, {"dataset_id": dataset.id, "body": body})


def _tags(session: Session, names: list[str], problems: v.Problems) -> list[Tag]:
    tags = []
    for name in names:
        if not v.TAG.match(name):
            problems.add("tags", N_("Tags use letters, digits, spaces, hyphens, dots or underscores."))
            continue
        tag = session.scalar(select(Tag).where(Tag.name == name))
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
        tags.append(tag)
    return tags


def _groups(session: Session, names: list[str], problems: v.Problems) -> list[Group]:
    groups = []
    for name in names:
        group = session.scalar(select(Group).where(or_(Group.name == name, Group.id == name)))
        if group is None:
            problems.add("groups", N_("Unknown category: {name}."), name=name)
        else:
            groups.append(group)
    return groups


def _apply(session: Session, dataset: Dataset, data: Mapping[str, Any], locale: str,
           problems: v.Problems, creating: bool) -> None:
    """Copy the fields present in ``data`` onto ``dataset``, collecting problems."""
    if creating or "name" in data:
        name = v.text(data, "name", problems, 100)
        if not v.NAME.match(name):
            problems.add("name", N_("Use 2-100 lower-case letters, digits, hyphens or underscores."))
        elif session.scalar(select(Dataset.id).where(Dataset.name == name, Dataset.id != dataset.id)):
            problems.add("name", N_("That URL is already in use."))
        dataset.name = name
    for key, limit in (("title", 300), ("notes", 20000)):
        pair = v.translated(data, key, problems, limit, locale)
        if pair is not None:
            en, zh = pair
            if f"{key}_translated" in data:
                setattr(dataset, f"{key}_en", en)
                setattr(dataset, f"{key}_zh", zh)
            elif locale == "zh-Hant":
                setattr(dataset, f"{key}_zh", zh)
            else:
                setattr(dataset, f"{key}_en", en)
    if creating or "owner_org" in data:
        try:
            org = find_org(session, data.get("owner_org"))
            dataset.org_id, dataset.organisation = org.id, org
        except NotFound:
            problems.add("owner_org", N_("Organisation does not exist."))
    if creating or "license_id" in data:
        licence = data.get("license_id")
        if licence not in LICENCES:
            problems.add("license_id", N_("A licence from license_list is required."))
        else:
            dataset.licence_id = licence
    for key, limit in (("provenance", 5000), ("author", 200), ("author_email", 200),
                       ("maintainer", 200), ("maintainer_email", 200), ("url", 1000),
                       ("version", 100)):
        if key in data:
            setattr(dataset, key, v.text(data, key, problems, limit))
    for key, allowed, default in (("update_frequency", v.FREQUENCIES, "irregular"),
                                  ("state", v.STATES, "active"),
                                  ("classification", v.CLASSIFICATIONS, "public")):
        if creating or key in data:
            setattr(dataset, key, v.choice(data, key, problems, allowed,
                                           getattr(dataset, key) or default))
    for key in ("private", "personal_data", "cross_boundary_gba"):
        if creating or key in data:
            setattr(dataset, key, v.boolean(data, key, problems, bool(getattr(dataset, key))))
    if "gba_record" in data:
        record = data["gba_record"]
        if record is not None and not isinstance(record, Mapping):
            problems.add("gba_record", N_("Must be an object."))
        else:
            dataset.gba_record = dict(record) if record else None
    if "spatial" in data:
        dataset.spatial = _spatial(data["spatial"], problems)
    if "extras" in data:
        dataset.extras = _extras(data["extras"], problems)
    if "tags" in data or "tag_string" in data:
        dataset.tags = _tags(session, v.name_list(data.get("tags", data.get("tag_string")),
                                                  "tags", problems), problems)
    if "groups" in data:
        dataset.groups = _groups(session, v.name_list(data["groups"], "groups", problems), problems)


def _spatial(value: Any, problems: v.Problems) -> str | None:
    if value in (None, ""):
        return None
    try:
        geometry = jsonlimits.loads(value) if isinstance(value, str) else value
        if not isinstance(geometry, dict) or "type" not in geometry or "coordinates" not in geometry:
            raise ValueError
    except (ValueError, TypeError):
        problems.add("spatial", N_("Must be a GeoJSON geometry."))
        return None
    return json.dumps(geometry, ensure_ascii=False)


def _extras(value: Any, problems: v.Problems) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return {str(k): str(v_) for k, v_ in value.items()}
    if isinstance(value, list) and all(isinstance(e, Mapping) and "key" in e for e in value):
        return {str(e["key"]): str(e.get("value", "")) for e in value}
    problems.add("extras", N_('Must be a list of {"key", "value"} objects.'))
    return {}


def publication_problems(dataset: Dataset, problems: v.Problems) -> None:
    """The governance gate for the open catalogue (active and not private)."""
    if dataset.state != "active":
        return
    if not dataset.title_en and not dataset.title_zh:
        problems.add("title", N_("A published dataset needs a title."))
    if not dataset.provenance:
        problems.add("provenance", N_("Provenance is required: say where the data comes from."))
    if dataset.private:
        return
    if dataset.classification != "public":
        problems.add("classification",
                     N_("Only datasets classified public may be published openly."))
    if dataset.personal_data:
        problems.add("personal_data",
                     N_("Datasets holding personal data cannot be published to the open catalogue."))


def gba_problems(dataset: Dataset, problems: v.Problems, locale: str) -> None:
    """Personal data shared with the Greater Bay Area needs the Standard Contract checks."""
    if dataset.state != "active" or not (dataset.cross_boundary_gba and dataset.personal_data):
        return
    record = GbaRecord.from_dict(dataset.gba_record) if dataset.gba_record else None
    for problem in validate_gba(record, date.today()):
        problems.add(problem["field"] or "gba_record", problem["zh-Hant" if locale == "zh-Hant" else "en"])


class Catalog:
    """The catalogue service; every method takes the acting principal."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def _save(self, session: Session, principal: Principal, dataset: Dataset, action: str,
              locale: str) -> dict[str, Any]:
        snapshot = save_revision(session, principal, dataset, action, locale)
        audit.record(session, actor=principal.actor, org=dataset.organisation.slug,
                     action=f"dataset.{action}", target=f"dataset:{dataset.name}",
                     detail={"revision": dataset.revision, "state": dataset.state})
        return snapshot

    def create(self, principal: Principal, data: Mapping[str, Any], locale: str = "en") -> dict[str, Any]:
        with self.db.transaction() as session:
            problems = v.Problems()
            dataset = Dataset(id=str(uuid.uuid4()), creator=principal.actor, extras={},
                              title_en="", title_zh="", notes_en="", notes_zh="")
            _apply(session, dataset, data, locale, problems, creating=True)
            problems.raise_if_any()
            if not can_edit(principal, dataset.organisation.slug):
                raise Forbidden(N_("You may not add datasets to this organisation."))
            publication_problems(dataset, problems)
            gba_problems(dataset, problems, locale)
            problems.raise_if_any()
            session.add(dataset)
            for position, resource in enumerate(data.get("resources") or []):
                if not isinstance(resource, Mapping):
                    problems.add("resources", N_("Every resource must be an object."))
                    continue
                dataset.resources.append(new_resource(resource, position, locale, problems))
            problems.raise_if_any()
            return self._save(session, principal, dataset, "create", locale)

    def update(self, principal: Principal, data: Mapping[str, Any], locale: str = "en",
               patch: bool = False) -> dict[str, Any]:
        with self.db.transaction() as session:
            dataset = find_dataset(session, data.get("id") or data.get("name"))
            if not can_edit(principal, dataset.organisation.slug):
                raise Forbidden(N_("You may not edit this dataset."))
            problems = v.Problems()
            expected = data.get("metadata_modified")
            if expected and expected != dataset.modified_at.isoformat():
                problems.add("metadata_modified", N_(
                    "Someone else changed this dataset since you read it; reload and try again."))
                problems.raise_if_any()
            fields = dict(data) if patch else _full_update(dataset, data)
            _apply(session, dataset, fields, locale, problems, creating=False)
            if not can_edit(principal, dataset.organisation.slug):
                problems.add("owner_org", N_("You may not move datasets to that organisation."))
            if not patch and "resources" in data:
                replace_resources(dataset, data["resources"], locale, problems)
            publication_problems(dataset, problems)
            gba_problems(dataset, problems, locale)
            problems.raise_if_any()
            dataset.revision += 1
            dataset.modified_at = utcnow()
            return self._save(session, principal, dataset, "patch" if patch else "update", locale)

    def delete(self, principal: Principal, id_or_name: Any) -> None:
        with self.db.transaction() as session:
            dataset = find_dataset(session, id_or_name)
            if not can_edit(principal, dataset.organisation.slug):
                raise Forbidden(N_("You may not delete this dataset."))
            dataset.state = "deleted"
            dataset.revision += 1
            dataset.modified_at = utcnow()
            self._save(session, principal, dataset, "delete", "en")

    def show(self, principal: Principal, id_or_name: Any, locale: str = "en") -> dict[str, Any]:
        with self.db.read() as session:
            dataset = find_dataset(session, id_or_name)
            if not can_read(principal, dataset):
                if dataset.state == "deleted":
                    raise NotFound(N_("Dataset not found."))
                raise Forbidden(N_("You may not read this dataset."))
            return package_dict(dataset, locale)

    def history(self, principal: Principal, id_or_name: Any) -> list[dict[str, Any]]:
        with self.db.read() as session:
            dataset = find_dataset(session, id_or_name)
            if not can_read(principal, dataset):
                raise NotFound(N_("Dataset not found."))
            rows = session.scalars(select(DatasetRevision)
                                   .where(DatasetRevision.dataset_id == dataset.id)
                                   .order_by(DatasetRevision.revision.desc()))
            return [{"revision": r.revision, "at": r.at.isoformat(), "actor": r.actor,
                     "action": r.action, "snapshot": r.snapshot} for r in rows]

    def names(self, limit: int | None = None, offset: int = 0) -> list[str]:
        with self.db.read() as session:
            query = (select(Dataset.name).where(Dataset.state == "active", Dataset.private.is_(False))
                     .order_by(Dataset.name).offset(offset))
            if limit is not None:
                query = query.limit(limit)
            return list(session.scalars(query))

    def page(self, page: int, page_size: int, locale: str = "en") -> tuple[list[dict[str, Any]], int]:
        """One page of the public catalogue in a stable order, and the total (for DCAT)."""
        with self.db.read() as session:
            public = (Dataset.state == "active", Dataset.private.is_(False))
            total = session.scalar(select(func.count()).select_from(Dataset).where(*public)) or 0
            rows = session.scalars(select(Dataset).where(*public).order_by(Dataset.name)
                                   .offset((page - 1) * page_size).limit(page_size))
            return [package_dict(d, locale) for d in rows], total

    def count(self) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.count()).select_from(Dataset)
                                  .where(Dataset.state == "active")) or 0


def _full_update(dataset: Dataset, data: Mapping[str, Any]) -> dict[str, Any]:
    """CKAN's package_update replaces the whole dataset: absent optional fields are cleared."""
    cleared: dict[str, Any] = {key: "" for key in ("author", "author_email", "maintainer",
                                                   "maintainer_email", "url", "version")}
    cleared.update({"tags": [], "groups": [], "extras": [], "spatial": None})
    cleared.update(data)
    cleared.setdefault("name", dataset.name)
    cleared.setdefault("owner_org", dataset.organisation.slug)
    cleared.setdefault("license_id", dataset.licence_id)
    return cleared


def new_resource(data: Mapping[str, Any], position: int, locale: str,
                 problems: v.Problems) -> Resource:
    resource = Resource(id=str(uuid.uuid4()), position=position, name_en="", name_zh="",
                        description_en="", description_zh="")
    apply_resource(resource, data, locale, problems)
    return resource


def apply_resource(resource: Resource, data: Mapping[str, Any], locale: str,
                   problems: v.Problems) -> None:
    for key in ("name", "description"):
        pair = v.translated(data, key, problems, 300 if key == "name" else 5000, locale)
        if pair is not None:
            en, zh = pair
            if f"{key}_translated" in data:
                setattr(resource, f"{key}_en", en)
                setattr(resource, f"{key}_zh", zh)
            else:
                setattr(resource, f"{key}_zh" if locale == "zh-Hant" else f"{key}_en",
                        zh if locale == "zh-Hant" else en)
    if "format" in data:
        resource.format = v.text(data, "format", problems, 30).upper()
    if "url" in data and resource.url_type != "upload":
        resource.url = v.text(data, "url", problems, 1000)
    if "mimetype" in data:
        resource.mimetype = v.text(data, "mimetype", problems, 100)
    resource.modified_at = utcnow()


def replace_resources(dataset: Dataset, items: Any, locale: str, problems: v.Problems) -> None:
    """package_update's resource list: keep those named by id (updated), add new, drop the rest."""
    if not isinstance(items, list):
        problems.add("resources", N_("Must be a list."))
        return
    existing = {r.id: r for r in dataset.resources}
    kept: list[Resource] = []
    for position, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.add("resources", N_("Every resource must be an object."))
            continue
        resource = existing.get(item.get("id", ""))
        if resource is None:
            resource = new_resource(item, position, locale, problems)
        else:
            apply_resource(resource, item, locale, problems)
            resource.position = position
        kept.append(resource)
    dataset.resources = kept

