"""Adding many new datasets in one transaction, for loaders whose records are valid already.

:class:`~aiplus.data.catalog.service.Catalog` validates and writes one dataset at a time
through the ORM: right for people and API clients, but thousands of datasets a second (the
synthetic catalogue of :mod:`aiplus.apps.opendata.generate`) need multi-row Core inserts.
:func:`insert_datasets` is that path, kept here so the catalogue has one definition of what a
new dataset writes: its row, tags, categories and resources; revision 1 holding the same
snapshot ``package_show`` returns; its facet postings; its search document (and on SQLite its
FTS row), built from :func:`~aiplus.data.catalog.service.search_parts`; and one audit entry
for the whole call, in the same transaction, so the audit log still records every write.

It does not validate: names, licences, organisations and categories are the caller's to get
right, and the database's constraints are the only check left.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from aiplus.core import audit
from aiplus.core.identity import Organisation
from aiplus.data.catalog import facets
from aiplus.data.catalog.serialise import package_dict
from aiplus.data.catalog.service import FTS_INSERT, search_parts
from aiplus.data.catalog.tables import (
    Dataset,
    DatasetRevision,
    FacetPosting,
    Group,
    Resource,
    SearchDocument,
    Tag,
    dataset_groups,
    dataset_tags,
)
from aiplus.data.catalog.text import document


@dataclass(frozen=True)
class NewDataset:
    """A valid dataset, ready to insert: ``row`` holds its ``data_datasets`` columns (its
    ``id`` included), ``resources`` each resource's ``data_resources`` columns. Organisation,
    tags and groups are loaded objects; they may be detached, as nothing here writes them."""

    row: dict[str, Any]
    resources: list[dict[str, Any]]
    organisation: Organisation
    tags: Sequence[Tag]
    groups: Sequence[Group]

    @property
    def name(self) -> str:
        return str(self.row["name"])


@lru_cache(maxsize=1 << 16)
def _part_document(part: str) -> str:
    """One part's search text. Parts repeat across datasets (an organisation's names, a
    category's titles), and segmenting them once is most of the indexing saved in bulk;
    the documents of the parts, joined, equal the document of all the parts."""
    return document(part)


class _Rows:
    """The rows of one call, table by table, in insertion order."""

    def __init__(self) -> None:
        self.tables: dict[Any, list[dict[str, Any]]] = {
            table: [] for table in (Dataset.__table__, dataset_tags, dataset_groups,
                                    Resource.__table__, SearchDocument.__table__,
                                    FacetPosting.__table__, DatasetRevision.__table__)}

    def add(self, new: NewDataset, actor: str, locale: str) -> None:
        dataset_id = new.row["id"]
        # What package_dict and search_parts read of a Dataset, without ORM bookkeeping.
        view: Any = SimpleNamespace(**new.row, organisation=new.organisation, tags=new.tags,
                                    groups=new.groups,
                                    resources=[SimpleNamespace(**r) for r in new.resources])
        body = " ".join(text for text in map(_part_document, search_parts(view)) if text)
        self.tables[Dataset.__table__].append(new.row)
        self.tables[dataset_tags].extend(
            {"dataset_id": dataset_id, "tag_id": tag.id} for tag in new.tags)
        self.tables[dataset_groups].extend(
            {"dataset_id": dataset_id, "group_id": group.id} for group in new.groups)
        self.tables[Resource.__table__].extend(new.resources)
        self.tables[SearchDocument.__table__].append({"dataset_id": dataset_id, "body": body})
        self.tables[FacetPosting.__table__].extend(
            {"dataset_id": dataset_id, "key": key} for key in sorted(facets.keys(
                (g.id for g in new.groups), (t.name for t in new.tags),
                (r["format"] for r in new.resources))))
        self.tables[DatasetRevision.__table__].append({
            "dataset_id": dataset_id, "revision": 1, "at": new.row["created_at"],
            "actor": actor, "action": "create",
            "snapshot": package_dict(view, locale)})


def insert_datasets(session: Session, datasets: Sequence[NewDataset], *, actor: str,
                    action: str, detail: Mapping[str, Any] | None = None,
                    locale: str = "en") -> None:
    """Insert ``datasets`` (at least one) with every row the catalogue service writes for a
    new dataset, and one audit entry ``action`` saying how many datasets and resources were
    added, the first and last name, and ``detail``."""
    if not datasets:
        raise ValueError("insert_datasets needs at least one dataset")
    rows = _Rows()
    for new in datasets:
        rows.add(new, actor, locale)
    for table, values in rows.tables.items():
        if values:
            session.execute(insert(table), values)
    if session.get_bind().dialect.name == "sqlite":
        session.execute(FTS_INSERT, rows.tables[SearchDocument.__table__])
    first, last = datasets[0].name, datasets[-1].name
    audit.record(session, actor=actor, action=action, target=f"datasets:{first}..{last}",
                 detail={"datasets": len(datasets),
                         "resources": len(rows.tables[Resource.__table__]),
                         **(detail or {}), "first": first, "last": last})
