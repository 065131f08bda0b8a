"""``/api/security/...``: incidents, dashboard, export, alert rules and their delivery."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse
from sqlalchemy import select

from aiplus.core import audit
from aiplus.core.errors import Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.guard.monitor import alerts, incidents
from aiplus.guard.monitor.tables import AlertMessage, AlertRule
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_user

router = APIRouter(prefix="/api/security", tags=["security monitor"])


def reviewer_orgs(principal: Principal) -> list[str] | None:
    """The orgs whose incidents ``principal`` may see; refuses people who review none."""
    orgs = incidents.visible_orgs(principal)
    if orgs is not None and not orgs:
        raise Forbidden(N_("Only reviewers and administrators may see security incidents."))
    return orgs


@router.get("/incidents")
def list_incidents(request: Request, limit: int = Query(100, ge=1, le=1000),
                   offset: int = Query(0, ge=0), scanner: str | None = None,
                   principal: Principal = Depends(require_user)) -> dict[str, Any]:
    orgs = reviewer_orgs(principal)
    with platform_of(request).db.read() as session:
        rows = incidents.list_incidents(session, orgs, limit=limit, offset=offset,
                                        scanner=scanner)
    return {"incidents": [row.as_dict() for row in rows], "limit": limit, "offset": offset}


@router.get("/dashboard")
def dashboard(request: Request, days: int = Query(30, ge=1, le=366),
              principal: Principal = Depends(require_user)) -> dict[str, Any]:
    orgs = reviewer_orgs(principal)
    with platform_of(request).db.read() as session:
        return incidents.dashboard(session, orgs, days)


@router.get("/incidents/export")
def export(request: Request, format: str = Query("csv", pattern="^(csv|jsonl)$"),
           principal: Principal = Depends(require_user)) -> PlainTextResponse:
    orgs = reviewer_orgs(principal)
    with platform_of(request).db.read() as session:
        body = incidents.export(session, orgs, format)
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    return PlainTextResponse(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="incidents.{format}"'})


def _admin_of(principal: Principal, org: str | None) -> None:
    if principal.platform_admin or (org is not None and principal.has_role(org, Role.ADMIN)):
        return
    raise Forbidden(N_("Only administrators may manage alert rules."))


@router.get("/alerts/rules")
def list_rules(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    with platform_of(request).db.read() as session:
        rows = session.scalars(select(AlertRule).order_by(AlertRule.id)).all()
    return {"rules": [r.as_dict() for r in rows if principal.platform_admin
                      or (r.org and principal.has_role(r.org, Role.ADMIN))]}


@router.post("/alerts/rules", status_code=201)
async def create_rule(request: Request,
                      principal: Principal = Depends(require_user)) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ValidationFailed(N_("The body must be valid JSON.")) from None
    allowed = platform_of(request).settings.webhook_allowed_hosts
    fields = alerts.validate_rule(body, allowed_hosts=allowed)
    org = body.get("org") if isinstance(body, dict) else None
    if org is not None and not isinstance(org, str):
        raise ValidationFailed(N_("org must be a short identifier."))
    _admin_of(principal, org)
    with platform_of(request).db.transaction() as session:
        rule = AlertRule(org=org, created_by=principal.actor, **fields)
        session.add(rule)
        session.flush()
        audit.record(session, actor=principal.actor, org=org, action="guard.alert_rule.create",
                     target=f"alert-rule:{rule.id}", detail=fields)
        return rule.as_dict()


@router.delete("/alerts/rules/{rule_id}")
def delete_rule(request: Request, rule_id: RowId,
                principal: Principal = Depends(require_user)) -> dict[str, Any]:
    with platform_of(request).db.transaction() as session:
        rule = session.get(AlertRule, rule_id)
        if rule is None:
            raise NotFound(N_("There is no alert rule {rule_id}."), rule_id=rule_id)
        _admin_of(principal, rule.org)
        session.delete(rule)
        audit.record(session, actor=principal.actor, org=rule.org,
                     action="guard.alert_rule.delete", target=f"alert-rule:{rule_id}")
    return {"deleted": rule_id}


@router.get("/alerts/outbox")
def outbox(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    with platform_of(request).db.read() as session:
        rows = session.execute(select(AlertMessage, AlertRule.org).join(AlertRule)
                               .order_by(AlertMessage.id.desc()).limit(200)).all()
    return {"messages": [m.as_dict() for m, org in rows if principal.platform_admin
                         or (org and principal.has_role(org, Role.ADMIN))]}


@router.post("/alerts/deliver")
def deliver(request: Request, principal: Principal = Depends(require_user)) -> dict[str, int]:
    """Send pending webhook alerts now (operators usually run ``aiplus guard alerts
    deliver`` from cron instead)."""
    if not principal.platform_admin:
        raise Forbidden()
    platform = platform_of(request)
    return alerts.deliver(platform.db, allowed_hosts=platform.settings.webhook_allowed_hosts)
