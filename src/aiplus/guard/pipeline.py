"""The platform's :class:`~aiplus.guard.contract.Guardrails`: policy-selected scanners run in
order, their verdicts combined by the policy's action per scanner, incidents recorded.

Combination: a scanner that does not allow the text applies its policy action. ``block``
stops the text; ``redact`` passes the scanner's sanitized text on to the next scanner (a
scanner with nothing to redact, such as injection, blocks instead); ``flag`` lets the text
through unchanged but records an incident. The result's score is the highest score seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiplus.guard.contract import CallContext, Direction, Finding, ScanResult, Scanner
from aiplus.guard.monitor.incidents import record_incident
from aiplus.guard.scanners.canary import CanaryScanner, canary_for
from aiplus.guard.scanners.injection import InjectionScanner
from aiplus.guard.scanners.pii_leak import PiiLeakScanner
from aiplus.guard.scanners.policy import Policy, policy_for
from aiplus.guard.scanners.secrets import SecretsScanner
from aiplus.guard.scanners.topics import TopicScanner

if TYPE_CHECKING:
    from aiplus.platform.services import Platform

MAX_TEXT_CHARS = 50_000


def build_scanners(policy: Policy, canary_tokens: tuple[str, ...]) -> list[Scanner]:
    """The policy's scanners, in a fixed order: cheap redactions before the models."""
    made: dict[str, Scanner] = {
        "secrets": SecretsScanner(policy.threshold("secrets")),
        "injection": InjectionScanner(policy.threshold("injection")),
        "topics": TopicScanner(policy.topics, policy.threshold("topics")),
        "pii_leak": PiiLeakScanner(policy.threshold("pii_leak")),
        "canary": CanaryScanner(canary_tokens),
    }
    return [made[name] for name in made if name in policy.scanners]


def combine(policy: Policy, scanners: list[Scanner], text: str,
            direction: Direction) -> tuple[ScanResult, str | None]:
    """Run the scanners for ``direction``; returns the result and the incident outcome
    (``blocked``, ``flagged``, ``redacted`` or None)."""
    current, allowed, best = text, True, 0.0
    findings: list[Finding] = []
    outcomes: set[str] = set()
    for scanner in scanners:
        if direction not in scanner.directions:
            continue
        result = scanner.scan(current)
        best = max(best, result.score)
        if result.allowed:
            continue
        findings.extend(result.findings)
        action = policy.action(scanner.name)
        if action == "redact" and result.sanitized != current:
            current = result.sanitized
            outcomes.add("redacted")
        elif action == "flag":
            outcomes.add("flagged")
        else:
            allowed = False
            outcomes.add("blocked")
            break
    outcome = next((o for o in ("blocked", "flagged", "redacted") if o in outcomes), None)
    return ScanResult(current, allowed, round(best, 4), tuple(findings)), outcome


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
