"""``/api/gateway``: keys, quotas and usage for administrators (JSON).

Organisation admins manage their own organisation's keys; platform admins manage all. Every
change is audited in the same transaction.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from aiplus.core import audit
from aiplus.core.errors import Forbidden
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.gateway import keys, ledger
from aiplus.platform.params import RowId
from aiplus.platform.security import platform_of, require_role, require_user

router = APIRouter(prefix="/api/gateway", tags=["gateway administration"])


class Quotas(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requests_per_minute: int | None = Field(default=None, ge=1)
    requests_per_day: int | None = Field(default=None, ge=1)
    tokens_per_minute: int | None = Field(default=None, ge=1)
    tokens_per_day: int | None = Field(default=None, ge=1)
    max_prompt_chars: int | None = Field(default=None, ge=100, le=keys.MAX_PROMPT_CHARS)
    allowed_models: list[str] | None = None

    def given(self) -> dict[str, Any]:
        return {name: value for name, value in self.model_dump(exclude_unset=True).items()
                if not (name in {"max_prompt_chars", "allowed_models"} and value is None)}


class NewKey(Quotas):
    org: str = Field(min_length=2, max_length=63)
    name: str = Field(min_length=1, max_length=100)


def admin_orgs(principal: Principal) -> list[str] | None:
    """The organisations whose keys this person manages; None means all."""
    if principal.platform_admin:
        return None
    return [org for org, role in principal.roles.items() if role == Role.ADMIN]


def create_key(request: Request, principal: Principal, org: str, name: str,
               quotas: dict[str, Any]) -> tuple[dict[str, Any], str]:
    require_role(principal, org, Role.ADMIN)
    with platform_of(request).db.transaction() as session:
        key, secret = keys.issue_key(session, org, name, principal.actor, **quotas)
        audit.record(session, actor=principal.actor, org=org, action="gateway.key.create",
                     target=str(key.id), detail={"name": key.name, "quotas": quotas})
        return key.as_dict(), secret


def change_key(request: Request, principal: Principal, key_id: int, *, revoke: bool = False,
               quotas: dict[str, Any] | None = None) -> dict[str, Any]:
    with platform_of(request).db.transaction() as session:
        key = keys.get_key(session, key_id)
        require_role(principal, key.organisation.slug, Role.ADMIN)
        if revoke:
            keys.revoke_key(session, key_id)
        if quotas:
            keys.set_quotas(session, key_id, quotas)
        audit.record(session, actor=principal.actor, org=key.organisation.slug,
                     action="gateway.key.revoke" if revoke else "gateway.key.quotas",
                     target=str(key.id), detail=quotas or {})
        return key.as_dict()


def overview(request: Request, principal: Principal, org: str | None,
             days: int = 30) -> dict[str, Any]:
    allowed = admin_orgs(principal)
    if org is not None and allowed is not None and org not in allowed:
        raise Forbidden()
    if allowed is not None and not allowed:
        raise Forbidden(N_("Only organisation administrators manage gateway keys."))
    with platform_of(request).db.read() as session:
        rows = keys.list_keys(session, org)
        usage = ledger.summary(session, org=org, days=days)
    visible = (lambda slug: allowed is None or slug in allowed)
    return {"keys": [k.as_dict() for k in rows if visible(k.organisation.slug)],
            "usage": [u for u in usage if visible(u["org"])], "days": days}


@router.post("/keys", status_code=201, summary="Create a key (the secret is shown once)")
def post_key(body: NewKey, request: Request,
             principal: Principal = Depends(require_user)) -> JSONResponse:
    quotas = Quotas.model_validate(body.model_dump(exclude={"org", "name"},
                                                   exclude_unset=True)).given()
    key, secret = create_key(request, principal, body.org, body.name, quotas)
    return JSONResponse({"key": key, "secret": secret}, status_code=201)


@router.get("/keys", summary="Keys and usage of the organisations you administer")
def get_keys(request: Request, org: str | None = None, days: int = 30,
             principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return overview(request, principal, org, max(1, min(days, 366)))


@router.post("/keys/{key_id}/revoke", summary="Revoke a key")
def post_revoke(key_id: RowId, request: Request,
                principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return change_key(request, principal, key_id, revoke=True)


@router.patch("/keys/{key_id}", summary="Set a key's quotas and allowed models")
def patch_key(key_id: RowId, body: Quotas, request: Request,
              principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return change_key(request, principal, key_id, quotas=body.given())


@router.get("/usage", summary="Calls and tokens per organisation, key and model")
def get_usage(request: Request, org: str | None = None, days: int = 30,
              principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"usage": overview(request, principal, org, max(1, min(days, 366)))["usage"]}
