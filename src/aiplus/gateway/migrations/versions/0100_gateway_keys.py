"""GenAI gateway: organisation API keys with quotas, and the per-call usage ledger.

Revision ID: 0100_gateway_keys
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op


revision = "0100_gateway_keys"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gateway_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("hint", sa.String(12), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=True),
        sa.Column("requests_per_day", sa.Integer(), nullable=True),
        sa.Column("tokens_per_minute", sa.Integer(), nullable=True),
        sa.Column("tokens_per_day", sa.Integer(), nullable=True),
        sa.Column("max_prompt_chars", sa.Integer(), nullable=False),
        sa.Column("allowed_models", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(63), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], ondelete="CASCADE",
                                name="fk_gateway_keys_org_id_organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_keys"),
        sa.UniqueConstraint("digest", name="uq_gateway_keys_digest"),
    )
    op.create_index("ix_gateway_keys_org_id", "gateway_keys", ["org_id"])
    op.create_table(
        "gateway_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("user", sa.String(63), nullable=True),
        sa.Column("endpoint", sa.String(40), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Double(), nullable=True),
        sa.Column("ttft_ms", sa.Double(), nullable=True),
        sa.Column("status", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(["key_id"], ["gateway_keys.id"], ondelete="SET NULL",
                                name="fk_gateway_usage_key_id_gateway_keys"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], ondelete="SET NULL",
                                name="fk_gateway_usage_org_id_organisations"),
        sa.PrimaryKeyConstraint("id", name="pk_gateway_usage"),
    )
    op.create_index("ix_gateway_usage_key_at", "gateway_usage", ["key_id", "at"])
    op.create_index("ix_gateway_usage_org_at", "gateway_usage", ["org_id", "at"])


def downgrade() -> None:
    op.drop_table("gateway_usage")
    op.drop_table("gateway_keys")
