"""Organisations, users, roles and API tokens.

Passwords are hashed with Argon2id. API tokens are 256-bit random secrets shown once; only
their SHA-256 digest is stored, which is safe for secrets of that entropy and lets a request
be authenticated with one indexed lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from aiplus.core.db import Base, utcnow
from aiplus.core.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.roles import Role
from aiplus.core.settings import MAX_TOKEN_DAYS

TOKEN_PREFIX = "aip_"
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$")
MAX_ROW_ID = 2**31 - 1  # the largest integer id a row can have (INTEGER on PostgreSQL)
_hasher = PasswordHasher()


class OrgKind(StrEnum):
    BUREAU = "bureau"
    DEPARTMENT = "department"
    HOSPITAL = "hospital"
    BANK = "bank"
    INSURER = "insurer"
    UNIVERSITY = "university"
    COMPANY = "company"
    OTHER = "other"


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=OrgKind.DEPARTMENT.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def name(self, locale: str) -> str:
        return self.name_zh if locale == "zh-Hant" else self.name_en

    def as_dict(self) -> dict[str, object]:
        return {
            "slug": self.slug,
            "name": {"en": self.name_en, "zh-Hant": self.name_zh},
            "kind": self.kind,
            "created_at": self.created_at.isoformat(),
        }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(63), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    platform_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan"
    )

    def as_dict(self) -> dict[str, object]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "platform_admin": self.platform_admin,
            "active": self.active,
            "roles": {m.organisation.slug: m.role for m in self.memberships},
        }


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    user: Mapped[User] = relationship(lazy="joined")

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "hint": self.hint,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "revoked": self.revoked_at is not None,
        }


@dataclass(frozen=True)
class Principal:
    """Who is making a request, and what they may do in each organisation."""

    username: str | None = None
    user_id: int | None = None
    roles: dict[str, str] = field(default_factory=dict)
    platform_admin: bool = False
    via: str = "anonymous"

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def actor(self) -> str:
        return self.username or "anonymous"

    def has_role(self, org: str, *roles: Role) -> bool:
        """True if the user holds one of ``roles`` in ``org``; admins hold every role there."""
        if self.platform_admin:
            return True
        held = self.roles.get(org)
        return held is not None and (held == Role.ADMIN or held in roles)

    @classmethod
    def of(cls, user: User, via: str) -> Principal:
        return cls(
            username=user.username,
            user_id=user.id,
            roles={m.organisation.slug: m.role for m in user.memberships},
            platform_admin=user.platform_admin,
            via=via,
        )


ANONYMOUS = Principal()


def hash_password(password: str) -> str:
    if len(password) < 12:
        raise ValidationFailed(N_("A password needs at least 12 characters."))
    return _hasher.hash(password)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_org(session: Session, slug: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(N_("There is no organisation called {slug}."), slug=slug)
    return org


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(N_("There is no user called {username}."), username=username)
    return user


def create_org(
    session: Session, slug: str, name_en: str, name_zh: str, kind: str = "department"
) -> Organisation:
    if not SLUG_PATTERN.fullmatch(slug):
        raise ValidationFailed(
            N_("An organisation id uses 2-63 lower-case letters, digits and hyphens."),
            details={"slug": slug},
        )
    if kind not in {k.value for k in OrgKind}:
        raise ValidationFailed(N_("Unknown organisation kind: {kind}."), kind=kind)
    if not name_en.strip() or not name_zh.strip():
        raise ValidationFailed(N_("An organisation needs an English and a Chinese name."))
    if session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        raise Conflict(N_("An organisation called {slug} already exists."), slug=slug)
    org = Organisation(slug=slug, name_en=name_en.strip(), name_zh=name_zh.strip(), kind=kind)
    session.add(org)
    session.flush()
    return org


def create_user(
    session: Session,
    username: str,
    *,
    org: str | None = None,
    role: str = Role.OFFICER,
    password: str | None = None,
    display_name: str = "",
    platform_admin: bool = False,
) -> User:
    if not USERNAME_PATTERN.fullmatch(username):
        raise ValidationFailed(
            N_("A user name uses 2-63 letters, digits, dots, hyphens or underscores.")
        )
    if role not in {r.value for r in Role}:
        raise ValidationFailed(N_("Unknown role: {role}."), role=role)
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(N_("A user called {username} already exists."), username=username)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password) if password else None,
        platform_admin=platform_admin,
    )
    session.add(user)
    session.flush()
    if org:
        grant_role(session, user, get_org(session, org), role)
    return user


def grant_role(session: Session, user: User, org: Organisation, role: str) -> Membership:
    if role not in {r.value for r in Role}:
        raise ValidationFailed(N_("Unknown role: {role}."), role=role)
    membership = next((m for m in user.memberships if m.org_id == org.id), None)
    if membership is None:
        membership = Membership(user=user, organisation=org, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    return membership


def authenticate_password(session: Session, username: str, password: str) -> User:
    """The user with these credentials; the same error whether the name or password is wrong."""
    # A name no user can have is not looked up: it may hold a NUL, which PostgreSQL refuses.
    valid = USERNAME_PATTERN.fullmatch(username) is not None
    user = session.scalar(select(User).where(User.username == username)) if valid else None
    failure = Unauthenticated(N_("The user name or password is not correct."))
    if user is None or not user.active or not user.password_hash:
        _hasher.hash(password)  # spend the same time as a real check
        raise failure
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    return user


def issue_token(
    session: Session, user: User, name: str, days: int, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token that lives ``days`` (1 to :data:`MAX_TOKEN_DAYS`); the secret is
    returned once and never stored. A lifetime below one day would make a token that is born
    expired (or, negative, one that expires before it was made), which only hides a mistake."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(N_("A token lives 1 to {limit} days."), limit=MAX_TOKEN_DAYS)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(N_("A token needs a name of 1-100 characters."))
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValidationFailed(N_("A token name cannot contain control characters."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now or utcnow()
    token = ApiToken(
        user=user,
        name=name,
        digest=_digest(secret),
        hint=secret[: len(TOKEN_PREFIX) + 4],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    return token, secret


def authenticate_token(session: Session, secret: str) -> User:
    """The active user behind a token; forged, expired and revoked tokens are refused alike."""
    failure = Unauthenticated(N_("The API token is not valid or has expired."))
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise failure
    token = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(secret)))
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        raise failure
    if token.revoked_at is not None or token.expires_at <= utcnow() or not token.user.active:
        raise failure
    return token.user


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    # An id no row can have is simply not found; passed on, it overflows the database's integer.
    token = session.get(ApiToken, token_id) if 0 < token_id <= MAX_ROW_ID else None
    if token is None or token.user_id != user.id:
        raise NotFound(N_("There is no such token."))
    token.revoked_at = token.revoked_at or utcnow()
    return token
