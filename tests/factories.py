"""Test data factories: organisations, users with roles, and their API tokens."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from aiplus.core import identity
from aiplus.core.identity import Principal
from aiplus.platform.services import Platform

PASSWORD = "correct horse battery staple"


@dataclass
class Member:
    username: str
    org: str
    role: str
    token: str
    principal: Principal

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Factory:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def org(self, slug: str = "hk-td", kind: str = "department") -> str:
        with self.platform.db.transaction() as session:
            exists = session.scalar(
                select(identity.Organisation.id).where(identity.Organisation.slug == slug)
            )
            if not exists:
                identity.create_org(session, slug, f"Org {slug}", f"機構 {slug}", kind)
        return slug

    def member(
        self, username: str, org: str = "hk-td", role: str = "officer",
        platform_admin: bool = False, password: str | None = PASSWORD,
    ) -> Member:
        self.org(org)
        with self.platform.db.transaction() as session:
            user = identity.create_user(session, username, org=org, role=role, password=password,
                                        platform_admin=platform_admin)
            _, secret = identity.issue_token(session, user, "test", days=1)
            principal = Principal.of(user, via="token")
        return Member(username, org, role, secret, principal)

    def admin(self, username: str = "root-admin") -> Member:
        return self.member(username, org="hk-dpo", role="admin", platform_admin=True)
