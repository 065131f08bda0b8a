"""Alert rules: a count of incidents over a time window fires a message into the outbox;
:func:`deliver` then posts webhooks (httpx, with a timeout and up to ``MAX_ATTEMPTS`` tries,
each recorded on the message). E-mail alerts stay in the outbox for the mail relay, so the
platform itself needs no SMTP credentials.

A webhook may reach only public addresses (or hosts listed in
``AIPLUS_WEBHOOK_ALLOWED_HOSTS``): checked when a rule is saved, for a clear answer, and again
at each delivery, because the host's DNS answer may have changed since (see
:mod:`aiplus.core.egress`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aiplus.core import egress
from aiplus.core.db import Database, utcnow
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.guard.monitor.tables import AlertMessage, AlertRule, Incident

CHANNELS = ("webhook", "email")
MAX_ATTEMPTS = 3
TIMEOUT_SECONDS = 5.0


def validate_rule(body: Any, *, allowed_hosts: Collection[str] = ()) -> dict[str, Any]:
    """The fields of a new rule, checked; raises ValidationFailed with the reason. A webhook
    must reach a public address unless its host is in ``allowed_hosts``."""
    if not isinstance(body, dict):
        raise ValidationFailed(N_("An alert rule must be a JSON object."))
    name, channel, target = body.get("name"), body.get("channel"), body.get("target")
    threshold, window = body.get("threshold", 1), body.get("window_minutes", 60)
    scanner = body.get("scanner")
    if not isinstance(name, str) or not 0 < len(name.strip()) <= 200:
        raise ValidationFailed(N_("An alert rule needs a name of up to 200 characters."))
    if channel not in CHANNELS:
        raise ValidationFailed(N_("The channel must be webhook or email."))
    if not isinstance(target, str) or len(target) > 500 or (
        channel == "email" and "@" not in target
    ):
        raise ValidationFailed(N_("The target must be an http(s) URL for a webhook or an "
                                  "e-mail address."))
    if channel == "webhook":
        egress.check(target, allowed_hosts)
    if not (isinstance(threshold, int) and 1 <= threshold <= 100_000 and isinstance(window, int)
            and 1 <= window <= 43_200):
        raise ValidationFailed(N_("The threshold must be 1 to 100000 incidents and the window "
                                  "1 to 43200 minutes."))
    if scanner is not None and not isinstance(scanner, str):
        raise ValidationFailed(N_("The scanner must be a scanner name or null."))
    return {"name": name.strip(), "channel": channel, "target": target, "threshold": threshold,
            "window_minutes": window, "scanner": scanner}


def evaluate_rules(session: Session, incident: Incident) -> list[AlertMessage]:
    """Queue a message for every active rule the new incident pushes over its threshold;
    a rule fires at most once per window."""
    now = utcnow()
    rules = session.scalars(select(AlertRule).where(
        AlertRule.active.is_(True),
        (AlertRule.org == incident.org) | AlertRule.org.is_(None),
    )).all()
    queued = []
    for rule in rules:
        if rule.scanner and rule.scanner != incident.scanner:
            continue
        since = now - timedelta(minutes=rule.window_minutes)
        if rule.last_fired_at is not None and rule.last_fired_at > since:
            continue
        query = select(func.count(Incident.id)).where(Incident.at >= since)
        if rule.org is not None:
            query = query.where(Incident.org == rule.org)
        if rule.scanner:
            query = query.where(Incident.scanner == rule.scanner)
        count = session.scalar(query) or 0
        if count < rule.threshold:
            continue
        rule.last_fired_at = now
        message = AlertMessage(rule_id=rule.id, channel=rule.channel, target=rule.target,
                               payload={"rule": rule.name, "org": rule.org,
                                        "scanner": rule.scanner, "count": count,
                                        "window_minutes": rule.window_minutes,
                                        "latest_incident": incident.id,
                                        "at": now.isoformat()})
        session.add(message)
        queued.append(message)
    session.flush()
    return queued


def _post(http: httpx.Client, target: str, allowed_hosts: Collection[str],
          payload: dict[str, Any], tries: int) -> tuple[bool, int, str | None]:
    """Check the target's addresses now, then try ``tries`` times; returns (sent, attempts
    made, last error). A target that is no longer public is refused without any attempt."""
    try:
        destination = egress.check(target, allowed_hosts)
    except ValidationFailed as refused:
        return False, 0, str(refused)
    error = None
    for attempt in range(1, tries + 1):
        try:
            destination.post(http, json=payload).raise_for_status()
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
        else:
            return True, attempt, error
    return False, tries, error


def deliver(db: Database, client: httpx.Client | None = None, *,
            allowed_hosts: Collection[str] = ()) -> dict[str, int]:
    """Post every pending webhook message, trying each up to ``MAX_ATTEMPTS`` times;
    returns counts by resulting status. Targets must be public unless their host is in
    ``allowed_hosts``; the default client ignores proxy settings, so that it connects to the
    very address that was checked.

    The due rows are read first and each outcome is written afterwards in a short
    transaction: no write transaction is open while a slow webhook answers, so incidents keep
    being recorded meanwhile. Two deliverers running at once could both post a message (the
    outcome is recorded once); receivers see ``latest_incident`` to drop duplicates."""
    with db.read() as session:
        due = [(m.id, m.target, dict(m.payload), m.attempts) for m in session.scalars(
            select(AlertMessage).where(AlertMessage.status == "pending",
                                       AlertMessage.channel == "webhook")
            .order_by(AlertMessage.id))]
    counts = {"sent": 0, "failed": 0}
    http = client or httpx.Client(timeout=TIMEOUT_SECONDS, trust_env=False)
    try:
        for message_id, target, payload, attempts in due:
            sent, made, error = _post(http, target, allowed_hosts, payload,
                                      max(1, MAX_ATTEMPTS - attempts))
            with db.transaction() as session:
                message = session.get(AlertMessage, message_id)
                if message is None or message.status != "pending":
                    continue
                message.attempts += made
                message.last_error = error or message.last_error
                message.status = "sent" if sent else "failed"
                message.sent_at = utcnow() if sent else None
                counts[message.status] += 1
    finally:
        if client is None:
            http.close()
    return counts
