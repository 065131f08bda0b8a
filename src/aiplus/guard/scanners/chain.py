"""The policy's chain of scanners, and how their verdicts combine for one text.

Each direction has its own scanners: the caller's words (``input``) meet injection and
personal-data-request detection, documents the caller hands the model (``document``) meet
indirect-injection detection, answers (``output``) meet leak detection; secrets and banned
topics apply where they say. Combination: a scanner that does not allow the text applies its
policy action. ``block`` stops the text; ``redact`` passes the scanner's sanitized text on to
the next scanner (a scanner with nothing to redact, such as injection, blocks instead);
``flag`` lets the text through unchanged but records an incident. The result's score is the
highest score seen. :mod:`aiplus.guard.pipeline` runs the chain for the platform and records
incidents; the benchmark runs it as it is.
"""

from __future__ import annotations

from aiplus.guard.contract import Direction, Finding, ScanResult, Scanner
from aiplus.guard.scanners.canary import CanaryScanner
from aiplus.guard.scanners.exfiltration import PersonalDataRequestScanner
from aiplus.guard.scanners.indirect import IndirectInjectionScanner
from aiplus.guard.scanners.injection import InjectionScanner
from aiplus.guard.scanners.pii_leak import PiiLeakScanner
from aiplus.guard.scanners.policy import Policy
from aiplus.guard.scanners.secrets import SecretsScanner
from aiplus.guard.scanners.topics import TopicScanner


def build_scanners(policy: Policy, canary_tokens: tuple[str, ...]) -> list[Scanner]:
    """The policy's scanners, in a fixed order: cheap redactions before the models."""
    made: dict[str, Scanner] = {
        "secrets": SecretsScanner(policy.threshold("secrets")),
        "injection": InjectionScanner(policy.threshold("injection")),
        "exfiltration": PersonalDataRequestScanner(policy.threshold("exfiltration")),
        "indirect_injection": IndirectInjectionScanner(policy.threshold("indirect_injection")),
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
