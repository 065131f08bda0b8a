"""An impact assessment of one model version: answers, scores, evidence and sign-off."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow
from aiplus.models.registry.tables import ModelVersion


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class ImpactAssessment(Base):
    __tablename__ = "impact_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("registry_versions.id", ondelete="CASCADE"), index=True)
    org: Mapped[str] = mapped_column(String(63), index=True)
    questionnaire: Mapped[str] = mapped_column(String(63))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    raw_impact: Mapped[float] = mapped_column(default=0.0)
    mitigation: Mapped[float] = mapped_column(default=0.0)
    score: Mapped[float] = mapped_column(default=0.0)
    level: Mapped[int] = mapped_column(default=1)
    requirements: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=AssessmentStatus.DRAFT.value)
    submitted_by: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    reviewer: Mapped[str | None] = mapped_column(String(100), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    review_note: Mapped[str] = mapped_column(Text, default="")
    next_review_on: Mapped[date | None] = mapped_column(Date, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    model_version: Mapped[ModelVersion] = relationship(lazy="joined")

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "model": self.model_version.ref, "org": self.org,
            "questionnaire": self.questionnaire,
            "questionnaire_version": self.questionnaire_version,
            "answers": self.answers, "raw_impact": self.raw_impact,
            "mitigation": self.mitigation, "score": self.score, "level": self.level,
            "level_name": ("I", "II", "III", "IV")[self.level - 1],
            "requirements": self.requirements, "evidence": self.evidence,
            "status": self.status, "submitted_by": self.submitted_by,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "reviewer": self.reviewer,
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
            "review_note": self.review_note,
            "next_review_on": self.next_review_on.isoformat() if self.next_review_on else None,
            "created_at": self.created_at.isoformat(),
        }
