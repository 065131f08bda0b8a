"""Gateway tables: organisation-owned API keys with quotas, and the per-call usage ledger.

The ledger is also the quota counter: a call is admitted by inserting its ledger row while the
key's row is locked, so concurrent calls cannot count past a limit together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow
from aiplus.core.identity import Organisation


class GatewayKey(Base):
    __tablename__ = "gateway_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                        index=True)
    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    requests_per_minute: Mapped[int | None] = mapped_column(default=None)
    requests_per_day: Mapped[int | None] = mapped_column(default=None)
    tokens_per_minute: Mapped[int | None] = mapped_column(default=None)
    tokens_per_day: Mapped[int | None] = mapped_column(default=None)
    max_prompt_chars: Mapped[int] = mapped_column(default=32_000)
    allowed_models: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(63))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "org": self.organisation.slug, "hint": self.hint,
            "quotas": {"requests_per_minute": self.requests_per_minute,
                       "requests_per_day": self.requests_per_day,
                       "tokens_per_minute": self.tokens_per_minute,
                       "tokens_per_day": self.tokens_per_day,
                       "max_prompt_chars": self.max_prompt_chars},
            "allowed_models": list(self.allowed_models or []), "active": self.active,
            "created_by": self.created_by, "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


class GatewayUsage(Base):
    __tablename__ = "gateway_usage"
    __table_args__ = (Index("ix_gateway_usage_key_at", "key_id", "at"),
                      Index("ix_gateway_usage_org_at", "org_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    key_id: Mapped[int | None] = mapped_column(
        ForeignKey("gateway_keys.id", ondelete="SET NULL"), default=None)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), default=None)
    user: Mapped[str | None] = mapped_column(String(63), default=None)
    endpoint: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(100))
    prompt_tokens: Mapped[int] = mapped_column(default=0)
    completion_tokens: Mapped[int] = mapped_column(default=0)
    latency_ms: Mapped[float | None] = mapped_column(default=None)
    ttft_ms: Mapped[float | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(40), default="pending")
