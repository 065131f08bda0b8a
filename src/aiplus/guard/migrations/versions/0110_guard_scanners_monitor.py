"""Guardrail policies, security incidents, alert rules and outbox, red-team runs.

Revision ID: 0110_guard_scanners
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0110_guard_scanners"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guard_policies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("org", sa.String(63), nullable=True, index=True),
        sa.Column("app", sa.String(63), nullable=True),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org", "app", name="uq_guard_policies_org_app"),
    )
    op.create_table(
        "guard_incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("org", sa.String(63), nullable=True, index=True),
        sa.Column("app", sa.String(63), nullable=True),
        sa.Column("user", sa.String(100), nullable=True),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("scanner", sa.String(40), nullable=False, index=True),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
    )
    op.create_table(
        "guard_alert_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("org", sa.String(63), nullable=True, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("scanner", sa.String(40), nullable=True),
        sa.Column("threshold", sa.Integer, nullable=False),
        sa.Column("window_minutes", sa.Integer, nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("last_fired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "guard_alert_outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("rule_id", sa.Integer,
                  sa.ForeignKey("guard_alert_rules.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "guard_redteam_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("org", sa.String(63), nullable=True, index=True),
        sa.Column("target", sa.JSON, nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("job_id", sa.String(32), nullable=True),
        sa.Column("schedule_id", sa.Integer, nullable=True),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("results_key", sa.String(300), nullable=True),
        sa.Column("report_key", sa.String(300), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "guard_redteam_results",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer,
                  sa.ForeignKey("guard_redteam_runs.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("probe_id", sa.String(40), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("verdict", sa.String(12), nullable=False),
        sa.Column("response", sa.Text, nullable=False),
    )
    op.create_table(
        "guard_redteam_schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("org", sa.String(63), nullable=True),
        sa.Column("target", sa.JSON, nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("interval_hours", sa.Integer, nullable=False),
        sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
    )


def downgrade() -> None:
    for table in ("guard_redteam_schedules", "guard_redteam_results", "guard_redteam_runs",
                  "guard_alert_outbox", "guard_alert_rules", "guard_incidents",
                  "guard_policies"):
        op.drop_table(table)
