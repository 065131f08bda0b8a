"""Responsible AI: the model registry, assurance results, impact assessments and drift checks.

Revision ID: 0500_responsible
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

from aiplus.core.db import UTCDateTime

revision = "0500_responsible"
down_revision = "0001_core"
branch_labels = ("responsible-ai",)
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
        sa.Column("created_at", UTCDateTime(), nullable=False),
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
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("status_changed_at", UTCDateTime(), nullable=False),
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
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _version_fk("assurance_results"),
        sa.PrimaryKeyConstraint("id", name="pk_assurance_results"),
    )
    op.create_index("ix_assurance_results_version_id", "assurance_results", ["version_id"])
    op.create_table(
        "impact_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("questionnaire", sa.String(63), nullable=False),
        sa.Column("questionnaire_version", sa.String(20), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("raw_impact", sa.Double(), nullable=False),
        sa.Column("mitigation", sa.Double(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("requirements", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted_by", sa.String(100), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=True),
        sa.Column("reviewer", sa.String(100), nullable=True),
        sa.Column("reviewed_at", UTCDateTime(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _version_fk("impact_assessments"),
        sa.PrimaryKeyConstraint("id", name="pk_impact_assessments"),
    )
    op.create_index("ix_impact_assessments_version_id", "impact_assessments", ["version_id"])
    op.create_index("ix_impact_assessments_org", "impact_assessments", ["org"])
    op.create_table(
        "drift_monitors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("reference_key", sa.String(200), nullable=False),
        sa.Column("recent_key", sa.String(200), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("prediction_column", sa.String(100), nullable=True),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("interval_hours", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_checked_at", UTCDateTime(), nullable=True),
        _version_fk("drift_monitors"),
        sa.PrimaryKeyConstraint("id", name="pk_drift_monitors"),
        sa.UniqueConstraint("version_id", name="uq_drift_monitors_version_id"),
    )
    op.create_table(
        "drift_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("monitor_id", sa.Integer(), nullable=False),
        sa.Column("drifted", sa.Boolean(), nullable=False),
        sa.Column("share_drifted", sa.Double(), nullable=False),
        sa.Column("output", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["monitor_id"], ["drift_monitors.id"], ondelete="CASCADE",
                                name="fk_drift_checks_monitor_id_drift_monitors"),
        sa.PrimaryKeyConstraint("id", name="pk_drift_checks"),
    )
    op.create_index("ix_drift_checks_monitor_id", "drift_checks", ["monitor_id"])


def downgrade() -> None:
    for table in ("drift_checks", "drift_monitors", "impact_assessments", "assurance_results",
                  "registry_versions", "registry_models"):
        op.drop_table(table)
