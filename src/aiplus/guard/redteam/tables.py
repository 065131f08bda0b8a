"""Tables of red-team runs, their per-probe results and re-run schedules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aiplus.core.db import Base, utcnow


class RedteamRun(Base):
    __tablename__ = "guard_redteam_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    org: Mapped[str | None] = mapped_column(String(63), default=None, index=True)
    target: Mapped[dict[str, Any]] = mapped_column(default=dict)
    categories: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"categories", "langs"}
    status: Mapped[str] = mapped_column(String(12), default="queued")
    job_id: Mapped[str | None] = mapped_column(String(32), default=None)
    schedule_id: Mapped[int | None] = mapped_column(default=None)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    results_key: Mapped[str | None] = mapped_column(String(300), default=None)
    report_key: Mapped[str | None] = mapped_column(String(300), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "created_at": self.created_at.isoformat(), "actor": self.actor,
                "org": self.org, "target": self.target, "selection": self.categories,
                "status": self.status, "job_id": self.job_id, "schedule_id": self.schedule_id,
                "summary": self.summary, "results_key": self.results_key,
                "report_key": self.report_key,
                "finished_at": self.finished_at.isoformat() if self.finished_at else None}


class RedteamResult(Base):
    __tablename__ = "guard_redteam_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("guard_redteam_runs.id", ondelete="CASCADE"),
                                        index=True)
    probe_id: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(10))
    verdict: Mapped[str] = mapped_column(String(12))  # blocked | refused | leaked | complied | error
    response: Mapped[str] = mapped_column(Text, default="")  # redacted

    def as_dict(self) -> dict[str, Any]:
        return {"probe_id": self.probe_id, "category": self.category, "lang": self.lang,
                "verdict": self.verdict, "response": self.response}


class RedteamSchedule(Base):
    __tablename__ = "guard_redteam_schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str | None] = mapped_column(String(63), default=None)
    target: Mapped[dict[str, Any]] = mapped_column(default=dict)
    categories: Mapped[dict[str, Any]] = mapped_column(default=dict)
    interval_hours: Mapped[int] = mapped_column(default=168)
    next_due_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(100))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "org": self.org, "target": self.target,
                "selection": self.categories, "interval_hours": self.interval_hours,
                "next_due_at": self.next_due_at.isoformat(), "active": self.active,
                "created_by": self.created_by}
