"""Secrets in text: cloud and service API keys, private keys, JWTs, passwords and our own
API tokens. Found secrets are replaced by ``[REDACTED:<kind>]`` in the sanitized text, so a
prompt can go on without leaking the credential to a model or its logs."""

from __future__ import annotations

import re

from aiplus.guard.contract import Direction, Finding, ScanResult

NAME = "secrets"
# (kind, pattern, score): the value to redact is group "secret" when present, else the match.
_PATTERNS: tuple[tuple[str, str, float], ...] = (
    ("private_key", r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[\s\S]+?-----END (?:[A-Z]+ )?"
                    r"PRIVATE KEY-----", 1.0),
    ("aws_access_key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", 0.95),
    ("github_token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b", 0.95),
    ("openai_key", r"\bsk-(?:proj-|live-)?[A-Za-z0-9_-]{20,}\b", 0.9),
    ("slack_token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b", 0.95),
    ("google_api_key", r"\bAIza[0-9A-Za-z_-]{35}\b", 0.95),
    ("stripe_key", r"\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}\b", 0.95),
    ("aiplus_token", r"\baip_[A-Za-z0-9_-]{20,}\b", 0.95),
    ("jwt", r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b", 0.9),
    ("password", r"(?i)(?:\b(?:password|passwd|pwd|passcode|secret|api[_-]?key|token)\b|密碼|密码|"
                 r"口令)\s*(?:is|:|=|：|係|是|为|為)\s*[\"'“「]?(?P<secret>[^\s\"'”」,，。;；]{6,})",
     0.85),
    ("connection_string", r"\b[a-z][a-z0-9+]*://[^\s:/@]+:(?P<secret>[^\s@/]{4,})@[^\s/]+", 0.9),
)
_COMPILED = tuple((kind, re.compile(pattern), score) for kind, pattern, score in _PATTERNS)


def find(text: str) -> list[tuple[str, int, int, float]]:
    """Non-overlapping ``(kind, start, end, score)`` spans of secret values, by position."""
    spans: list[tuple[str, int, int, float]] = []
    for kind, pattern, score in _COMPILED:
        for match in pattern.finditer(text):
            group = "secret" if "secret" in pattern.groupindex and match.group("secret") else 0
            start, end = match.span(group)
            if not any(start < e and s < end for _, s, e, _ in spans):
                spans.append((kind, start, end, score))
    return sorted(spans, key=lambda span: span[1])


def redact(text: str, spans: list[tuple[str, int, int, float]]) -> str:
    out, last = [], 0
    for kind, start, end, _ in spans:
        out += [text[last:start], f"[REDACTED:{kind}]"]
        last = end
    return "".join(out) + text[last:]


class SecretsScanner:
    name = NAME
    directions = frozenset({Direction.INPUT, Direction.DOCUMENT, Direction.OUTPUT})

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def scan(self, text: str) -> ScanResult:
        spans = [span for span in find(text) if span[3] >= self.threshold]
        if not spans:
            return ScanResult(text, True, 0.0)
        findings = tuple(Finding(NAME, kind, score, f"{kind} found", start, end)
                         for kind, start, end, score in spans)
        return ScanResult(redact(text, spans), False, max(s[3] for s in spans), findings)
