"""The OpenAI-compatible GenAI gateway: one guarded, metered way to every language model.

``gateway_of(platform)`` is the platform's shared :class:`Gateway`; ``api.router`` serves
``/v1`` (models, chat completions with SSE streaming, completions, embeddings) to any OpenAI
client; ``web.router`` the admin and playground pages.
"""

from aiplus.core.lazy import lazy_exports

__getattr__, __all__ = lazy_exports(__name__, {
    **dict.fromkeys(("ChatResult", "ChatStream", "Gateway", "Options"), "service"),
    **dict.fromkeys(("SHARED_KEY", "build_gateway", "gateway_of"), "shared"),
})
