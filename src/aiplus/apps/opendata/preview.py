"""What the dataset page shows for each resource: a table preview, a bar chart of its first
numeric column, a map of its features, and the archived versions of its file."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy import select

from aiplus.data.catalog.tables import ResourceVersion
from aiplus.data.pipeline import datastore_of
from aiplus.data.spatial.crs import header_role
from aiplus.data.spatial.preview import render_map_preview
from aiplus.data.spatial.store import SpatialStore
from aiplus.platform.services import Platform

ROWS = 10
NUMERIC = ("int", "numeric")


OTHER_LANGUAGE = {"en": ("_zh", "_tc", "_chi"), "zh-Hant": ("_en", "_eng")}
"""Suffixes of columns that hold the other language's text (``category_en``/``category_zh``)."""


def chart(fields: list[dict[str, Any]], records: list[dict[str, Any]],
          locale: str = "en") -> dict[str, Any] | None:
    """Bars for the first numeric column that is not a coordinate, labelled by the text
    columns (in the page's language) that tell the rows apart, or by the row number."""
    names = [f["id"] for f in fields if f["id"] != "_id"]
    value = next((f["id"] for f in fields if f["type"] in NUMERIC and f["id"] != "_id"
                  and header_role(f.get("label") or f["id"]) is None), None)
    if value is None or not records:
        return None
    labels = _label_columns(fields, records, locale)
    values = [r.get(value) for r in records]
    top = max((abs(v) for v in values if isinstance(v, int | float)), default=0) or 1
    bars = [{"label": " · ".join(str(r.get(c)) for c in labels) if labels else str(i + 1),
             "value": v, "width": round(100 * abs(v) / top, 1) if isinstance(v, int | float) else 0}
            for i, (r, v) in enumerate(zip(records, values, strict=True))]
    return {"value_field": value, "label_field": " · ".join(labels) or "#", "bars": bars,
            "columns": len(names)}


def _label_columns(fields: list[dict[str, Any]], records: list[dict[str, Any]],
                   locale: str) -> list[str]:
    """The fewest text columns (up to three, in table order) whose values differ on every
    shown row: a month column repeated on ten rows would label ten bars alike."""
    skip = OTHER_LANGUAGE.get(locale, ())
    text = [f["id"] for f in fields if f["type"] == "text" and not f["id"].lower().endswith(skip)]
    chosen: list[str] = []
    for column in sorted(text, key=lambda c: -len({str(r.get(c)) for r in records})):
        chosen.append(column)
        if len({tuple(str(r.get(c)) for c in chosen) for r in records}) == len(records) \
                or len(chosen) == 3:
            break
    return sorted(chosen, key=text.index)


def resource_previews(platform: Platform, package: dict[str, Any], locale: str
                      ) -> tuple[list[dict[str, Any]], dict[str, Markup]]:
    """JSON-able previews per resource, and the map fragments (HTML) kept apart from them."""
    store = datastore_of(platform)
    spatial = SpatialStore(platform.db)
    previews, maps = [], {}
    with platform.db.read() as session:
        versions = session.execute(
            select(ResourceVersion.resource_id, ResourceVersion.at)
            .where(ResourceVersion.dataset_id == package["id"])
            .order_by(ResourceVersion.at.desc())).all()
    for resource in package["resources"]:
        entry: dict[str, Any] = {"id": resource["id"], "name": resource["name"],
                                 "versions": [at.isoformat() for rid, at in versions
                                              if rid == resource["id"]]}
        if resource["datastore_active"] and store.exists(resource["id"]):
            table = store.search(resource["id"], limit=ROWS)
            entry.update(fields=table["fields"], records=table["records"], total=table["total"],
                         chart=chart(table["fields"], table["records"], locale))
        info = spatial.collection(resource["id"])
        if info is not None and info.feature_count:
            maps[resource["id"]] = render_map_preview(info, locale)
        previews.append(entry)
    return previews, maps
