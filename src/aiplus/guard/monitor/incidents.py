"""Recording incidents and the queries behind the monitor's dashboard and export.

Only redacted text is stored (:func:`~aiplus.guard.scanners.redaction.redacted`): personal
data is masked and secrets are replaced before the row is written, so the incident log never
becomes a copy of users' prompts. Who sees what: platform admins see every organisation;
reviewers and admins of an organisation see its incidents (:func:`visible_orgs`).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.identity import Principal, Role
from aiplus.guard.contract import CallContext, Direction, ScanResult
from aiplus.guard.monitor.alerts import evaluate_rules
from aiplus.guard.monitor.tables import Incident
from aiplus.guard.scanners.redaction import redacted

EXPORT_FIELDS = ("id", "at", "org", "app", "user", "direction", "scanner", "outcome", "score",
                 "text")


def record_incident(session: Session, *, context: CallContext, direction: Direction,
                    outcome: str, text: str, result: ScanResult) -> Incident:
    """Write one incident (redacted) in the caller's transaction, audit it, check alerts."""
    top = max(result.findings, key=lambda f: f.score, default=None)
    incident = Incident(
        org=context.org, app=context.app, user=context.user, direction=direction.value,
        scanner=top.scanner if top else "unknown", outcome=outcome, score=result.score,
        text=redacted(text),
        findings={"items": [{"scanner": f.scanner, "kind": f.kind, "score": f.score}
                            for f in result.findings]},
    )
    session.add(incident)
    session.flush()
    audit.record(session, actor=context.user or "anonymous", org=context.org,
                 action=f"guard.{outcome}", target=f"incident:{incident.id}",
                 detail={"scanner": incident.scanner, "score": incident.score,
                         "app": context.app, "direction": direction.value})
    evaluate_rules(session, incident)
    return incident


def visible_orgs(principal: Principal) -> list[str] | None:
    """None means every organisation (platform admins); otherwise the orgs the principal
    reviews or administers."""
    if principal.platform_admin:
        return None
    return [org for org in principal.roles if principal.has_role(org, Role.REVIEWER)]


def _scoped(query: Select[Any], orgs: list[str] | None) -> Select[Any]:
    return query if orgs is None else query.where(Incident.org.in_(orgs))


def list_incidents(session: Session, orgs: list[str] | None, *, limit: int = 100,
                   offset: int = 0, scanner: str | None = None) -> list[Incident]:
    query = _scoped(select(Incident), orgs)
    if scanner:
        query = query.where(Incident.scanner == scanner)
    return list(session.scalars(query.order_by(Incident.at.desc(), Incident.id.desc())
                                .limit(limit).offset(offset)))


def dashboard(session: Session, orgs: list[str] | None, days: int = 30) -> dict[str, Any]:
    """Incidents per day and outcome, top scanners, and per-app incident counts."""
    since = utcnow() - timedelta(days=days)
    rows = session.execute(_scoped(
        select(Incident.at, Incident.outcome, Incident.scanner, Incident.app, Incident.org)
        .where(Incident.at >= since), orgs)).all()
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    for at, outcome, *_ in rows:
        per_day[at.date().isoformat()][outcome] += 1
    scanners = Counter(row.scanner for row in rows)
    apps = Counter((row.org or "-", row.app or "-") for row in rows)
    total_all = session.scalar(_scoped(select(func.count(Incident.id)), orgs)) or 0
    peak = max((sum(c.values()) for c in per_day.values()), default=0)
    return {
        "days": days,
        "total": len(rows),
        "total_all_time": total_all,
        "trend": [{"day": day, "blocked": c["blocked"], "flagged": c["flagged"],
                   "redacted": c["redacted"], "total": sum(c.values()),
                   "share": round(sum(c.values()) / peak, 4) if peak else 0.0}
                  for day, c in sorted(per_day.items())],
        "top_scanners": [{"scanner": name, "count": n} for name, n in scanners.most_common(10)],
        "per_app": [{"org": org, "app": app, "count": n,
                     "share": round(n / len(rows), 4)} for (org, app), n in apps.most_common(20)],
    }


def export(session: Session, orgs: list[str] | None, fmt: str) -> str:
    """All visible incidents as CSV or JSON Lines (text already redacted)."""
    incidents = session.scalars(_scoped(select(Incident), orgs).order_by(Incident.id)).all()
    if fmt == "jsonl":
        return "".join(json.dumps(i.as_dict(), ensure_ascii=False) + "\n" for i in incidents)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_FIELDS)
    for incident in incidents:
        row = incident.as_dict()
        writer.writerow([row[name] for name in EXPORT_FIELDS])
    return buffer.getvalue()
