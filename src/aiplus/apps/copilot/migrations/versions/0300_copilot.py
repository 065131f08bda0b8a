"""Document copilot: documents, chunks with vectors, outputs with provenance, ratings,
glossary.

Revision ID: 0300_copilot
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0300_copilot"
down_revision = "0001_core"
branch_labels = ("copilot",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copilot_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(300), nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("ocr_pages", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("flagged_chunks", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_copilot_documents"),
    )
    op.create_index("ix_copilot_documents_org", "copilot_documents", ["org"])
    op.create_index("ix_copilot_documents_owner", "copilot_documents", ["owner"])
    op.create_table(
        "copilot_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["copilot_documents.id"], ondelete="CASCADE",
                                name="fk_copilot_chunks_document_id_copilot_documents"),
        sa.PrimaryKeyConstraint("id", name="pk_copilot_chunks"),
        sa.UniqueConstraint("document_id", "seq", name="uq_copilot_chunks_document_id"),
    )
    op.create_index("ix_copilot_chunks_document_id", "copilot_chunks", ["document_id"])
    op.create_table(
        "copilot_outputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("route", sa.String(30), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("template", sa.String(60), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Double(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("faithfulness", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_copilot_outputs"),
    )
    op.create_index("ix_copilot_outputs_org", "copilot_outputs", ["org"])
    op.create_index("ix_copilot_outputs_actor", "copilot_outputs", ["actor"])
    op.create_table(
        "copilot_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("output_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["output_id"], ["copilot_outputs.id"], ondelete="CASCADE",
                                name="fk_copilot_ratings_output_id_copilot_outputs"),
        sa.PrimaryKeyConstraint("id", name="pk_copilot_ratings"),
        sa.UniqueConstraint("output_id", "actor", name="uq_copilot_ratings_output_id"),
    )
    op.create_index("ix_copilot_ratings_output_id", "copilot_ratings", ["output_id"])
    op.create_table(
        "copilot_glossary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("en", sa.String(200), nullable=False),
        sa.Column("zh", sa.String(200), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_copilot_glossary"),
        sa.UniqueConstraint("org", "en", name="uq_copilot_glossary_org"),
    )
    op.create_index("ix_copilot_glossary_org", "copilot_glossary", ["org"])


def downgrade() -> None:
    for table in ("copilot_glossary", "copilot_ratings", "copilot_outputs", "copilot_chunks",
                  "copilot_documents"):
        op.drop_table(table)
