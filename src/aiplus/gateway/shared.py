"""The platform's shared gateway: built once per platform, always behind the guardrails."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_
from aiplus.gateway.backends import backend_from
from aiplus.gateway.metrics import GatewayMetrics, metrics_of
from aiplus.gateway.service import Gateway, Vault
from aiplus.gateway.settings import GatewaySettings, LlmSettings
from aiplus.guard.contract import Guardrails
from aiplus.guard.redteam.chat import provide_chat_service

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

log = logging.getLogger(__name__)
SHARED_KEY = "llm-gateway"


def platform_guardrails(platform: Platform) -> Guardrails:
    """The guard-scanners chain for this platform. Without it the gateway refuses to run:
    an unguarded model behind a "guarded" gateway would be worse than none."""
    try:
        from aiplus.guard.pipeline import guardrails_of
    except ImportError as exc:
        raise Unavailable(N_("The guardrails are not installed, so the gateway is off.")) from exc
    return guardrails_of(platform)


def pii_vault_factory() -> Callable[[], Vault] | None:
    try:
        from aiplus.guard.pii import Vault as PiiVault  # type: ignore[attr-defined]
    except ImportError:
        log.warning("aiplus.guard.pii.Vault is missing: prompts reach the model unmasked")
        return None
    return PiiVault  # type: ignore[no-any-return]


def build_gateway(platform: Platform, *, guardrails: Guardrails | None = None,
                  llm: LlmSettings | None = None, settings: GatewaySettings | None = None,
                  vault_factory: Callable[[], Vault] | None = None,
                  metrics: GatewayMetrics | None = None) -> Gateway:
    """A gateway for ``platform``; arguments left out come from the environment and the
    platform's shared services. Call it outside ``platform.shared``: it uses that too."""
    return Gateway(backend_from(llm or LlmSettings()),
                   guardrails or platform_guardrails(platform),
                   settings=settings or GatewaySettings(), db=platform.db,
                   vault_factory=vault_factory or pii_vault_factory(),
                   metrics=metrics or metrics_of(platform))


def gateway_of(platform: Platform) -> Gateway:
    """The platform's shared gateway, built on first use. Its shared parts are fetched
    first: ``platform.shared`` holds a plain lock while it builds, so building the gateway
    inside it must not ask for another shared service."""
    guardrails, metrics = platform_guardrails(platform), metrics_of(platform)
    return platform.shared(SHARED_KEY, lambda: build_gateway(  # type: ignore[no-any-return]
        platform, guardrails=guardrails, metrics=metrics))


# Red-team runs (in the guard, which cannot import the gateway above it) probe models here.
provide_chat_service(gateway_of)
