"""Drift monitors (a deployed version's reference and recent data) and their checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aiplus.core.db import Base, utcnow
from aiplus.models.registry.tables import ModelVersion


class DriftMonitor(Base):
    __tablename__ = "drift_monitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("registry_versions.id", ondelete="CASCADE"), unique=True)
    reference_key: Mapped[str] = mapped_column(String(200))
    recent_key: Mapped[str | None] = mapped_column(String(200), default=None)
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    prediction_column: Mapped[str | None] = mapped_column(String(100), default=None)
    threshold: Mapped[float] = mapped_column(default=0.5)
    interval_hours: Mapped[int] = mapped_column(default=24)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_checked_at: Mapped[datetime | None] = mapped_column(default=None)
    model_version: Mapped[ModelVersion] = relationship(lazy="joined")
    checks: Mapped[list[DriftCheck]] = relationship(
        back_populates="monitor", order_by="DriftCheck.id", lazy="selectin",
        cascade="all, delete-orphan")

    def as_dict(self) -> dict[str, Any]:
        last = self.checks[-1] if self.checks else None
        return {"id": self.id, "model": self.model_version.ref, "columns": self.columns,
                "prediction_column": self.prediction_column, "threshold": self.threshold,
                "interval_hours": self.interval_hours,
                "has_recent_data": self.recent_key is not None,
                "last_checked_at": self.last_checked_at.isoformat()
                if self.last_checked_at else None,
                "last_check": last.as_dict() if last else None}


class DriftCheck(Base):
    __tablename__ = "drift_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    monitor_id: Mapped[int] = mapped_column(
        ForeignKey("drift_monitors.id", ondelete="CASCADE"), index=True)
    drifted: Mapped[bool] = mapped_column(default=False)
    share_drifted: Mapped[float] = mapped_column(default=0.0)
    output: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    monitor: Mapped[DriftMonitor] = relationship(back_populates="checks", lazy="joined")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "drifted": self.drifted, "share_drifted": self.share_drifted,
                "output": self.output, "created_by": self.created_by,
                "created_at": self.created_at.isoformat()}
