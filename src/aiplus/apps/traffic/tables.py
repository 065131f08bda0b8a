"""The traffic app's tables: observations from every feed, quarantined records, ingestion
runs and the forecasts served to the map.

Observations are keyed by (source, series, time) so that overlapping feed snapshots and
re-polled files de-duplicate in the database itself, not only in memory. On PostgreSQL the
observation table is range-partitioned by month (see the migration), because a network of
hundreds of detectors at 30-second resolution grows by millions of rows a week and old
months must be cheap to drop.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aiplus.core.db import Base, utcnow


class Observation(Base):
    """One cleaned value of one series (a route's journey time, a detector lane's speed...)."""

    __tablename__ = "traffic_observations"

    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    series: Mapped[str] = mapped_column(String(120), primary_key=True)
    observed_at: Mapped[datetime] = mapped_column(primary_key=True)
    value: Mapped[float]
    ingested_at: Mapped[datetime] = mapped_column(default=utcnow)


class Quarantined(Base):
    """A record a parser refused, kept verbatim with the reason so an officer can see why."""

    __tablename__ = "traffic_quarantine"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(default=None, index=True)
    source: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200))
    record: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IngestRun(Base):
    """One poll of one feed location, with what was kept, merged, cleaned and refused."""

    __tablename__ = "traffic_ingest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20), index=True)
    location: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))
    files: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    placeholders: Mapped[int] = mapped_column(default=0)
    quarantined: Mapped[int] = mapped_column(default=0)
    gaps: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(500), default="")
    actor: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id, "source": self.source, "location": self.location,
            "status": self.status, "files": self.files, "accepted": self.accepted,
            "duplicates": self.duplicates, "placeholders": self.placeholders,
            "quarantined": self.quarantined, "gaps": self.gaps, "message": self.message,
            "actor": self.actor, "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class Forecast(Base):
    """A route's predicted journey time for one horizon from one forecast origin."""

    __tablename__ = "traffic_forecasts"

    route: Mapped[str] = mapped_column(String(60), primary_key=True)
    origin_time: Mapped[datetime] = mapped_column(primary_key=True)
    horizon_min: Mapped[int] = mapped_column(primary_key=True)
    predicted: Mapped[float]
    lower: Mapped[float]
    upper: Mapped[float]
    model: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
