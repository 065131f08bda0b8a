"""Spatial store: OGC API Features collections and their features (aiplus.data.spatial).

Revision ID: 0002_spatial
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0002_spatial"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_collections",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("dataset_id", sa.String(64), nullable=False),
        sa.Column("title_en", sa.String(500), nullable=False),
        sa.Column("title_zh", sa.String(500), nullable=False),
        sa.Column("minx", sa.Float(), nullable=True),
        sa.Column("miny", sa.Float(), nullable=True),
        sa.Column("maxx", sa.Float(), nullable=True),
        sa.Column("maxy", sa.Float(), nullable=True),
        sa.Column("feature_count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_collections"),
    )
    op.create_index("ix_data_collections_dataset_id", "data_collections", ["dataset_id"])
    op.create_table(
        "data_features",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("collection_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.Column("properties", sa.JSON(), nullable=False),
        sa.Column("minx", sa.Float(), nullable=True),
        sa.Column("miny", sa.Float(), nullable=True),
        sa.Column("maxx", sa.Float(), nullable=True),
        sa.Column("maxy", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["collection_id"], ["data_collections.id"], ondelete="CASCADE",
                                name="fk_data_features_collection_id_data_collections"),
        sa.PrimaryKeyConstraint("id", name="pk_data_features"),
        sa.UniqueConstraint("collection_id", "position", name="uq_data_features_collection_id"),
    )
    op.create_index("ix_data_features_collection_id", "data_features", ["collection_id"])
    for column in ("minx", "miny", "maxx", "maxy"):
        op.create_index(f"ix_data_features_{column}", "data_features", [column])


def downgrade() -> None:
    op.drop_table("data_features")
    op.drop_table("data_collections")
