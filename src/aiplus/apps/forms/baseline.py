"""The benchmark's baseline: raw OCR text plus regular expressions, no template geometry.

What a quick script would do: find HKID-, date-, phone- and email-shaped strings in the page
text, take dates in reading order, and take the line after a label for free-text fields.
It has no way to judge a signature or photo box, so it guesses "present" (the common case).
"""

from __future__ import annotations

import re

from aiplus.apps.forms.values import normalise

_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
_PATTERNS = {
    "id_number": re.compile(r"[A-Z]{1,2}\d{6}\([0-9A]\)"),
    "licence_number": re.compile(r"\b[A-Z]{1,2}\d{6}[0-9A]\b"),
    "phone": re.compile(r"\b[2-9]\d{3} ?\d{4}\b"),
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
}
_NEXT_LINE = {"name_en": ("name_en", "Name in English"), "name_zh": ("name_zh", "Name in Chinese"),
              "address": ("text", "Residential address")}
_DATES_IN_ORDER = ("date_of_birth", "licence_expiry", "permit_valid_from", "declaration_date")


def extract(text: str) -> dict[str, str]:
    lines = text.splitlines()
    found: dict[str, str] = {}
    for name, pattern in _PATTERNS.items():
        match = pattern.search(text)
        kind = "id_number" if name == "id_number" else name
        found[name] = normalise(kind, match.group(0)).value if match else ""
    for name, date in zip(_DATES_IN_ORDER, _DATE.findall(text), strict=False):
        found[name] = normalise("date", date).value
    for name, (kind, label) in _NEXT_LINE.items():
        index = next((i for i, line in enumerate(lines) if label.lower() in line.lower()), None)
        if index is not None and index + 1 < len(lines):
            found[name] = normalise(kind, lines[index + 1]).value
    found["signature"] = found["photo"] = "present"
    return found
