"""Facet counts for ``package_search``, in one statement over the matching datasets.

The organisation and licence facets group the matching datasets themselves (both columns are
in the covering index ``ix_data_datasets_search``). Categories, tags and formats come from
:class:`~aiplus.data.catalog.tables.FacetPosting`, one row per dataset and value: counting
them probes one primary key once per matching dataset, where counting each from its own link
table probed three (at 100,000 datasets on PostgreSQL, a publisher of 9,000 datasets took
~160 ms that way, most of it in those probes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, func, insert, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from aiplus.core.identity import Organisation
from aiplus.data.catalog.licences import LICENCES
from aiplus.data.catalog.tables import Dataset, FacetPosting, Group
from aiplus.data.catalog.serialise import pick

PREFIXES = {"groups": "g", "tags": "t", "res_format": "f"}


def keys(group_ids: Iterable[str], tag_names: Iterable[str], formats: Iterable[str]
         ) -> set[str]:
    """The posting keys of a dataset with these categories, tags and resource formats."""
    return ({PREFIXES["groups"] + g for g in group_ids}
            | {PREFIXES["tags"] + t for t in tag_names}
            | {PREFIXES["res_format"] + f.strip().upper() for f in formats if f.strip()})


def write(session: Session, dataset: Dataset) -> None:
    """Replace the dataset's postings with those of its current links."""
    session.execute(delete(FacetPosting).where(FacetPosting.dataset_id == dataset.id))
    current = keys((g.id for g in dataset.groups), (t.name for t in dataset.tags),
                   (r.format for r in dataset.resources))
    if current:
        session.execute(insert(FacetPosting),
                        [{"dataset_id": dataset.id, "key": key} for key in sorted(current)])


def _parts(filtered: Any, fields: list[str]) -> list[Any]:
    """(facet, key, English label, Chinese label, count) selects for the requested facets."""
    count = func.count().label("n")
    parts = []
    if "organization" in fields:
        parts.append(select(literal("organization").label("facet"), Organisation.slug,
                            Organisation.name_en, Organisation.name_zh, count)
                     .select_from(filtered)
                     .join(Organisation, Organisation.id == filtered.c.org_id)
                     .group_by(Organisation.slug, Organisation.name_en, Organisation.name_zh))
    if "license_id" in fields:
        parts.append(select(literal("license_id"), filtered.c.licence_id, null(), null(), count)
                     .group_by(filtered.c.licence_id))
    prefixes = [PREFIXES[name] for name in fields if name in PREFIXES]
    if prefixes:
        wanted = [] if len(prefixes) == len(PREFIXES) else [
            or_(*(FacetPosting.key.startswith(p, autoescape=True) for p in prefixes))]
        parts.append(select(literal("postings"), FacetPosting.key, null(), null(), count)
                     .where(FacetPosting.dataset_id.in_(select(filtered.c.id)), *wanted)
                     .group_by(FacetPosting.key))
    return parts


def count(session: Session, base: Select[Any], fields: list[str], limit: int,
          locale: str) -> dict[str, list[dict[str, Any]]]:
    """Every requested facet over the datasets ``base`` selects (a select of ``Dataset.id``),
    each with its ``limit`` largest counts (all for -1), largest first, then by name."""
    if not fields:
        return {}
    filtered = (base.add_columns(Dataset.org_id.label("org_id"),
                                 Dataset.licence_id.label("licence_id"))
                .cte("filtered").prefix_with("MATERIALIZED"))
    facets: dict[str, list[dict[str, Any]]] = {name: [] for name in fields}
    by_prefix = {prefix: name for name, prefix in PREFIXES.items() if name in fields}
    groups: dict[str, tuple[str, str, str]] | None = None
    for facet, key, en, zh, n in session.execute(union_all(*_parts(filtered, fields))):
        if facet == "postings":
            facet, key = by_prefix[key[0]], key[1:]
            if facet == "groups":
                if groups is None:
                    groups = {g.id: (g.name, g.title_en, g.title_zh)
                              for g in session.scalars(select(Group))}
                if key not in groups:
                    continue
                key, en, zh = groups[key]
        if facet == "license_id" and key in LICENCES:
            en, zh = LICENCES[key].title, LICENCES[key].title_zh
        facets[facet].append({"name": key, "display_name": pick(en or key, zh or key, locale),
                              "count": n})
    for name, items in facets.items():
        items.sort(key=lambda item: (-item["count"], item["name"]))
        if limit >= 0:
            del items[limit:]
    return facets
