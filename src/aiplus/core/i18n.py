"""Bilingual text: English source strings translated through Babel catalogues.

Source strings are English; ``zh-Hant`` comes from ``locale/zh_Hant/LC_MESSAGES/messages.po``.
The catalogue is read once with Babel, so editing the ``.po`` file is all a translator does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

LOCALES: tuple[str, ...] = ("en", "zh-Hant")
DEFAULT_LOCALE = "en"
LOCALE_NAMES = {"en": "English", "zh-Hant": "繁體中文"}
CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANG_COOKIE = "aiplus_lang"
LANG_COOKIE_DAYS = 365


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated when shown)."""
    return message


@dataclass(frozen=True)
class Translator:
    """Translates source strings into one locale; missing entries fall back to English."""

    locale: str
    messages: dict[str, str]

    def gettext(self, message: str, **params: object) -> str:
        text = self.messages.get(message) or message
        return text.format(**params) if params else text

    __call__ = gettext

    @property
    def html_lang(self) -> str:
        return self.locale


def _babel_folder(locale: str) -> str:
    return str(Locale.parse(locale, sep="-"))


@lru_cache(maxsize=None)
def translator(locale: str) -> Translator:
    """The translator for a supported locale (cached per process)."""
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    messages: dict[str, str] = {}
    po_file = CATALOGUE_DIR / _babel_folder(locale) / "LC_MESSAGES" / "messages.po"
    if locale != DEFAULT_LOCALE and po_file.exists():
        with po_file.open("rb") as handle:
            catalogue = read_po(handle, locale=_babel_folder(locale))
        messages = {
            str(m.id): str(m.string) for m in catalogue if m.id and m.string and not m.fuzzy
        }
    return Translator(locale=locale, messages=messages)


def normalise(tag: str | None) -> str | None:
    """Map a language tag (``zh-HK``, ``zh_TW``, ``zh-hant``, ``en-GB``) to a supported locale."""
    if not tag:
        return None
    tag = tag.strip().replace("_", "-").lower()
    if tag.startswith("zh"):
        return None if ("hans" in tag or tag in ("zh-cn", "zh-sg")) else "zh-Hant"
    if tag.startswith("en"):
        return "en"
    return None


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """Pick the locale: explicit query first, then the saved choice, then the browser's list."""
    for candidate in (query, cookie):
        if chosen := normalise(candidate):
            return chosen
    if accept_language:
        ranked = []
        for position, part in enumerate(accept_language.split(",")):
            tag, _, quality = part.strip().partition(";q=")
            try:
                weight = float(quality) if quality else 1.0
            except ValueError:
                weight = 0.0
            ranked.append((-weight, position, tag))
        for _, _, tag in sorted(ranked):
            if chosen := normalise(tag):
                return chosen
    return DEFAULT_LOCALE


@dataclass(frozen=True)
class Bilingual:
    """A piece of content in both languages, stored as ``{"en": ..., "zh-Hant": ...}``."""

    en: str
    zh: str

    def get(self, locale: str) -> str:
        return self.zh if locale == "zh-Hant" else self.en

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "zh-Hant": self.zh}
