"""Tables of the spatial store: one collection per spatial resource, and its features.

The geometry of a feature is kept as GeoJSON (WGS 84) in a JSON column; its bounding box is
copied into four indexed float columns so that bbox searches run in SQL on SQLite and
PostgreSQL alike, without a spatial extension. The migration is
``platform/migrations/versions/0002_spatial.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from aiplus.core.db import Base, utcnow

# 64-bit ids on PostgreSQL (collections are replaced wholesale, so ids are used up quickly);
# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY (already 64-bit).
FEATURE_ID = BigInteger().with_variant(Integer(), "sqlite")


class SpatialCollection(Base):
    """A spatial resource published as an OGC API Features collection (id = resource id)."""

    __tablename__ = "data_collections"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dataset_id: Mapped[str] = mapped_column(String(64), index=True)
    title_en: Mapped[str] = mapped_column(String(500))
    title_zh: Mapped[str] = mapped_column(String(500))
    minx: Mapped[float | None] = mapped_column(Float)
    miny: Mapped[float | None] = mapped_column(Float)
    maxx: Mapped[float | None] = mapped_column(Float)
    maxy: Mapped[float | None] = mapped_column(Float)
    feature_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpatialFeature(Base):
    """One feature of a collection: GeoJSON geometry and properties, and its bbox."""

    __tablename__ = "data_features"
    __table_args__ = (UniqueConstraint("collection_id", "position"),)

    id: Mapped[int] = mapped_column(FEATURE_ID, primary_key=True, autoincrement=True)
    collection_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("data_collections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... in source order; the feature id
    geometry: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    properties: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    minx: Mapped[float | None] = mapped_column(Float, index=True)
    miny: Mapped[float | None] = mapped_column(Float, index=True)
    maxx: Mapped[float | None] = mapped_column(Float, index=True)
    maxy: Mapped[float | None] = mapped_column(Float, index=True)
