"""The ethics pillar's tables: impact assessments and drift monitoring of registered models.

The revision keeps the id it had when the responsible-AI app created these tables together with
the registry's, so existing databases need no step: it now follows the registry's revision, which
a database holding this one therefore holds too.

Revision ID: 0500_responsible
Revises: 0150_registry
"""

import sqlalchemy as sa
from alembic import op


revision = "0500_responsible"
down_revision = "0150_registry"
branch_labels = ("ethics",)
depends_on = None


def _version_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["version_id"], ["registry_versions.id"], ondelete="CASCADE",
                                   name=f"fk_{table}_version_id_registry_versions")


def upgrade() -> None:
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
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewer", sa.String(100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
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
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["monitor_id"], ["drift_monitors.id"], ondelete="CASCADE",
                                name="fk_drift_checks_monitor_id_drift_monitors"),
        sa.PrimaryKeyConstraint("id", name="pk_drift_checks"),
    )
    op.create_index("ix_drift_checks_monitor_id", "drift_checks", ["monitor_id"])


def downgrade() -> None:
    for table in ("drift_checks", "drift_monitors", "impact_assessments"):
        op.drop_table(table)
