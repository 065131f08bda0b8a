"""1823 enquiry service: knowledge bases, versioned FAQs, conversations, hand-overs, voice
calls and the SMS outbox.

Revision ID: 0200_enquiry
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0200_enquiry"
down_revision = "0001_core"
branch_labels = ("enquiry",)
depends_on = None


def _kb_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["kb_id"], ["enquiry_kbs.id"], ondelete="CASCADE",
                                   name=f"fk_{table}_kb_id_enquiry_kbs")


def upgrade() -> None:
    op.create_table(
        "enquiry_kbs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("title_en", sa.String(200), nullable=False),
        sa.Column("title_zh", sa.String(200), nullable=False),
        sa.Column("org", sa.String(63), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_enquiry_kbs"),
        sa.UniqueConstraint("name", name="uq_enquiry_kbs_name"),
    )
    op.create_index("ix_enquiry_kbs_org", "enquiry_kbs", ["org"])
    op.create_table(
        "enquiry_faqs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kb_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("live_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _kb_fk("enquiry_faqs"),
        sa.PrimaryKeyConstraint("id", name="pk_enquiry_faqs"),
        sa.UniqueConstraint("kb_id", "key", name="uq_enquiry_faqs_kb_id"),
    )
    op.create_table(
        "enquiry_faq_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("faq_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("question_en", sa.Text(), nullable=True),
        sa.Column("question_zh", sa.Text(), nullable=True),
        sa.Column("answer_en", sa.Text(), nullable=True),
        sa.Column("answer_zh", sa.Text(), nullable=True),
        sa.Column("phrasings", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("department", sa.String(100), nullable=True),
        sa.Column("source_url", sa.String(1000), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("edited_by", sa.String(100), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["faq_id"], ["enquiry_faqs.id"], ondelete="CASCADE",
                                name="fk_enquiry_faq_versions_faq_id_enquiry_faqs"),
        sa.PrimaryKeyConstraint("id", name="pk_enquiry_faq_versions"),
        sa.UniqueConstraint("faq_id", "number", name="uq_enquiry_faq_versions_faq_id"),
    )
    op.create_index("ix_enquiry_faq_versions_status", "enquiry_faq_versions", ["status"])
    op.create_table(
        "enquiry_conversations",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kb_id", sa.Integer(), nullable=False),
        sa.Column("turns", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _kb_fk("enquiry_conversations"),
        sa.PrimaryKeyConstraint("id", name="pk_enquiry_conversations"),
    )
    op.create_index("ix_enquiry_conversations_updated_at", "enquiry_conversations",
                    ["updated_at"])
    op.create_table(
        "enquiry_handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("kb_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("question_key", sa.String(200), nullable=False),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("department", sa.String(100), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("handled_by", sa.String(100), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _kb_fk("enquiry_handovers"),
        sa.PrimaryKeyConstraint("id", name="pk_enquiry_handovers"),
        sa.UniqueConstraint("reference", name="uq_enquiry_handovers_reference"),
    )
    op.create_index("ix_enquiry_handovers_question_key", "enquiry_handovers", ["question_key"])
    op.create_index("ix_enquiry_handovers_status", "enquiry_handovers", ["status"])
    op.create_table(
        "enquiry_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(20), nullable=False),
        sa.Column("kb_id", sa.Integer(), nullable=False),
        sa.Column("audio_key", sa.String(200), nullable=False),
        sa.Column("audio_format", sa.String(20), nullable=False),
        sa.Column("duration", sa.Double(), nullable=False),
        sa.Column("transcript", sa.Text(), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("asr_confidence", sa.Double(), nullable=False),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("department", sa.String(100), nullable=True),
        sa.Column("faq_key", sa.String(100), nullable=True),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("reply_text", sa.Text(), nullable=False),
        sa.Column("reply_mode", sa.String(10), nullable=False),
        sa.Column("sms_id", sa.Integer(), nullable=True),
        sa.Column("voice_key", sa.String(200), nullable=True),
        sa.Column("handover_reference", sa.String(20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _kb_fk("enquiry_calls"),
        sa.PrimaryKeyConstraint("id", name="pk_enquiry_calls"),
        sa.UniqueConstraint("reference", name="uq_enquiry_calls_reference"),
    )
    op.create_table(
        "enquiry_sms_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(20), nullable=False),
        sa.Column("destination_masked", sa.String(20), nullable=False),
        sa.Column("encoding", sa.String(10), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("characters", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_enquiry_sms_outbox"),
    )
    op.create_index("ix_enquiry_sms_outbox_status", "enquiry_sms_outbox", ["status"])


def downgrade() -> None:
    for table in ("enquiry_sms_outbox", "enquiry_calls", "enquiry_handovers",
                  "enquiry_conversations", "enquiry_faq_versions", "enquiry_faqs", "enquiry_kbs"):
        op.drop_table(table)
