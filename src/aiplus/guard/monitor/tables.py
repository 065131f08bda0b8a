"""Tables of the security monitor: incidents, alert rules and the alert outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aiplus.core.db import Base, utcnow


class Incident(Base):
    """One blocked, flagged or redacted call. ``text`` is always the redacted text."""

    __tablename__ = "guard_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    org: Mapped[str | None] = mapped_column(String(63), default=None, index=True)
    app: Mapped[str | None] = mapped_column(String(63), default=None)
    user: Mapped[str | None] = mapped_column(String(100), default=None)
    direction: Mapped[str] = mapped_column(String(10))
    scanner: Mapped[str] = mapped_column(String(40), index=True)
    outcome: Mapped[str] = mapped_column(String(10))  # blocked | flagged | redacted
    score: Mapped[float] = mapped_column(default=0.0)
    text: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.isoformat(), "org": self.org, "app": self.app,
                "user": self.user, "direction": self.direction, "scanner": self.scanner,
                "outcome": self.outcome, "score": round(self.score, 4), "text": self.text,
                "findings": self.findings.get("items", [])}


class AlertRule(Base):
    """Fire when at least ``threshold`` incidents (of ``scanner``, or any) happen in
    ``window_minutes`` in ``org`` (or anywhere, for platform rules)."""

    __tablename__ = "guard_alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str | None] = mapped_column(String(63), default=None, index=True)
    name: Mapped[str] = mapped_column(String(200))
    scanner: Mapped[str | None] = mapped_column(String(40), default=None)
    threshold: Mapped[int] = mapped_column(default=1)
    window_minutes: Mapped[int] = mapped_column(default=60)
    channel: Mapped[str] = mapped_column(String(10))  # webhook | email
    target: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    last_fired_at: Mapped[datetime | None] = mapped_column(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "org": self.org, "name": self.name, "scanner": self.scanner,
                "threshold": self.threshold, "window_minutes": self.window_minutes,
                "channel": self.channel, "target": self.target, "active": self.active,
                "created_by": self.created_by,
                "last_fired_at": self.last_fired_at.isoformat() if self.last_fired_at else None}


class AlertMessage(Base):
    """The outbox: every alert to send, with delivery attempts and the last error."""

    __tablename__ = "guard_alert_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("guard_alert_rules.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(500))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rule_id": self.rule_id, "created_at": self.created_at.isoformat(),
                "channel": self.channel, "target": self.target, "payload": self.payload,
                "status": self.status, "attempts": self.attempts, "last_error": self.last_error,
                "sent_at": self.sent_at.isoformat() if self.sent_at else None}
