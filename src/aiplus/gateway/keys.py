"""Gateway keys: issued to an organisation, shown once, stored as SHA-256 digests.

Keys are separate from the platform's personal API tokens (``aip_``): a gateway key belongs to
an organisation, not a person, carries quotas, and grants nothing but model calls.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.core.db import utcnow
from aiplus.core.errors import NotFound, Unauthenticated, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import MAX_ROW_ID, Organisation, get_org
from aiplus.gateway.backends import MODEL_ALIASES
from aiplus.gateway.tables import GatewayKey

KEY_PREFIX = "aig_"
QUOTA_FIELDS = ("requests_per_minute", "requests_per_day", "tokens_per_minute", "tokens_per_day")
MAX_PROMPT_CHARS = 1_000_000


@dataclass(frozen=True)
class KeyGrant:
    """What an authenticated key may do: a snapshot, so no session stays open during a call."""

    id: int
    org: str
    org_id: int
    name: str
    max_prompt_chars: int
    allowed_models: tuple[str, ...]

    def allows(self, model: str) -> bool:
        """Whether the key may call ``model``; a key that names a model by a former id was
        issued for that model, so it allows its current id too."""
        return not self.allowed_models or any(
            model in (name, MODEL_ALIASES.get(name)) for name in self.allowed_models)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _validated_quotas(quotas: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in quotas.items():
        if name in QUOTA_FIELDS:
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                      or not 1 <= value <= 10**12):
                raise ValidationFailed(N_("A quota is a whole number of at least 1, or empty "
                                          "for no limit."), details={name: value})
        elif name == "max_prompt_chars":
            if not isinstance(value, int) or isinstance(value, bool) or not (
                    100 <= value <= MAX_PROMPT_CHARS):
                raise ValidationFailed(N_("The prompt limit is 100 to {limit} characters."),
                                       details={name: value}, limit=MAX_PROMPT_CHARS)
        elif name == "allowed_models":
            if not isinstance(value, list) or not all(
                    isinstance(m, str) and 0 < len(m) <= 100 for m in value):
                raise ValidationFailed(N_("Allowed models is a list of model names."),
                                       details={name: value})
        else:
            raise ValidationFailed(N_("Unknown quota field: {field}."), field=name)
        clean[name] = value
    return clean


def issue_key(session: Session, org: str, name: str, created_by: str,
              **quotas: Any) -> tuple[GatewayKey, str]:
    """Create a key; the secret is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100 or any(unicodedata.category(c) == "Cc" for c in name):
        raise ValidationFailed(N_("A key needs a name of 1-100 characters without control "
                                  "characters."))
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    settings = {"allowed_models": [], **_validated_quotas(quotas)}
    key = GatewayKey(organisation=get_org(session, org), name=name, digest=digest(secret),
                     hint=secret[: len(KEY_PREFIX) + 4], created_by=created_by, **settings)
    session.add(key)
    session.flush()
    return key, secret


def authenticate_key(session: Session, secret: str) -> KeyGrant:
    """The grant behind an active key; forged and revoked keys are refused alike."""
    failure = Unauthenticated(N_("The gateway API key is not valid or has been revoked."))
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        raise failure
    key = session.scalar(select(GatewayKey).where(GatewayKey.digest == digest(secret)))
    if key is None or not hmac.compare_digest(key.digest, digest(secret)) or not key.active:
        raise failure
    return KeyGrant(id=key.id, org=key.organisation.slug, org_id=key.org_id, name=key.name,
                    max_prompt_chars=key.max_prompt_chars,
                    allowed_models=tuple(key.allowed_models or ()))


def get_key(session: Session, key_id: int) -> GatewayKey:
    key = session.get(GatewayKey, key_id) if 0 < key_id <= MAX_ROW_ID else None
    if key is None:
        raise NotFound(N_("There is no such gateway key."))
    return key


def revoke_key(session: Session, key_id: int) -> GatewayKey:
    key = get_key(session, key_id)
    key.active = False
    key.revoked_at = key.revoked_at or utcnow()
    return key


def set_quotas(session: Session, key_id: int, quotas: dict[str, Any]) -> GatewayKey:
    key = get_key(session, key_id)
    for name, value in _validated_quotas(quotas).items():
        setattr(key, name, value)
    return key


def list_keys(session: Session, org: str | None = None) -> list[GatewayKey]:
    query = select(GatewayKey).order_by(GatewayKey.id)
    if org is not None:
        query = query.join(Organisation).where(Organisation.slug == org)
    return list(session.scalars(query))
