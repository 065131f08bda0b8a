"""Store parsed feed files: de-duplicate, count gaps, quarantine refusals, all in one
transaction per poll so a failure leaves nothing half-written.

On PostgreSQL the monthly partition for each month seen is created before rows go in (the
default partition only catches what could not get one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from aiplus.apps.traffic.ingest.feeds import PARSERS, Parsed
from aiplus.apps.traffic.tables import IngestRun, Observation, Quarantined
from aiplus.core import audit
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import AiplusError, ValidationFailed
from aiplus.core.i18n import N_

PARTITION_SCHEMA = "traffic_partitions"
GAP_FACTOR = 3
TIMEZONE = "Asia/Hong_Kong"


@dataclass(frozen=True)
class FeedFile:
    name: str
    data: bytes


def to_utc(local: datetime) -> datetime:
    """Feed times are Hong Kong local time; the database stores UTC."""
    return pd.Timestamp(local).tz_localize(TIMEZONE).tz_convert(UTC).to_pydatetime()


def ensure_partitions(session: Session, times: list[datetime]) -> None:
    """Create the monthly partitions these times need (PostgreSQL only)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for month in sorted({(t.year, t.month) for t in times}):
        start = datetime(month[0], month[1], 1, tzinfo=UTC)
        end = datetime(month[0] + month[1] // 12, month[1] % 12 + 1, 1, tzinfo=UTC)
        name = f"traffic_observations_y{month[0]}m{month[1]:02d}"
        exists = session.execute(text("SELECT to_regclass(:name)"),
                                 {"name": f"{PARTITION_SCHEMA}.{name}"}).scalar()
        if exists is None:
            session.execute(text(
                f"CREATE TABLE {PARTITION_SCHEMA}.{name} PARTITION OF traffic_observations "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"))


def _gaps(rows: dict[tuple[str, datetime], float]) -> int:
    """Holes longer than three typical spacings, summed over the series of this poll."""
    by_series: dict[str, list[datetime]] = defaultdict(list)
    for series, when in rows:
        by_series[series].append(when)
    found = 0
    for stamps in by_series.values():
        if len(stamps) < 3:
            continue
        spacing = pd.Series(sorted(stamps)).diff().dropna()
        typical = spacing.median()
        found += int((spacing > typical * GAP_FACTOR).sum()) if typical.total_seconds() else 0
    return found


def ingest(db: Database, source: str, files: list[FeedFile], actor: str, location: str
           ) -> IngestRun:
    """Parse and store feed files of one source; returns the run with its counts."""
    parser = PARSERS.get(source)
    if parser is None:
        raise ValidationFailed(N_("Unknown feed source {source}."), source=source)
    parsed: list[Parsed] = []
    refused_files: list[tuple[str, str]] = []
    for feed in files:
        try:
            parsed.append(parser(feed.data))
        except AiplusError as problem:
            refused_files.append((str(problem)[:200], f"{feed.name}: {feed.data[:500]!r}"))
    rows: dict[tuple[str, datetime], float] = {}
    seen = 0
    for result in parsed:
        for series, when, value in result.rows:
            seen += 1
            rows[(series, to_utc(when))] = value
    with db.transaction() as session:
        run = IngestRun(source=source, location=location[:500], status="running", actor=actor,
                        files=len(files))
        session.add(run)
        session.flush()
        existing = _existing(session, source, rows)
        fresh = {key: value for key, value in rows.items() if key not in existing}
        ensure_partitions(session, [when for _, when in fresh])
        session.add_all(Observation(source=source, series=series[:120], observed_at=when,
                                    value=value) for (series, when), value in fresh.items())
        refusals = refused_files + [item for result in parsed for item in result.refused]
        session.add_all(Quarantined(run_id=run.id, source=source, reason=reason[:200],
                                    record=record) for reason, record in refusals)
        run.accepted = len(fresh)
        run.duplicates = seen - len(fresh)
        run.placeholders = sum(result.placeholders for result in parsed)
        run.quarantined = len(refusals)
        run.gaps = _gaps(rows)
        run.status = "failed" if files and len(refused_files) == len(files) else "succeeded"
        run.message = refused_files[0][0] if refused_files else ""
        run.finished_at = utcnow()
        audit.record(session, actor=actor, action="traffic.ingest", target=str(run.id),
                     detail=run.as_dict())
    return run


def _existing(session: Session, source: str, rows: dict[tuple[str, datetime], float]
              ) -> set[tuple[str, datetime]]:
    """Keys already stored (feeds repeat snapshots; a re-poll must add nothing)."""
    if not rows:
        return set()
    times = [when for _, when in rows]
    stored = session.execute(
        select(Observation.series, Observation.observed_at).where(
            Observation.source == source, Observation.observed_at >= min(times),
            Observation.observed_at <= max(times),
            Observation.series.in_({series for series, _ in rows})))
    return {(series, when) for series, when in stored}


def series_frame(db: Database, source: str, series: list[str] | None = None,
                 since: datetime | None = None) -> pd.DataFrame:
    """Stored observations as a wide frame in Hong Kong local time (columns = series)."""
    query = select(Observation.series, Observation.observed_at, Observation.value).where(
        Observation.source == source)
    if series:
        query = query.where(Observation.series.in_(series))
    if since:
        query = query.where(Observation.observed_at >= since)
    with db.read() as session:
        frame = pd.DataFrame(session.execute(query).all(), columns=["series", "t", "v"])
    if frame.empty:
        return pd.DataFrame()
    frame["t"] = pd.to_datetime(frame["t"], utc=True).dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return frame.pivot_table(index="t", columns="series", values="v", aggfunc="mean")
