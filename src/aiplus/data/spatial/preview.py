"""Map preview of a spatial collection: an accessible HTML fragment drawing it with Leaflet.

Leaflet 1.9.4 (BSD-2-Clause, npm package ``leaflet``) is vendored under ``static/leaflet`` and
served by the platform itself under :data:`STATIC_URL` (the open data app declares the mount).
The preview loads no background tiles and makes no request outside the platform: it draws
the features over a latitude/longitude graticule and says so in its attribution, so it works
offline. The fragment states the feature count and extent in text for people who cannot see
the map.

Use :func:`render_map_preview` for a ready fragment, or include ``map_preview.html`` from a
page whose template environment has :data:`TEMPLATES` on its path and pass it
:func:`map_preview_context` (plus ``_``, the page's translator).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from aiplus.core.i18n import translator
from aiplus.data.spatial.store import CollectionInfo

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
STATIC_URL = "/spatial-static"
LEAFLET_VERSION = "1.9.4"
PREVIEW_LIMIT = 1000  # features drawn at most; the text says when there are more
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


def _degrees(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def map_preview_context(info: CollectionInfo, locale: str, *, limit: int = PREVIEW_LIMIT
                        ) -> dict[str, Any]:
    """What ``map_preview.html`` needs to show ``info``."""
    collection_path = "/ogc/collections/" + quote(info.id, safe="")
    bbox = info.bbox
    return {
        "map": {
            "dom_id": "spatial-map-" + _UNSAFE_ID.sub("-", info.id),
            "title": info.title.get(locale),
            "count": info.feature_count,
            "shown": min(limit, info.feature_count),
            "truncated": info.feature_count > limit,
            "has_extent": bbox is not None,
            "bbox_json": json.dumps(list(bbox)) if bbox else "",
            "extent": ({"minx": _degrees(bbox[0]), "miny": _degrees(bbox[1]),
                        "maxx": _degrees(bbox[2]), "maxy": _degrees(bbox[3])}
                       if bbox else None),
            "items_url": f"{collection_path}/items?limit={max(1, limit)}",
            "download_url": f"{collection_path}/items?limit=10000",
            "static": STATIC_URL,
        },
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(default=True), auto_reload=False)


def render_map_preview(info: CollectionInfo, locale: str, *, limit: int = PREVIEW_LIMIT
                       ) -> Markup:
    """The preview fragment for ``info`` in ``locale`` (``en`` or ``zh-Hant``), as safe HTML."""
    context = map_preview_context(info, locale, limit=limit)
    template = _environment().get_template("map_preview.html")
    return Markup(template.render(**context, _=translator(locale), locale=locale))
