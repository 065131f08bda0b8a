"""The one shape every governance problem takes: ``{"code", "en", "zh-Hant", "field"}``."""

from __future__ import annotations

Reason = dict[str, str]


def reason(code: str, en: str, zh: str, field: str) -> Reason:
    """A machine code, the explanation in English and Traditional Chinese, and the field."""
    return {"code": code, "en": en, "zh-Hant": zh, "field": field}
