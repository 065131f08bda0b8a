"""Checking what a CKAN client sends: every problem is collected as field -> [messages].

CKAN answers invalid input with a "Validation Error" naming each field; collecting all
problems first (rather than stopping at the first) tells a data steward everything to fix in
one round trip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from aiplus.core import jsonlimits
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
TAG = re.compile(r"^[\w .\-\u3400-\u9fff]{1,100}$")
FREQUENCIES = ("real-time", "daily", "weekly", "monthly", "quarterly", "annual", "irregular",
               "as-needed")
STATES = ("active", "draft", "deleted")
CLASSIFICATIONS = ("public", "internal", "restricted")


class Problems:
    """Collects field -> messages and raises one CKAN-style validation error at the end.

    Messages are English source strings with ``{named}`` fields; the error carries them
    formatted in English (what CKAN clients expect) and, as ``localisable``, the source strings
    and values, so a page can show them in the reader's language (:func:`localised`).
    """

    def __init__(self) -> None:
        self.fields: dict[str, list[tuple[str, dict[str, Any]]]] = {}

    def add(self, field: str, message: str, **params: Any) -> None:
        self.fields.setdefault(field, []).append((message, params))

    def raise_if_any(self) -> None:
        if self.fields:
            error = ValidationFailed(details={
                field: [message.format(**params) for message, params in messages]
                for field, messages in self.fields.items()})
            error.localisable = self.fields  # type: ignore[attr-defined]
            raise error


def localised(error: ValidationFailed, translate: Callable[..., str]) -> Any:
    """The error's field messages in the reader's language, where they were collected here."""
    collected = getattr(error, "localisable", None)
    if collected is None:
        return error.details
    return {field: [translate(message, **params) for message, params in messages]
            for field, messages in collected.items()}


def text(data: Mapping[str, Any], key: str, problems: Problems, limit: int,
         default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        problems.add(key, N_("Must be a string."))
        return default
    if len(value) > limit:
        problems.add(key, N_("Must be at most {limit} characters."), limit=limit)
        return value[:limit]
    if "\x00" in value:
        problems.add(key, N_("Must not contain NUL characters."))
        return default
    return value.strip()


def translated(data: Mapping[str, Any], key: str, problems: Problems, limit: int,
               locale: str) -> tuple[str, str] | None:
    """(en, zh) from ``key_translated`` or the plain ``key`` in the request language."""
    bilingual = data.get(f"{key}_translated")
    if isinstance(bilingual, str):
        try:
            bilingual = jsonlimits.loads(bilingual)
        except json.JSONDecodeError:
            problems.add(f"{key}_translated", N_("Must be an object with en and zh-Hant."))
            return None
    if isinstance(bilingual, Mapping):
        en = text(bilingual, "en", problems, limit)
        zh = text(bilingual, "zh-Hant", problems, limit) or text(bilingual, "zh", problems, limit)
        return en, zh
    if bilingual is not None:
        problems.add(f"{key}_translated", N_("Must be an object with en and zh-Hant."))
        return None
    if key not in data:
        return None
    plain = text(data, key, problems, limit)
    return ("", plain) if locale == "zh-Hant" else (plain, "")


def boolean(data: Mapping[str, Any], key: str, problems: Problems, default: bool) -> bool:
    value = data.get(key, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
        return value.lower() in ("true", "1", "yes")
    problems.add(key, N_("Must be true or false."))
    return default


def choice(data: Mapping[str, Any], key: str, problems: Problems, allowed: tuple[str, ...],
           default: str) -> str:
    value = data.get(key, default)
    if value not in allowed:
        problems.add(key, N_("Must be one of: {values}."), values=", ".join(allowed))
        return default
    return str(value)


def name_list(value: Any, key: str, problems: Problems) -> list[str]:
    """Names from CKAN's ``[{"name": ...}]``, plain strings, or a comma-separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        items: list[Any] = [part for part in value.split(",") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        problems.add(key, N_("Must be a list."))
        return []
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, Mapping) else item
        if not isinstance(name, str) or not name.strip():
            problems.add(key, N_("Every entry needs a name."))
            continue
        names.append(name.strip())
    return list(dict.fromkeys(names))
