"""Catalogue tables. Field names follow CKAN where CKAN has the concept, so the Action API
maps one-to-one; bilingual text is stored as ``*_en`` and ``*_zh`` column pairs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow
from aiplus.core.identity import Organisation

dataset_tags = Table(
    "data_dataset_tags",
    Base.metadata,
    Column("dataset_id", ForeignKey("data_datasets.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("data_tags.id", ondelete="CASCADE"), primary_key=True),
)
dataset_groups = Table(
    "data_dataset_groups",
    Base.metadata,
    Column("dataset_id", ForeignKey("data_datasets.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("data_groups.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    __tablename__ = "data_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class Group(Base):
    """A category (CKAN group), e.g. DATA.GOV.HK's ``transport`` or ``climate-and-weather``."""

    __tablename__ = "data_groups"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Dataset(Base):
    """A CKAN "package": metadata plus its resources."""

    __tablename__ = "data_datasets"
    # Narrow covering indexes for package_search (migration 0003_catalog_search): counting,
    # organisation filters and the organisation/licence facets never read the wide rows.
    __table_args__ = (
        Index("ix_data_datasets_search", "state", "private", "org_id", "modified_at",
              "licence_id", "id"),
        Index("ix_data_datasets_search_id", "id", "state", "private", "org_id", "licence_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    notes_en: Mapped[str] = mapped_column(Text, default="")
    notes_zh: Mapped[str] = mapped_column(Text, default="")
    licence_id: Mapped[str] = mapped_column(String(50))
    update_frequency: Mapped[str] = mapped_column(String(20), default="irregular")
    # Not indexed: nearly every row is active, and an index on it misleads SQLite's planner.
    state: Mapped[str] = mapped_column(String(10), default="active")
    private: Mapped[bool] = mapped_column(default=False)
    classification: Mapped[str] = mapped_column(String(12), default="public")
    personal_data: Mapped[bool] = mapped_column(default=False)
    cross_boundary_gba: Mapped[bool] = mapped_column(default=False)
    gba_record: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    provenance: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    author_email: Mapped[str] = mapped_column(String(200), default="")
    maintainer: Mapped[str] = mapped_column(String(200), default="")
    maintainer_email: Mapped[str] = mapped_column(String(200), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    version: Mapped[str] = mapped_column(String(100), default="")
    spatial: Mapped[str | None] = mapped_column(Text, default=None)
    extras: Mapped[dict[str, Any]] = mapped_column(default=dict)
    revision: Mapped[int] = mapped_column(default=1)
    creator: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    tags: Mapped[list[Tag]] = relationship(secondary=dataset_tags, lazy="selectin",
                                           order_by=Tag.name)
    groups: Mapped[list[Group]] = relationship(secondary=dataset_groups, lazy="selectin",
                                               order_by=Group.name)
    resources: Mapped[list[Resource]] = relationship(
        back_populates="dataset", lazy="selectin", order_by="Resource.position",
        cascade="all, delete-orphan",
    )


class Resource(Base):
    __tablename__ = "data_resources"
    __table_args__ = (Index("ix_data_resources_dataset_format", "dataset_id", "format"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("data_datasets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name_en: Mapped[str] = mapped_column(String(300), default="")
    name_zh: Mapped[str] = mapped_column(String(300), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(30), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    url_type: Mapped[str | None] = mapped_column(String(20), default=None)
    mimetype: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int | None] = mapped_column(default=None)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    file_key: Mapped[str | None] = mapped_column(String(500), default=None)
    datastore_active: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow)

    dataset: Mapped[Dataset] = relationship(back_populates="resources")


class DatasetRevision(Base):
    """Every saved state of a dataset's metadata: the versioned history."""

    __tablename__ = "data_dataset_revisions"
    __table_args__ = (UniqueConstraint("dataset_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[str] = mapped_column(String(36), index=True)
    revision: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    snapshot: Mapped[dict[str, Any]]


class ResourceVersion(Base):
    """One uploaded file of a resource, kept for the historical archive API."""

    __tablename__ = "data_resource_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[str] = mapped_column(String(36), index=True)
    dataset_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    file_key: Mapped[str] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    format: Mapped[str] = mapped_column(String(30), default="")


class SearchDocument(Base):
    """The text a dataset is found by, segmented for Chinese (see :mod:`.text`).

    On SQLite an FTS5 table mirrors it; on PostgreSQL a stored generated ``tsv`` column with a
    GIN index does (both created in the migration, outside the ORM).
    """

    __tablename__ = "data_search_documents"

    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("data_datasets.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text, default="")


class FacetPosting(Base):
    """One facet value of one dataset, from its categories, tags and resource formats.

    ``key`` is ``g`` + category id, ``t`` + tag name or ``f`` + upper-case format (one per
    format, as CKAN counts datasets, not files). Rewritten with the search document whenever a
    dataset changes, so ``package_search`` counts all three facets with one probe per matching
    dataset into this table's primary key instead of one into each link table.
    """

    __tablename__ = "data_dataset_facets"

    dataset_id: Mapped[str] = mapped_column(
        ForeignKey("data_datasets.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(101), primary_key=True)
