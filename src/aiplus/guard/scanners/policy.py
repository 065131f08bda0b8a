"""Guardrail policies per organisation and application, stored in ``guard_policies``.

Lookup falls back from the most specific row to the least: (org, app), (org, any app),
(any org, app), (any org, any app), and finally :data:`DEFAULT`, so a platform works safely
before anyone writes a policy. A policy says which scanners run, each one's threshold and
action (block, flag or redact) and which topics are banned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from aiplus.core.db import Base, utcnow
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.guard.scanners.topics import Topic

SCANNERS = ("injection", "exfiltration", "indirect_injection", "secrets", "topics", "pii_leak",
            "canary")
ACTIONS = ("block", "flag", "redact")
MAX_TOPICS = 50
MAX_DESCRIPTIONS = 20
MAX_DESCRIPTION_CHARS = 300


class GuardPolicy(Base):
    __tablename__ = "guard_policies"
    __table_args__ = (UniqueConstraint("org", "app", name="uq_guard_policies_org_app"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org: Mapped[str | None] = mapped_column(String(63), default=None, index=True)
    app: Mapped[str | None] = mapped_column(String(63), default=None)
    body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "org": self.org, "app": self.app, **self.body,
                "updated_by": self.updated_by, "updated_at": self.updated_at.isoformat()}


@dataclass(frozen=True)
class Policy:
    """What one (org, app) pair runs: enabled scanners, thresholds, actions, banned topics."""

    scanners: tuple[str, ...] = SCANNERS
    thresholds: dict[str, float] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)
    topics: tuple[Topic, ...] = ()
    source: str = "default"

    DEFAULT_THRESHOLDS = {"injection": 0.5, "exfiltration": 0.5, "indirect_injection": 0.5,
                          "secrets": 0.5, "topics": 0.4, "pii_leak": 0.5, "canary": 0.5}
    DEFAULT_ACTIONS = {"injection": "block", "exfiltration": "block",
                       "indirect_injection": "block", "secrets": "redact", "topics": "block",
                       "pii_leak": "redact", "canary": "block"}

    def threshold(self, scanner: str) -> float:
        return self.thresholds.get(scanner, self.DEFAULT_THRESHOLDS[scanner])

    def action(self, scanner: str) -> str:
        return self.actions.get(scanner, self.DEFAULT_ACTIONS[scanner])

    def body(self) -> dict[str, Any]:
        return {"scanners": list(self.scanners), "thresholds": self.thresholds,
                "actions": self.actions,
                "topics": [{"name": t.name, "descriptions": list(t.descriptions)}
                           for t in self.topics]}


DEFAULT = Policy()


def _fail(message: str, **params: object) -> ValidationFailed:
    return ValidationFailed(message, **params)


def parse(body: Any, source: str = "stored") -> Policy:
    """A :class:`Policy` from its JSON body, refusing anything malformed with a clear reason."""
    if not isinstance(body, dict):
        raise _fail(N_("A policy must be a JSON object."))
    unknown = set(body) - {"scanners", "thresholds", "actions", "topics"}
    if unknown:
        raise _fail(N_("Unknown policy fields: {fields}."), fields=", ".join(sorted(unknown)))
    scanners = body.get("scanners", list(SCANNERS))
    if not isinstance(scanners, list) or not set(scanners) <= set(SCANNERS):
        raise _fail(N_("Scanners must be a list drawn from: {names}."), names=", ".join(SCANNERS))
    thresholds = body.get("thresholds", {})
    if not isinstance(thresholds, dict) or not all(
        name in SCANNERS and isinstance(v, int | float) and not isinstance(v, bool) and 0 < v <= 1
        for name, v in thresholds.items()
    ):
        raise _fail(N_("Thresholds must map scanner names to numbers above 0 and at most 1."))
    actions = body.get("actions", {})
    if not isinstance(actions, dict) or not all(
        name in SCANNERS and value in ACTIONS for name, value in actions.items()
    ):
        raise _fail(N_("Actions must map scanner names to block, flag or redact."))
    return Policy(tuple(dict.fromkeys(scanners)), {k: float(v) for k, v in thresholds.items()},
                  dict(actions), _topics(body.get("topics", [])), source)


def _topics(raw: Any) -> tuple[Topic, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_TOPICS:
        raise _fail(N_("Topics must be a list of at most {limit} items."), limit=MAX_TOPICS)
    topics = []
    for item in raw:
        name = item.get("name") if isinstance(item, dict) else None
        descriptions = item.get("descriptions") if isinstance(item, dict) else None
        if not (isinstance(name, str) and 0 < len(name.strip()) <= 100
                and isinstance(descriptions, list) and 0 < len(descriptions) <= MAX_DESCRIPTIONS
                and all(isinstance(d, str) and 0 < len(d.strip()) <= MAX_DESCRIPTION_CHARS
                        for d in descriptions)):
            raise _fail(N_("Each topic needs a name and 1 to {limit} descriptions of up to "
                           "{chars} characters."), limit=MAX_DESCRIPTIONS,
                        chars=MAX_DESCRIPTION_CHARS)
        topics.append(Topic(name.strip(), tuple(d.strip() for d in descriptions)))
    return tuple(topics)


def policy_for(session: Session, org: str | None, app: str | None) -> Policy:
    """The most specific stored policy for ``(org, app)``, or :data:`DEFAULT`."""
    rows = session.scalars(select(GuardPolicy).where(
        (GuardPolicy.org == org) | GuardPolicy.org.is_(None),
        (GuardPolicy.app == app) | GuardPolicy.app.is_(None),
    )).all()
    if not rows:
        return DEFAULT
    best = max(rows, key=lambda r: (r.org is not None, r.app is not None))
    return parse(best.body, source=f"{best.org or '*'}/{best.app or '*'}")


def save(session: Session, org: str | None, app: str | None, body: Any, actor: str) -> GuardPolicy:
    """Create or replace the policy of ``(org, app)`` after validating ``body``."""
    policy = parse(body)
    row = session.scalar(select(GuardPolicy).where(
        GuardPolicy.org.is_(None) if org is None else GuardPolicy.org == org,
        GuardPolicy.app.is_(None) if app is None else GuardPolicy.app == app,
    ))
    if row is None:
        row = GuardPolicy(org=org, app=app, body=policy.body(), updated_by=actor)
        session.add(row)
    else:
        row.body, row.updated_by = policy.body(), actor
    session.flush()
    return row
