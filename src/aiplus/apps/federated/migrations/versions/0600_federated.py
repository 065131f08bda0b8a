"""Federated learning: participants, agreements, runs and their round-by-round journal.

Revision ID: 0600_federated
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0600_federated"
down_revision = "0001_core"
branch_labels = ("federated",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fl_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("contact", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fl_participants"),
        sa.UniqueConstraint("org", "name", name="uq_fl_participants_org"),
    )
    op.create_index("ix_fl_participants_org", "fl_participants", ["org"])
    op.create_table(
        "fl_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("signed_by", sa.String(200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(150), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["participant_id"], ["fl_participants.id"], ondelete="CASCADE",
                                name="fk_fl_agreements_participant_id_fl_participants"),
        sa.PrimaryKeyConstraint("id", name="pk_fl_agreements"),
    )
    op.create_index("ix_fl_agreements_participant_id", "fl_agreements", ["participant_id"])
    op.create_table(
        "fl_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("created_by", sa.String(150), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("participant_ids", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("job_id", sa.String(64), nullable=True),
        sa.Column("model_name", sa.String(100), nullable=True),
        sa.Column("model_version", sa.String(40), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_fl_runs"),
    )
    op.create_index("ix_fl_runs_org", "fl_runs", ["org"])
    op.create_table(
        "fl_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("joined", sa.JSON(), nullable=False),
        sa.Column("norms", sa.JSON(), nullable=False),
        sa.Column("rejected", sa.JSON(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("epsilon_spent", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["fl_runs.id"], ondelete="CASCADE",
                                name="fk_fl_rounds_run_id_fl_runs"),
        sa.PrimaryKeyConstraint("id", name="pk_fl_rounds"),
        sa.UniqueConstraint("run_id", "number", name="uq_fl_rounds_run_id"),
    )
    op.create_index("ix_fl_rounds_run_id", "fl_rounds", ["run_id"])


def downgrade() -> None:
    op.drop_table("fl_rounds")
    op.drop_table("fl_runs")
    op.drop_table("fl_agreements")
    op.drop_table("fl_participants")
