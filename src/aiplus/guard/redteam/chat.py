"""The chat service red-team runs probe, as a hook that the service serving models fills in.

The GenAI gateway sits above the guard (it calls the guardrails on every prompt), so the guard
cannot import it; the gateway registers :func:`provide_chat_service` when it loads instead, and
model targets reach the model through it, guardrails included, as users do.

With no provider registered, :func:`chat_service_of` raises
:class:`~aiplus.core.errors.Unavailable`: the red-team page then offers no model, and a run
against a model target fails with that message; HTTP targets need no provider.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from aiplus.core.errors import Unavailable
from aiplus.core.i18n import N_
from aiplus.guard.contract import CallContext

if TYPE_CHECKING:
    from aiplus.platform.services import Platform


class ChatAnswer(Protocol):
    @property
    def text(self) -> str: ...


class ChatService(Protocol):
    """What a run needs of the model service: its chat models, and one guarded chat call that
    raises :class:`~aiplus.core.errors.Forbidden` when the guardrails block it."""

    def available(self) -> bool: ...

    def chat_models(self) -> list[str]: ...

    def chat(self, messages: list[dict[str, Any]], *, model: str, max_tokens: int,
             context: CallContext) -> ChatAnswer: ...


ChatProvider = Callable[["Platform"], ChatService]
_provider: ChatProvider | None = None


def provide_chat_service(provider: ChatProvider) -> None:
    """Make ``provider(platform)`` the chat service of every later run; registering again
    (a module reloaded) replaces the provider."""
    global _provider
    _provider = provider


def chat_service_of(platform: Platform) -> ChatService:
    if _provider is None:
        raise Unavailable(N_("No model service is loaded, so models cannot be red-teamed."))
    return _provider(platform)
