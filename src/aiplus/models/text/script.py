"""Which script and language a text is written in, and its normalised form."""

from __future__ import annotations

import re
import unicodedata

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{HAN}]")


def letters(text: str) -> tuple[int, int, int]:
    """Counts of Han characters, Latin letters and letters of any other script."""
    han = latin = other = 0
    for char in text:
        if HAN_RE.match(char):
            han += 1
        elif char.isalpha():
            if "LATIN" in unicodedata.name(char, ""):
                latin += 1
            else:
                other += 1
    return han, latin, other


def language_of(text: str) -> str | None:
    """``zh-Hant``, ``en`` or None when the text has no letters or is mostly in another script.

    A Chinese character carries about as much as an English word, hence the weight of 4: Han
    characters need only be a fifth of the letters, so code-mixed Cantonese («renew 身份證要幾錢»),
    mostly Latin letters by count, is still a Chinese sentence."""
    han, latin, other = letters(text)
    if other > (han + latin) or (han == 0 and latin == 0):
        return None
    return "zh-Hant" if han * 4 >= latin else "en"


def detect_language(text: str) -> str:
    """:func:`language_of`, falling back to ``en`` for a service that must reply in one of
    its two languages whatever it was sent."""
    return language_of(text) or "en"


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())
