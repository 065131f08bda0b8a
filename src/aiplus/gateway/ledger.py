"""The usage ledger, which is also the quota counter.

A call is admitted by counting the key's ledger rows in the last minute and day and inserting
its own row, in one write transaction that holds the key's row lock (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers). Concurrent calls
therefore queue on the count, and none is admitted past a limit. Windows slide: "per day" is
the last 24 hours. Token limits are checked on tokens already used, since a call's own count
is known only afterwards.

Officers calling without a key (the playground, signed-in API use) are charged to their
organisation: their calls count against the organisation's session limits
(:class:`Limits`, from ``AIPLUS_GATEWAY_SESSION_*``), over every keyless call of that
organisation, with the organisation's row locked the same way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session, lazyload

from aiplus.core.db import Database, utcnow
from aiplus.core.errors import Unauthenticated
from aiplus.core.i18n import N_
from aiplus.core.identity import Organisation
from aiplus.gateway.errors import QuotaExhausted, RateLimitExceeded
from aiplus.gateway.keys import KeyGrant
from aiplus.gateway.tables import GatewayKey, GatewayUsage

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Payer:
    """Who a call is charged to: a gateway key, or a signed-in officer's organisation."""

    org_id: int | None
    key: KeyGrant | None = None
    user: str | None = None


@dataclass(frozen=True)
class Limits:
    """Request and token limits per sliding minute and day; None means no limit."""

    requests_per_minute: int | None = None
    requests_per_day: int | None = None
    tokens_per_minute: int | None = None
    tokens_per_day: int | None = None


def _window(session: Session, scope: ColumnElement[bool],
            since: datetime) -> tuple[int, int, datetime | None]:
    tokens = GatewayUsage.prompt_tokens + GatewayUsage.completion_tokens
    count, used, oldest = session.execute(
        select(func.count(GatewayUsage.id), func.coalesce(func.sum(tokens), 0),
               func.min(GatewayUsage.at))
        .where(scope, GatewayUsage.at > since)).one()
    return int(count), int(used), oldest


def _retry_after(oldest: datetime | None, window: timedelta, now: datetime) -> int:
    if oldest is None:
        return 1
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def _check(session: Session, scope: ColumnElement[bool], limits: Limits, now: datetime) -> None:
    """Refuse the call if the calls in ``scope`` already reach one of ``limits``."""
    requests, tokens, oldest = _window(session, scope, now - MINUTE)
    retry = _retry_after(oldest, MINUTE, now)
    if limits.requests_per_minute is not None and requests >= limits.requests_per_minute:
        raise RateLimitExceeded(limit=limits.requests_per_minute, unit=N_("requests"),
                                retry_after=retry)
    if limits.tokens_per_minute is not None and tokens >= limits.tokens_per_minute:
        raise RateLimitExceeded(limit=limits.tokens_per_minute, unit=N_("tokens"),
                                retry_after=retry)
    if limits.requests_per_day is None and limits.tokens_per_day is None:
        return
    requests, tokens, oldest = _window(session, scope, now - DAY)
    retry = _retry_after(oldest, DAY, now)
    if limits.requests_per_day is not None and requests >= limits.requests_per_day:
        raise QuotaExhausted(limit=limits.requests_per_day, unit=N_("requests"),
                             retry_after=retry)
    if limits.tokens_per_day is not None and tokens >= limits.tokens_per_day:
        raise QuotaExhausted(limit=limits.tokens_per_day, unit=N_("tokens"), retry_after=retry)


def _locking(session: Session, query: Select[Any]) -> Select[Any]:
    """``query`` with a row lock on PostgreSQL (SQLite's writers are serialised already)."""
    return query.with_for_update() if session.get_bind().dialect.name == "postgresql" else query


def _enforce_key(session: Session, key_id: int, now: datetime) -> None:
    # Without the joined organisation: PostgreSQL cannot lock the nullable side of a join.
    key = session.scalar(_locking(session, select(GatewayKey).options(
        lazyload(GatewayKey.organisation)).where(GatewayKey.id == key_id)))
    if key is None or not key.active:
        raise Unauthenticated(N_("The gateway API key is not valid or has been revoked."))
    _check(session, GatewayUsage.key_id == key_id,
           Limits(key.requests_per_minute, key.requests_per_day, key.tokens_per_minute,
                  key.tokens_per_day), now)


def _enforce_org(session: Session, org_id: int, limits: Limits, now: datetime) -> None:
    session.scalar(_locking(session, select(Organisation.id).where(Organisation.id == org_id)))
    _check(session, (GatewayUsage.org_id == org_id) & GatewayUsage.key_id.is_(None), limits,
           now)


def admit(db: Database, payer: Payer, endpoint: str, model: str,
          session_limits: Limits = Limits()) -> int:
    """Check the quotas and open the call's ledger row; returns its id. A keyless payer is
    held to its organisation's ``session_limits``."""
    with db.transaction() as session:
        now = utcnow()
        if payer.key is not None:
            _enforce_key(session, payer.key.id, now)
        elif payer.org_id is not None:
            _enforce_org(session, payer.org_id, session_limits, now)
        row = GatewayUsage(at=now, key_id=payer.key.id if payer.key else None,
                           org_id=payer.org_id, user=payer.user, endpoint=endpoint, model=model)
        session.add(row)
        session.flush()
        return row.id


def settle(db: Database, usage_id: int, *, status: str, prompt_tokens: int = 0,
           completion_tokens: int = 0, latency_ms: float | None = None,
           ttft_ms: float | None = None) -> None:
    """Close the call's ledger row with what it cost and how it ended."""
    with db.transaction() as session:
        row = session.get(GatewayUsage, usage_id)
        if row is None:
            return
        row.status = status[:40]
        row.prompt_tokens = prompt_tokens
        row.completion_tokens = completion_tokens
        row.latency_ms = latency_ms
        row.ttft_ms = ttft_ms


def summary(session: Session, *, org: str | None = None, days: int = 30) -> list[dict[str, Any]]:
    """Calls, tokens and latency per organisation, key and model over the last ``days``."""
    since = utcnow() - timedelta(days=days)
    query = (
        select(Organisation.slug, GatewayKey.name, GatewayUsage.model,
               func.count(GatewayUsage.id), func.coalesce(func.sum(GatewayUsage.prompt_tokens), 0),
               func.coalesce(func.sum(GatewayUsage.completion_tokens), 0),
               func.avg(GatewayUsage.latency_ms), func.avg(GatewayUsage.ttft_ms),
               func.sum(case((GatewayUsage.status != "ok", 1), else_=0)))
        .select_from(GatewayUsage)
        .outerjoin(Organisation, Organisation.id == GatewayUsage.org_id)
        .outerjoin(GatewayKey, GatewayKey.id == GatewayUsage.key_id)
        .where(GatewayUsage.at > since)
        .group_by(Organisation.slug, GatewayKey.name, GatewayUsage.model)
        .order_by(Organisation.slug, GatewayKey.name, GatewayUsage.model))
    if org is not None:
        query = query.where(Organisation.slug == org)
    return [
        {"org": slug, "key": key or None, "model": model, "calls": calls,
         "prompt_tokens": int(prompt), "completion_tokens": int(completion),
         "mean_latency_ms": round(latency, 1) if latency is not None else None,
         "mean_ttft_ms": round(ttft, 1) if ttft is not None else None,
         "failed": int(failed or 0)}
        for slug, key, model, calls, prompt, completion, latency, ttft, failed
        in session.execute(query)
    ]
