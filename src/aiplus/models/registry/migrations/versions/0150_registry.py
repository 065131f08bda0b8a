"""The model registry's tables: models, versions and their assurance results.

Until platform contract v2 these were created by revision ``0500_responsible`` of the
responsible-AI app; that revision (now the ethics pillar's) follows this one, so a database that
already holds ``0500_responsible`` holds this revision too and is not changed.

Revision ID: 0150_registry
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0150_registry"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def _version_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["version_id"], ["registry_versions.id"], ondelete="CASCADE",
                                   name=f"fk_{table}_version_id_registry_versions")


def upgrade() -> None:
    op.create_table(
        "registry_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("app", sa.String(63), nullable=True),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_models"),
        sa.UniqueConstraint("name", name="uq_registry_models_name"),
    )
    op.create_index("ix_registry_models_org", "registry_models", ["org"])
    op.create_index("ix_registry_models_app", "registry_models", ["app"])
    op.create_table(
        "registry_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("artefact_key", sa.String(200), nullable=True),
        sa.Column("artefact_sha256", sa.String(64), nullable=True),
        sa.Column("artefact_size", sa.Integer(), nullable=True),
        sa.Column("lineage", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["model_id"], ["registry_models.id"], ondelete="CASCADE",
                                name="fk_registry_versions_model_id_registry_models"),
        sa.PrimaryKeyConstraint("id", name="pk_registry_versions"),
        sa.UniqueConstraint("model_id", "version", name="uq_registry_versions_model_id"),
    )
    op.create_index("ix_registry_versions_status", "registry_versions", ["status"])
    op.create_table(
        "assurance_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("plugin", sa.String(40), nullable=False),
        sa.Column("plugin_version", sa.String(20), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("output", sa.JSON(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _version_fk("assurance_results"),
        sa.PrimaryKeyConstraint("id", name="pk_assurance_results"),
    )
    op.create_index("ix_assurance_results_version_id", "assurance_results", ["version_id"])


def downgrade() -> None:
    for table in ("assurance_results", "registry_versions", "registry_models"):
        op.drop_table(table)
