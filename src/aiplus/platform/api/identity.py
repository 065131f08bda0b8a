"""Organisations, users and API tokens over JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field
from sqlalchemy import select

from aiplus.core import audit, identity
from aiplus.core.identity import OrgKind, Principal, Role
from aiplus.platform.api import Body
from aiplus.platform.params import RowId
from aiplus.platform.security import (
    platform_of,
    require_platform_admin,
    require_role,
    require_user,
)

router = APIRouter(prefix="/api", tags=["identity"])


class OrgIn(Body):
    slug: str = Field(min_length=2, max_length=63, examples=["hk-td"])
    name_en: str = Field(min_length=1, max_length=200)
    name_zh: str = Field(min_length=1, max_length=200)
    kind: OrgKind = OrgKind.DEPARTMENT


class UserIn(Body):
    username: str = Field(min_length=2, max_length=63)
    org: str = Field(min_length=2, max_length=63)
    role: Role = Role.OFFICER
    display_name: str = Field(default="", max_length=200)
    password: str | None = Field(default=None, min_length=12, max_length=256)


class TokenIn(Body):
    name: str = Field(min_length=1, max_length=100)
    days: int | None = Field(default=None, ge=1, le=identity.MAX_TOKEN_DAYS)


def _org_list(request: Request) -> list[dict[str, Any]]:
    platform = platform_of(request)

    def load() -> list[dict[str, Any]]:
        with platform.db.read() as session:
            orgs = session.scalars(select(identity.Organisation).order_by(identity.Organisation.slug))
            return [org.as_dict() for org in orgs]

    return platform.cache.get_or_compute("orgs", load)  # type: ignore[no-any-return]


@router.get("/orgs", summary="List organisations (cached read)")
def list_orgs(request: Request) -> dict[str, Any]:
    return {"organisations": _org_list(request)}


@router.get("/orgs/{slug}", summary="One organisation")
def show_org(request: Request, slug: str) -> dict[str, Any]:
    with platform_of(request).db.read() as session:
        return identity.get_org(session, slug).as_dict()


@router.post("/orgs", status_code=201, summary="Create an organisation (platform admins)")
def create_org(
    request: Request, body: OrgIn, principal: Principal = Depends(require_platform_admin)
) -> dict[str, Any]:
    with platform_of(request).db.transaction() as session:
        org = identity.create_org(session, body.slug, body.name_en, body.name_zh, body.kind)
        audit.record(session, actor=principal.actor, org=org.slug, action="org.create",
                     target=f"org:{org.slug}")
        return org.as_dict()


@router.get("/me", summary="The signed-in user and their roles")
def me(principal: Principal = Depends(require_user)) -> dict[str, Any]:
    return {"username": principal.username, "roles": principal.roles,
            "platform_admin": principal.platform_admin, "via": principal.via}


@router.post("/users", status_code=201, summary="Create a user in an organisation (its admins)")
def create_user(
    request: Request, body: UserIn, principal: Principal = Depends(require_user)
) -> dict[str, Any]:
    require_role(principal, body.org, Role.ADMIN)
    with platform_of(request).db.transaction() as session:
        user = identity.create_user(
            session, body.username, org=body.org, role=body.role, password=body.password,
            display_name=body.display_name,
        )
        audit.record(session, actor=principal.actor, org=body.org, action="user.create",
                     target=f"user:{user.username}", detail={"role": body.role})
        return user.as_dict()


@router.get("/tokens", summary="Your API tokens (never their secrets)")
def list_tokens(request: Request, principal: Principal = Depends(require_user)) -> dict[str, Any]:
    with platform_of(request).db.read() as session:
        tokens = session.scalars(
            select(identity.ApiToken).where(identity.ApiToken.user_id == principal.user_id)
            .order_by(identity.ApiToken.id)
        )
        return {"tokens": [token.as_dict() for token in tokens]}


def issue_token_for(request: Request, principal: Principal, name: str, days: int | None) -> dict[str, Any]:
    """Create a token for the principal; shared by the API and the account page."""
    platform = platform_of(request)
    with platform.db.transaction() as session:
        user = session.get(identity.User, principal.user_id)
        assert user is not None
        token, secret = identity.issue_token(
            session, user, name, days or platform.settings.token_days
        )
        audit.record(session, actor=principal.actor, action="token.create",
                     target=f"token:{token.id}", detail={"name": token.name})
        return {**token.as_dict(), "token": secret}


@router.post("/tokens", status_code=201, summary="Create an API token; the secret is shown once")
def create_token(
    request: Request, body: TokenIn, principal: Principal = Depends(require_user)
) -> dict[str, Any]:
    return issue_token_for(request, principal, body.name, body.days)


def revoke_token_for(request: Request, principal: Principal, token_id: int) -> dict[str, Any]:
    with platform_of(request).db.transaction() as session:
        user = session.get(identity.User, principal.user_id)
        assert user is not None
        token = identity.revoke_token(session, user, token_id)
        audit.record(session, actor=principal.actor, action="token.revoke",
                     target=f"token:{token.id}")
        return token.as_dict()


@router.delete("/tokens/{token_id}", summary="Revoke one of your tokens")
def revoke_token(
    request: Request, token_id: RowId, principal: Principal = Depends(require_user)
) -> dict[str, Any]:
    return revoke_token_for(request, principal, token_id)
