"""The copilot's one door to a language model: the platform's gateway, whose guardrails scan
every prompt and every answer (injection, secrets, personal data) and whose ledger meters it.
Whichever model the gateway serves (the local 1.5B model, or a remote one when configured) is
named in each output, so the officer knows what produced it.

What the copilot reads out of documents (retrieved passages, the text to summarise) is passed
as ``documents``: the texts, verbatim as they appear in the user message, that the gateway
scans as documents (indirect injection) rather than as the officer's own words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_

if TYPE_CHECKING:
    from aiplus.gateway import ChatResult, ChatStream, Gateway
    from aiplus.guard.contract import CallContext
    from aiplus.platform.services import Platform

NO_MODEL = N_("No language model is available just now. Extractive summaries still work.")


@dataclass(frozen=True)
class Llm:
    platform: Platform
    org: str
    user: str

    def _gateway(self) -> Gateway:
        from aiplus.gateway import gateway_of

        gateway = gateway_of(self.platform)
        if not gateway.available():
            raise Unavailable(NO_MODEL)
        return gateway

    def available(self) -> bool:
        try:
            self._gateway()
        except Unavailable:
            return False
        return True

    def _context(self, documents: Sequence[str]) -> CallContext:
        from aiplus.guard.contract import CallContext

        return CallContext(org=self.org, app="copilot", user=self.user,
                           documents=tuple(documents))

    def stream(self, system: str, user: str, max_tokens: int,
               documents: Sequence[str] = ()) -> ChatStream:
        return self._gateway().stream_chat(
            [{"role": "system", "content": system}, {"role": "user", "content": user}],
            max_tokens=max_tokens, temperature=0.0, context=self._context(documents))

    def chat(self, system: str, user: str, max_tokens: int,
             documents: Sequence[str] = ()) -> ChatResult:
        return self._gateway().chat(
            [{"role": "system", "content": system}, {"role": "user", "content": user}],
            max_tokens=max_tokens, temperature=0.0, context=self._context(documents))
