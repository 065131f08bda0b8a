"""The spatial store: collections of GeoJSON features, searchable by bounding box in SQL.

A collection is one spatial resource (its id is the resource id) of one dataset. Its features
are always replaced as a whole, in one transaction, so readers see either the old features
or the new ones, never a mixture, and a failed load keeps the old ones.

Bounding boxes are ``(minx, miny, maxx, maxy)`` in WGS 84 degrees. A box whose ``minx`` is
greater than its ``maxx`` crosses the antimeridian (as OGC API Features allows).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shapely.errors import GEOSException
from shapely.geometry import MultiPolygon, shape
from shapely.geometry import box as shapely_box
from shapely.geometry.base import BaseGeometry
from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.i18n import Bilingual
from aiplus.data.spatial.geojson import Bounds, geometry_bounds, union_bounds
from aiplus.data.spatial.tables import SpatialCollection, SpatialFeature

MAX_ID_LENGTH = 64
_INSERT_BATCH = 2000


@dataclass(frozen=True)
class CollectionInfo:
    """What the store knows about one collection."""

    id: str
    dataset_id: str
    title: Bilingual
    bbox: Bounds | None
    feature_count: int
    updated_at: datetime

    @classmethod
    def of(cls, row: SpatialCollection) -> CollectionInfo:
        box = (row.minx, row.miny, row.maxx, row.maxy)
        return cls(
            id=row.id, dataset_id=row.dataset_id, title=Bilingual(row.title_en, row.title_zh),
            bbox=box if None not in box else None,  # type: ignore[arg-type]
            feature_count=row.feature_count, updated_at=row.updated_at,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "dataset_id": self.dataset_id, "title": self.title.as_dict(),
            "bbox": list(self.bbox) if self.bbox else None, "feature_count": self.feature_count,
            "updated_at": self.updated_at.isoformat(),
        }


def _titles(titles: Bilingual | Mapping[str, str] | Sequence[str]) -> Bilingual:
    if isinstance(titles, Bilingual):
        return titles
    if isinstance(titles, Mapping):
        english = titles.get("en") or ""
        return Bilingual(english, titles.get("zh-Hant") or titles.get("zh") or english)
    english, chinese = titles
    return Bilingual(english, chinese or english)


def check_bbox(bbox: Sequence[float]) -> Bounds:
    """A valid WGS 84 bbox as a tuple, or ValueError saying what is wrong with it."""
    if len(bbox) != 4:
        raise ValueError("a bbox has four numbers: minx, miny, maxx, maxy")
    minx, miny, maxx, maxy = (float(v) for v in bbox)
    if not all(-180.0 <= x <= 180.0 for x in (minx, maxx)):
        raise ValueError("longitudes must be between -180 and 180")
    if not all(-90.0 <= y <= 90.0 for y in (miny, maxy)):
        raise ValueError("latitudes must be between -90 and 90")
    if miny > maxy:
        raise ValueError("the lower latitude is greater than the upper one")
    return minx, miny, maxx, maxy


def _intersects(model: type[SpatialFeature | SpatialCollection], bbox: Sequence[float]
                ) -> ColumnElement[bool]:
    """SQL: the row's box shares at least a point with ``bbox`` (edges count)."""
    minx, miny, maxx, maxy = check_bbox(bbox)
    if minx <= maxx:
        along_x = and_(model.minx <= maxx, model.maxx >= minx)
    else:  # crosses the antimeridian: [minx, 180] or [-180, maxx]
        along_x = or_(model.maxx >= minx, model.minx <= maxx)
    return and_(along_x, model.miny <= maxy, model.maxy >= miny)


def _within(box: Bounds) -> ColumnElement[bool]:
    """SQL: the feature's box lies inside ``box`` (then its geometry surely intersects it)."""
    minx, miny, maxx, maxy = box
    return and_(SpatialFeature.minx >= minx, SpatialFeature.maxx <= maxx,
                SpatialFeature.miny >= miny, SpatialFeature.maxy <= maxy)


def _query_shape(box: Bounds) -> BaseGeometry:
    minx, miny, maxx, maxy = box
    if minx <= maxx:
        return shapely_box(minx, miny, maxx, maxy)
    return MultiPolygon([shapely_box(minx, miny, 180.0, maxy), shapely_box(-180.0, miny, maxx, maxy)])


def _straddlers_outside(session: Session, where: list[ColumnElement[bool]], box: Bounds
                        ) -> set[int]:
    """Positions of candidates whose box meets ``box`` but whose geometry does not."""
    straddling = select(SpatialFeature.position, SpatialFeature.geometry).where(*where)
    if box[0] <= box[2]:
        straddling = straddling.where(~_within(box))
    query_shape = _query_shape(box)
    outside: set[int] = set()
    for position, geometry in session.execute(straddling):
        try:
            if not shape(geometry).intersects(query_shape):
                outside.add(position)
        except (ValueError, TypeError, AttributeError, GEOSException):
            continue  # unreadable geometry: keep the box-based answer
    return outside


def _feature(row: SpatialFeature | Any) -> dict[str, Any]:
    return {"type": "Feature", "id": row.position, "geometry": row.geometry,
            "properties": row.properties if row.properties is not None else {}}


class SpatialStore:
    """Collections and features in the platform database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def _writing(self, session: Session | None) -> Iterator[Session]:
        if session is not None:  # the caller's transaction (e.g. a resource upload)
            yield session
        else:
            with self.db.transaction() as own:
                yield own

    # --- writes -----------------------------------------------------------------------------

    def replace_collection(
        self,
        collection_id: str,
        dataset_id: str,
        titles: Bilingual | Mapping[str, str] | Sequence[str],
        features: Iterable[Mapping[str, Any]],
        *,
        session: Session | None = None,
        actor: str | None = None,
        org: str | None = None,
    ) -> CollectionInfo:
        """Create the collection or replace all its features, atomically.

        ``features`` are GeoJSON Feature dicts in WGS 84 (from :func:`parse_geojson` or
        :func:`rows_to_features`); they are numbered 1, 2, 3 ... in the given order, and those
        numbers are their feature ids. Everything happens in one transaction: ``session``
        joins the caller's (so an upload and its features commit together), otherwise the
        store opens its own. With ``actor``, an audit entry is recorded in that transaction.
        """
        if not collection_id or len(collection_id) > MAX_ID_LENGTH:
            raise ValueError("a collection id has 1 to 64 characters")
        if not dataset_id or len(dataset_id) > MAX_ID_LENGTH:
            raise ValueError("a dataset id has 1 to 64 characters")
        title = _titles(titles)
        rows: list[dict[str, Any]] = []
        for position, feature in enumerate(features, start=1):
            geometry = feature.get("geometry")
            box = geometry_bounds(geometry)
            rows.append({
                "collection_id": collection_id, "position": position, "geometry": geometry,
                "properties": dict(feature.get("properties") or {}),
                "minx": box[0] if box else None, "miny": box[1] if box else None,
                "maxx": box[2] if box else None, "maxy": box[3] if box else None,
            })
        bbox = union_bounds(
            (r["minx"], r["miny"], r["maxx"], r["maxy"]) for r in rows if r["minx"] is not None
        )
        with self._writing(session) as tx:
            tx.execute(delete(SpatialFeature).where(SpatialFeature.collection_id == collection_id))
            collection = tx.get(SpatialCollection, collection_id)
            if collection is None:
                collection = SpatialCollection(id=collection_id)
                tx.add(collection)
            collection.dataset_id = dataset_id
            collection.title_en, collection.title_zh = title.en, title.zh
            collection.minx, collection.miny, collection.maxx, collection.maxy = (
                bbox if bbox is not None else (None, None, None, None)
            )
            collection.feature_count = len(rows)
            collection.updated_at = utcnow()
            tx.flush()  # the collection row exists before its features reference it
            for start in range(0, len(rows), _INSERT_BATCH):
                tx.execute(insert(SpatialFeature), rows[start:start + _INSERT_BATCH])
            if actor is not None:
                audit.record(tx, actor=actor, org=org, action="spatial.collection.replace",
                             target=collection_id,
                             detail={"dataset_id": dataset_id, "features": len(rows),
                                     "bbox": list(bbox) if bbox else None})
            tx.flush()
            return CollectionInfo.of(collection)

    def delete_collection(
        self, collection_id: str, *, session: Session | None = None, actor: str | None = None,
        org: str | None = None,
    ) -> bool:
        """Remove a collection and its features; False when there was none."""
        with self._writing(session) as tx:
            tx.execute(delete(SpatialFeature).where(SpatialFeature.collection_id == collection_id))
            removed = tx.execute(
                delete(SpatialCollection).where(SpatialCollection.id == collection_id)
            ).rowcount
            if removed and actor is not None:
                audit.record(tx, actor=actor, org=org, action="spatial.collection.delete",
                             target=collection_id)
            return bool(removed)

    # --- reads ------------------------------------------------------------------------------

    def collections(self, dataset_id: str | None = None) -> list[CollectionInfo]:
        """Every collection (or one dataset's), by id."""
        query = select(SpatialCollection).order_by(SpatialCollection.id)
        if dataset_id is not None:
            query = query.where(SpatialCollection.dataset_id == dataset_id)
        with self.db.read() as session:
            return [CollectionInfo.of(row) for row in session.scalars(query)]

    def collection(self, collection_id: str) -> CollectionInfo | None:
        if len(collection_id) > MAX_ID_LENGTH:
            return None
        with self.db.read() as session:
            row = session.get(SpatialCollection, collection_id)
            return CollectionInfo.of(row) if row is not None else None

    def items(
        self, collection_id: str, bbox: Sequence[float] | None = None, limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of features in source order, and how many match ``bbox`` in all.

        The bbox columns select candidates in SQL; a line or polygon whose own box merely
        straddles an edge of ``bbox`` is then tested exactly with shapely, so a feature is
        returned only if its geometry intersects the box (as OGC API Features requires).
        Features without geometry never match a bbox. Raises ValueError for a bad bbox,
        limit or offset.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset cannot be negative")
        mine = SpatialFeature.collection_id == collection_id
        columns = (SpatialFeature.position, SpatialFeature.geometry, SpatialFeature.properties)
        with self.db.read() as session:
            if bbox is None:
                where = [mine]
                total = session.scalar(select(SpatialCollection.feature_count).where(
                    SpatialCollection.id == collection_id)) or 0
            else:
                box = check_bbox(bbox)
                where = [mine, _intersects(SpatialFeature, box)]
                excluded = _straddlers_outside(session, where, box)
                if excluded:
                    return self._page_without(session, where, excluded, limit, offset)
                total = session.scalar(select(func.count()).select_from(SpatialFeature)
                                       .where(*where)) or 0
            if limit == 0 or offset >= total:
                return [], total
            page = session.execute(select(*columns).where(*where)
                                   .order_by(SpatialFeature.position).limit(limit).offset(offset))
            return [_feature(row) for row in page], total

    @staticmethod
    def _page_without(session: Session, where: list[ColumnElement[bool]], excluded: set[int],
                      limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        positions = [p for p in session.scalars(select(SpatialFeature.position).where(*where)
                                                .order_by(SpatialFeature.position))
                     if p not in excluded]
        wanted = positions[offset:offset + limit]
        if not wanted:
            return [], len(positions)
        rows = session.execute(
            select(SpatialFeature.position, SpatialFeature.geometry, SpatialFeature.properties)
            .where(where[0], SpatialFeature.position.in_(wanted))
            .order_by(SpatialFeature.position)
        )
        return [_feature(row) for row in rows], len(positions)

    def feature(self, collection_id: str, feature_id: int) -> dict[str, Any] | None:
        """One feature by its id (its position in the collection), or None."""
        with self.db.read() as session:
            row = session.execute(
                select(SpatialFeature.position, SpatialFeature.geometry,
                       SpatialFeature.properties)
                .where(SpatialFeature.collection_id == collection_id,
                       SpatialFeature.position == feature_id)
            ).first()
            return _feature(row) if row is not None else None

    def datasets_in_bbox(self, bbox: Sequence[float]) -> list[str]:
        """Ids of the datasets with at least one feature inside or touching ``bbox``, sorted.

        The collections' own boxes narrow the search first; the features then decide, so a
        dataset whose features merely surround the box does not match.
        """
        feature_match = (
            select(SpatialFeature.id)
            .where(SpatialFeature.collection_id == SpatialCollection.id,
                   _intersects(SpatialFeature, bbox))
            .exists()
        )
        query = (
            select(SpatialCollection.dataset_id)
            .where(_intersects(SpatialCollection, bbox), feature_match)
            .distinct()
            .order_by(SpatialCollection.dataset_id)
        )
        with self.db.read() as session:
            return list(session.scalars(query))
