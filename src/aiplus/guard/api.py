"""``POST /api/guard/scan`` and policy administration under ``/api/guard/policies``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import select

from aiplus.core import audit
from aiplus.core.errors import BadRequest, Forbidden, NotFound, PayloadTooLarge, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.guard.contract import CallContext, Direction
from aiplus.guard.pipeline import guardrails_of
from aiplus.guard.scanners.policy import GuardPolicy, policy_for, save
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_role, require_user

router = APIRouter(prefix="/api/guard", tags=["guardrails"])
MAX_SCAN_CHARS = 20_000


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadRequest(N_("The body must be valid JSON.")) from None
    if not isinstance(body, dict):
        raise ValidationFailed(N_("The body must be a JSON object."))
    return body


def _optional_slug(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= 63 or "\x00" in value:
        raise ValidationFailed(N_("{field} must be a short identifier."), field=field)
    return value


@router.post("/scan")
async def scan(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    """Scan one text with the caller's policy; blocked and flagged texts become incidents."""
    body = await _json_object(request)
    text, direction = body.get("text"), body.get("direction", "input")
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed(N_("Send the text to scan in the field 'text'."))
    if "\x00" in text:  # incidents keep the text, and PostgreSQL cannot store NUL
        raise ValidationFailed(N_("Text may not contain NUL characters."))
    if len(text) > MAX_SCAN_CHARS:
        raise PayloadTooLarge(N_("The text is longer than the limit of {limit} characters."),
                              limit=MAX_SCAN_CHARS)
    if direction not in (Direction.INPUT.value, Direction.OUTPUT.value):
        raise ValidationFailed(N_("The direction must be 'input' or 'output'."))
    org = _optional_slug(body.get("org"), "org") or next(iter(principal.roles), None)
    if org is not None and not principal.has_role(org, *Role):
        raise ValidationFailed(N_("You are not a member of organisation {org}."), org=org)
    context = CallContext(org=org, app=_optional_slug(body.get("app"), "app"),
                          user=principal.username)
    result = guardrails_of(platform_of(request)).scan(text, Direction(direction), context)
    return result.as_dict()


def _can_administer(principal: Principal, org: str | None) -> None:
    """Platform-wide policies are for platform admins; an org's for its admins."""
    if org is None and not principal.platform_admin:
        raise Forbidden()
    if org is not None:
        require_role(principal, org, Role.ADMIN)


@router.get("/policies")
def list_policies(request: Request,
                  principal: Principal = Depends(require_user)) -> dict[str, Any]:
    with platform_of(request).db.read() as session:
        rows = session.scalars(select(GuardPolicy).order_by(GuardPolicy.id)).all()
    visible = [r.as_dict() for r in rows
               if principal.platform_admin or (r.org and principal.has_role(r.org, Role.ADMIN))]
    return {"policies": visible}


def _can_read(principal: Principal, org: str | None) -> None:
    """An org's effective policy is for its own members (any role: it is what scans their
    texts); the platform-wide one, like the platform-wide rows in :func:`list_policies`, for
    platform admins. A policy tells an attacker which scanners and thresholds to evade."""
    if not (principal.platform_admin or (org is not None and principal.has_role(org, *Role))):
        raise Forbidden()


@router.get("/policies/effective")
def effective_policy(request: Request, org: str | None = None, app: str | None = None,
                     principal: Principal = Depends(require_user)) -> dict[str, Any]:
    _can_read(principal, org)
    with platform_of(request).db.read() as session:
        policy = policy_for(session, org, app)
    return {"source": policy.source, **policy.body()}


@router.put("/policies")
async def put_policy(request: Request,
                     principal: Principal = Depends(require_user)) -> dict[str, Any]:
    """Create or replace the policy of ``{"org", "app"}`` (either may be null: any)."""
    body = await _json_object(request)
    org, app = _optional_slug(body.get("org"), "org"), _optional_slug(body.get("app"), "app")
    _can_administer(principal, org)
    with platform_of(request).db.transaction() as session:
        row = save(session, org, app, body.get("policy"), principal.actor)
        audit.record(session, actor=principal.actor, org=org, action="guard.policy.save",
                     target=f"guard-policy:{row.id}", detail={"app": app, "policy": row.body})
        return row.as_dict()


@router.delete("/policies/{policy_id}")
def delete_policy(request: Request, policy_id: RowId,
                  principal: Principal = Depends(require_user)) -> dict[str, Any]:
    with platform_of(request).db.transaction() as session:
        row = session.get(GuardPolicy, policy_id)
        if row is None:
            raise NotFound(N_("There is no policy {policy_id}."), policy_id=policy_id)
        _can_administer(principal, row.org)
        session.delete(row)
        audit.record(session, actor=principal.actor, org=row.org, action="guard.policy.delete",
                     target=f"guard-policy:{policy_id}")
    return {"deleted": policy_id}
