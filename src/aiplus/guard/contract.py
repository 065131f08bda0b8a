"""The one contract every guardrail scanner keeps, and what a scan returns.

A scanner looks at one text flowing into a model (``input``) or out of it (``output``) and
returns ``(sanitized, allowed, score, findings)``: the text to pass on (secrets or personal
data may be redacted), whether it may pass at all, a risk score in [0, 1] and the reasons.
The gateway, the applications and the security monitor all speak this contract, so a new
scanner plugs in without any of them changing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable


class Direction(StrEnum):
    INPUT = "input"
    OUTPUT = "output"


@dataclass(frozen=True)
class Finding:
    """One reason a scanner gives: which scanner, what kind, how sure, and where."""

    scanner: str
    kind: str
    score: float
    message: str
    start: int | None = None
    end: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ScanResult:
    sanitized: str
    allowed: bool
    score: float
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "sanitized": self.sanitized, "score": self.score,
                "findings": [finding.as_dict() for finding in self.findings]}


@runtime_checkable
class Scanner(Protocol):
    """``scan(text) -> ScanResult``; ``name`` identifies it in findings, policies and
    incidents; ``directions`` says which way of the flow it applies to."""

    name: str
    directions: frozenset[Direction]

    def scan(self, text: str) -> ScanResult: ...


@dataclass(frozen=True)
class CallContext:
    """Who is making a generative-AI call, for policies and incidents."""

    org: str | None = None
    app: str | None = None
    user: str | None = None


@runtime_checkable
class Guardrails(Protocol):
    """The policy-selected chain of scanners for one organisation and app; the gateway calls it
    on every prompt (``INPUT``) and every completion (``OUTPUT``). Blocked or flagged calls
    are recorded as incidents by the implementation, so callers cannot forget to."""

    def scan(self, text: str, direction: Direction, context: CallContext) -> ScanResult: ...
