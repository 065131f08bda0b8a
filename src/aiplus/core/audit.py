"""The append-only, hash-chained audit log.

Every write and every AI decision on the platform goes through :func:`record`, inside the same
transaction as the change it describes, so an audit entry exists exactly when the change does.
Each entry stores the SHA-256 of the previous one; ``prev_hash`` is unique, so the chain cannot
fork, and database triggers (see the migration) refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from aiplus.core.db import Base, utcnow

GENESIS = "0" * 64
_PG_LOCK_KEY = 0x41495041  # serialises appends on PostgreSQL


class AuditEntry(Base):
    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    org: Mapped[str | None] = mapped_column(String(63), default=None)
    action: Mapped[str] = mapped_column(String(100), index=True)
    target: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))

    def as_dict(self) -> dict[str, object]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "org": self.org,
            "action": self.action,
            "target": self.target,
            "detail": self.detail,
            "hash": self.hash,
        }


def entry_hash(
    prev_hash: str, at: datetime, actor: str, org: str | None, action: str, target: str,
    detail: dict[str, Any],
) -> str:
    """SHA-256 over a canonical JSON of the entry's content and its predecessor's hash."""
    body = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, org, action, target, detail],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    return last or GENESIS


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str = "",
    org: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry in the caller's transaction; the one door into the audit log."""
    detail = json.loads(json.dumps(detail or {}, default=str))
    at = utcnow()
    prev = _last_hash(session)
    entry = AuditEntry(
        at=at, actor=actor, org=org, action=action, target=target, detail=detail,
        prev_hash=prev, hash=entry_hash(prev, at, actor, org, action, target, detail),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str | None = None


def _entries(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def verify(session: Session) -> Verification:
    """Walk the chain from the start; report the first entry whose hash or link is wrong."""
    prev = GENESIS
    checked = 0
    for entry in _entries(session):
        if entry.prev_hash != prev:
            return Verification(False, checked, entry.seq, "link to previous entry is broken")
        expected = entry_hash(
            prev, entry.at, entry.actor, entry.org, entry.action, entry.target, entry.detail
        )
        if entry.hash != expected:
            return Verification(False, checked, entry.seq, "content does not match its hash")
        prev = entry.hash
        checked += 1
    return Verification(True, checked)
