"""The one contract every guardrail scanner keeps, and what a scan returns.

A scanner looks at one text flowing into a model (``input``: the caller's own words;
``document``: material the caller fetched and asks the model to read, such as retrieved
passages, uploads, e-mails or tool output) or out of it (``output``) and returns
``(sanitized, allowed, score, findings)``: the text to pass on (secrets or personal
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
    # Untrusted material inside a prompt: whoever wrote it is not the caller, so an
    # instruction in it is an indirect injection, while a user asking about it is not.
    DOCUMENT = "document"
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
    """Who is making a generative-AI call, for policies and incidents, and which texts inside
    its messages are documents.

    ``documents`` are texts the caller placed verbatim in its (non-system) messages after
    fetching them from somewhere it does not vouch for (retrieved passages, uploads, FAQ
    answers, tool output). The gateway scans each one as :attr:`Direction.DOCUMENT` and the
    rest of the message, the user's own words, as :attr:`Direction.INPUT`; a text not found
    in any message is ignored. In-process callers set it; over HTTP every message is input.
    """

    org: str | None = None
    app: str | None = None
    user: str | None = None
    documents: tuple[str, ...] = ()


@runtime_checkable
class Guardrails(Protocol):
    """The policy-selected chain of scanners for one organisation and app; the gateway calls it
    on every prompt (``INPUT``) and every completion (``OUTPUT``). Blocked or flagged calls
    are recorded as incidents by the implementation, so callers cannot forget to."""

    def scan(self, text: str, direction: Direction, context: CallContext) -> ScanResult: ...


def split_documents(text: str, documents: tuple[str, ...]) -> list[tuple[str, bool]]:
    """``text`` as consecutive ``(piece, is_document)`` parts, joined back they give ``text``:
    each of ``documents`` found in it (longest first, first occurrence onwards, never
    overlapping) is a document part; the rest is the caller's own words."""
    spans: list[tuple[int, int]] = []
    for document in sorted({d for d in documents if d and d.strip()}, key=len, reverse=True):
        start = text.find(document)
        while start >= 0:
            end = start + len(document)
            if not any(start < e and s < end for s, e in spans):
                spans.append((start, end))
            start = text.find(document, end)
    parts: list[tuple[str, bool]] = []
    last = 0
    for start, end in sorted(spans):
        if start > last:
            parts.append((text[last:start], False))
        parts.append((text[start:end], True))
        last = end
    if last < len(text) or not parts:
        parts.append((text[last:], False))
    return parts
