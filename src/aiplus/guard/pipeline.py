"""The platform's :class:`~aiplus.guard.contract.Guardrails`: the policy-selected chain of
scanners (:mod:`aiplus.guard.scanners.chain`: which scanners meet which direction, and how
their verdicts combine) run for each organisation and app, incidents recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiplus.guard.contract import CallContext, Direction, ScanResult
from aiplus.guard.monitor.incidents import record_incident
from aiplus.guard.scanners.canary import canary_for
from aiplus.guard.scanners.chain import build_scanners, combine
from aiplus.guard.scanners.policy import policy_for

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

MAX_TEXT_CHARS = 50_000


class PlatformGuardrails:
    """Guardrails backed by the platform's database (policies, incidents) and secret key
    (canary tokens)."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform

    def canary(self, context: CallContext) -> str:
        """The canary token an app of ``context`` should embed in its system prompt."""
        return canary_for(self.platform.settings.session_secret, context)

    def scan(self, text: str, direction: Direction, context: CallContext) -> ScanResult:
        text = text[:MAX_TEXT_CHARS]
        with self.platform.db.read() as session:
            policy = policy_for(session, context.org, context.app)
        scanners = build_scanners(policy, (self.canary(context),))
        result, outcome = combine(policy, scanners, text, direction)
        if outcome is not None:
            with self.platform.db.transaction() as session:
                record_incident(session, context=context, direction=direction, outcome=outcome,
                                text=text, result=result)
        return result


def guardrails_of(platform: Platform) -> PlatformGuardrails:
    """The platform's guardrails, made once and shared (the injection model loads once)."""
    return platform.shared("guard.guardrails", lambda: PlatformGuardrails(platform))  # type: ignore[no-any-return]
