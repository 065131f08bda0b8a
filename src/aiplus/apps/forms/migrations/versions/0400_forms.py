"""Form processing with OCR: submissions (encrypted page images) and officers' corrections.

Revision ID: 0400_forms
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0400_forms"
down_revision = "0001_core"
branch_labels = ("forms",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forms_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("template", sa.String(63), nullable=False),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("submitted_by", sa.String(100), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("quality", sa.JSON(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purge_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_forms_submissions"),
        sa.UniqueConstraint("reference", name="uq_forms_submissions_reference"),
    )
    op.create_index("ix_forms_submissions_org", "forms_submissions", ["org"])
    op.create_index("ix_forms_submissions_status", "forms_submissions", ["status"])
    op.create_table(
        "forms_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(63), nullable=False),
        sa.Column("read_value", sa.Text(), nullable=False),
        sa.Column("corrected_value", sa.Text(), nullable=False),
        sa.Column("officer", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["forms_submissions.id"], ondelete="CASCADE",
                                name="fk_forms_corrections_submission_id_forms_submissions"),
        sa.PrimaryKeyConstraint("id", name="pk_forms_corrections"),
    )
    op.create_index("ix_forms_corrections_submission_id", "forms_corrections",
                    ["submission_id"])


def downgrade() -> None:
    op.drop_table("forms_corrections")
    op.drop_table("forms_submissions")
