"""The forms service's tables: submissions (one read page each, with its encrypted image) and
officers' corrections (the training data the review queue produces)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aiplus.core.db import Base, utcnow


class Submission(Base):
    __tablename__ = "forms_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    """Unguessable: the applicant tracks their application with it."""
    org: Mapped[str] = mapped_column(String(63), index=True)
    template: Mapped[str] = mapped_column(String(63))
    template_version: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), index=True)
    submitted_by: Mapped[str] = mapped_column(String(100))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    reasons: Mapped[list[Any]] = mapped_column(JSON)
    quality: Mapped[dict[str, Any]] = mapped_column(JSON)
    image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """The prepared page, Fernet-encrypted; removed by the retention job."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    purge_after: Mapped[datetime]
    reviewed_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    review_note: Mapped[str] = mapped_column(Text, default="")


class Correction(Base):
    __tablename__ = "forms_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("forms_submissions.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(63))
    read_value: Mapped[str] = mapped_column(Text)
    corrected_value: Mapped[str] = mapped_column(Text)
    officer: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
