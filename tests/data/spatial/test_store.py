"""The spatial store: atomic replacement, bbox search in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from aiplus.core.audit import AuditEntry
from aiplus.core.i18n import Bilingual
from aiplus.data.spatial.tables import SpatialFeature
from aiplus.data.spatial.store import SpatialStore


def point(x: float, y: float, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": properties}


def grid(n: int = 5) -> list[dict[str, Any]]:
    """n x n points from 114.10 E, 22.20 N every 0.01 degrees, numbered in row order."""
    return [point(round(114.10 + 0.01 * i, 2), round(22.20 + 0.01 * j, 2), n=j * n + i)
            for j in range(n) for i in range(n)]


@pytest.fixture
def store(platform) -> SpatialStore:
    return SpatialStore(platform.db)


def test_replace_is_atomic_and_a_failure_keeps_the_old_features(store, platform) -> None:
    first = store.replace_collection("res-1", "ds-1", ("Lamp posts", "燈柱"), grid(3))
    assert first.feature_count == 9 and first.bbox == (114.10, 22.20, 114.12, 22.22)
    assert first.title == Bilingual("Lamp posts", "燈柱")
    broken = [point(114.3, 22.4), point(114.3, 22.4, bad=object())]  # not storable as JSON
    with pytest.raises((TypeError, StatementError)):  # raised mid-transaction, after the delete
        store.replace_collection("res-1", "ds-1", ("Changed", "已改"), broken)
    kept = store.collection("res-1")
    assert kept is not None and kept.feature_count == 9 and kept.title.en == "Lamp posts"
    assert store.items("res-1", limit=100)[1] == 9
    second = store.replace_collection("res-1", "ds-1", {"en": "Lamp posts", "zh-Hant": "燈柱"},
                                      [point(114.3, 22.4, a=1), {"type": "Feature",
                                                                "geometry": None}])
    assert second.feature_count == 2 and second.bbox == (114.3, 22.4, 114.3, 22.4)
    features, matched = store.items("res-1")
    assert matched == 2 and [f["id"] for f in features] == [1, 2]
    assert features[1] == {"type": "Feature", "id": 2, "geometry": None, "properties": {}}
    with platform.db.read() as session:  # the old rows are gone, not hidden
        assert session.scalar(select(func.count()).select_from(SpatialFeature)) == 2


def test_replace_joins_the_callers_transaction_and_audits(store, platform) -> None:
    with pytest.raises(RuntimeError), platform.db.transaction() as session:
        store.replace_collection("res-2", "ds-2", ("A", "甲"), grid(2), session=session,
                                 actor="ann")
        raise RuntimeError("the upload failed after the features were written")
    assert store.collection("res-2") is None
    store.replace_collection("res-2", "ds-2", ("A", "甲"), grid(2), actor="ann", org="hk-td")
    with platform.db.read() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.target, entry.actor) == ("spatial.collection.replace", "res-2",
                                                          "ann")
    assert entry.detail["features"] == 4
    assert store.delete_collection("res-2", actor="ann") is True
    assert store.delete_collection("res-2") is False
    assert store.collections() == [] and store.items("res-2") == ([], 0)


def test_bbox_queries_run_in_sql_and_page_in_order(store) -> None:
    store.replace_collection("pts", "ds-a", ("Points", "點"), grid(5))
    store.replace_collection("far", "ds-b", ("Far", "遠"), [point(113.95, 22.45)])
    inside = (114.105, 22.205, 114.125, 22.225)  # a 2 x 2 block of the grid
    features, matched = store.items("pts", bbox=inside)
    assert matched == 4 and [f["properties"]["n"] for f in features] == [6, 7, 11, 12]
    touching = (114.12, 22.22, 114.5, 22.5)  # edges count: 3 x 3 block
    assert store.items("pts", bbox=touching)[1] == 9
    page, matched = store.items("pts", limit=10, offset=20)
    assert matched == 25 and [f["id"] for f in page] == [21, 22, 23, 24, 25]
    assert store.items("pts", offset=30) == ([], 25)
    assert store.items("pts", bbox=(0, 0, 1, 1)) == ([], 0)
    assert store.datasets_in_bbox(inside) == ["ds-a"]
    assert store.datasets_in_bbox((113.0, 22.0, 115.0, 23.0)) == ["ds-a", "ds-b"]
    assert store.datasets_in_bbox((114.101, 22.201, 114.109, 22.209)) == []  # between points
    assert store.datasets_in_bbox((170.0, 22.0, 114.0, 23.0)) == ["ds-b"]  # crosses 180°
    with pytest.raises(ValueError):
        store.items("pts", bbox=(114.2, 22.5, 114.1, 22.4))  # miny > maxy


def test_a_polygon_matches_only_where_its_shape_meets_the_box(store) -> None:
    ell = {"type": "Polygon", "coordinates": [[  # an L whose bbox covers an empty corner
        [114.0, 22.0], [114.2, 22.0], [114.2, 22.05], [114.05, 22.05], [114.05, 22.2],
        [114.0, 22.2], [114.0, 22.0]]]}
    store.replace_collection("ell", "ds-l", ("L", "L"), [
        {"type": "Feature", "geometry": ell, "properties": {}}, point(114.15, 22.15)])
    corner = (114.1, 22.1, 114.3, 22.3)  # the empty corner, and the point in it
    features, matched = store.items("ell", bbox=corner)
    assert matched == 1 and features[0]["id"] == 2
    assert store.items("ell", bbox=(114.1, 22.0, 114.3, 22.3))[1] == 2
