"""Canary tokens that reveal a leaked system prompt.

An application puts :func:`canary_for` (a token unique to its organisation and app, derived
from the platform's secret key so nobody can guess it) into its system prompt. The canary
scanner looks for it, or for its random part alone, in every answer: if a model repeats its
instructions, the token comes out with them and the answer is blocked.
"""

from __future__ import annotations

import hashlib
import hmac

from aiplus.guard.contract import CallContext, Direction, Finding, ScanResult

NAME = "canary"
PREFIX = "cnry-"


def canary_for(secret_key: str, context: CallContext) -> str:
    message = f"{context.org or '-'}|{context.app or '-'}".encode()
    return PREFIX + hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:16]


class CanaryScanner:
    name = NAME
    directions = frozenset({Direction.OUTPUT})

    def __init__(self, tokens: tuple[str, ...]) -> None:
        self.tokens = tokens

    def scan(self, text: str) -> ScanResult:
        folded = text.lower()
        for token in self.tokens:
            body = token.removeprefix(PREFIX).lower()
            where = folded.find(body) if body else -1
            if where >= 0:
                finding = Finding(NAME, "system_prompt_leak", 1.0,
                                  "the system prompt's canary token appears in the output",
                                  where, where + len(body))
                start = where - len(PREFIX) if folded[:where].endswith(PREFIX) else where
                sanitized = text[:start] + "[REDACTED:canary]" + text[where + len(body):]
                return ScanResult(sanitized, False, 1.0, (finding,))
        return ScanResult(text, True, 0.0)
