"""Qwen's ChatML prompt format, written out rather than taken from the GGUF's Jinja template.

Writing it here keeps the prompt exact and testable, and lets the gateway count prompt tokens
for quotas before generating. A default system line is added when the caller sends none, as
Qwen's own template does.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
END = "<|im_end|>"


def format_chat(messages: Sequence[dict[str, str]]) -> str:
    """``<|im_start|>role\\ncontent<|im_end|>`` per message, then the assistant's turn opens."""
    parts = []
    if not messages or messages[0]["role"] != "system":
        parts.append(f"<|im_start|>system\n{DEFAULT_SYSTEM}{END}\n")
    for message in messages:
        parts.append(f"<|im_start|>{message['role']}\n{message['content']}{END}\n")
    parts.append("<|im_start|>assistant\n")
    return "".join(parts)
