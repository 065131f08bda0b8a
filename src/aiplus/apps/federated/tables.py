"""Governance tables of federated learning: who takes part, on what terms, what each round did.

A coordinator organisation (e.g. a banking association) keeps the registry of participants,
their consent and data-use agreements, every run with its settings and results, and one row
per round: who joined, the norm of each update, what was rejected and why, and the privacy
budget spent so far. Updates themselves are never stored.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, Double, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow


class AgreementKind(StrEnum):
    CONSENT = "consent"
    DATA_USE = "data-use"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Participant(Base):
    __tablename__ = "fl_participants"
    __table_args__ = (UniqueConstraint("org", "name", name="uq_fl_participants_org"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str] = mapped_column(String(63), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    contact: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    agreements: Mapped[list[Agreement]] = relationship(back_populates="participant",
                                                       order_by="Agreement.id")

    def covered(self, on: date) -> bool:
        """Signed consent and data-use agreements that are in force on ``on``."""
        kinds = {a.kind for a in self.agreements if a.in_force(on)}
        return {AgreementKind.CONSENT.value, AgreementKind.DATA_USE.value} <= kinds

    def as_dict(self, on: date) -> dict[str, Any]:
        return {"id": self.id, "org": self.org, "name": self.name, "kind": self.kind,
                "contact": self.contact, "ready": self.covered(on),
                "agreements": [a.as_dict() for a in self.agreements]}


class Agreement(Base):
    __tablename__ = "fl_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("fl_participants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(Text)
    signed_by: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    participant: Mapped[Participant] = relationship(back_populates="agreements")

    def in_force(self, on: date) -> bool:
        return self.signed_on <= on and (self.expires_on is None or on <= self.expires_on)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "purpose": self.purpose,
                "signed_by": self.signed_by, "signed_on": self.signed_on.isoformat(),
                "expires_on": self.expires_on.isoformat() if self.expires_on else None}


class Run(Base):
    __tablename__ = "fl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str] = mapped_column(String(63), index=True)
    created_by: Mapped[str] = mapped_column(String(150))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.QUEUED.value)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    participant_ids: Mapped[list[int]] = mapped_column(JSON)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    model_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    model_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)
    rounds: Mapped[list[RoundRecord]] = relationship(back_populates="run",
                                                     order_by="RoundRecord.number")

    def summary(self) -> dict[str, Any]:
        results = self.results or {}
        return {"id": self.id, "org": self.org, "status": self.status,
                "created_by": self.created_by, "created_at": self.created_at.isoformat(),
                "settings": self.settings, "participant_ids": self.participant_ids,
                "federated": results.get("federated"), "centralised": results.get("centralised"),
                "epsilon": (results.get("privacy") or {}).get("epsilon"),
                "model": ({"name": self.model_name, "version": self.model_version}
                          if self.model_name else None),
                "error": self.error, "job_id": self.job_id}


class RoundRecord(Base):
    __tablename__ = "fl_rounds"
    __table_args__ = (UniqueConstraint("run_id", "number", name="uq_fl_rounds_run_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("fl_runs.id", ondelete="CASCADE"),
                                        index=True)
    number: Mapped[int]
    joined: Mapped[list[str]] = mapped_column(JSON)
    norms: Mapped[dict[str, Any]] = mapped_column(JSON)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    failures: Mapped[list[str]] = mapped_column(JSON)
    epsilon_spent: Mapped[float | None] = mapped_column(Double, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    run: Mapped[Run] = relationship(back_populates="rounds")

    def as_dict(self) -> dict[str, Any]:
        return {"round": self.number, "joined": self.joined, "norms": self.norms,
                "rejected": self.rejected, "failures": self.failures,
                "epsilon_spent": self.epsilon_spent}
