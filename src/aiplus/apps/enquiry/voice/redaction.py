"""Callers read out HKID and phone numbers; logs keep only masked forms (PDPO data minimisation).

Whisper writes spoken digits the way a number is printed ("9,123-4,567"), which hides a phone
number from the PII recognisers, so separators inside digit runs are removed before analysis.
"""

from __future__ import annotations

import re

from aiplus.guard.pii import analyze, mask

_DIGIT_SEPARATORS = re.compile(r"(?<=\d)[ ,\-](?=\d)")


def redact(text: str) -> str:
    """``text`` with digit groups joined and every personal-data value found by
    :mod:`aiplus.guard.pii` masked in place."""
    text = _DIGIT_SEPARATORS.sub("", text)
    out, cursor = [], 0
    for entity in analyze(text):
        out.append(text[cursor:entity.start])
        out.append(mask(entity.type, entity.text))
        cursor = entity.end
    out.append(text[cursor:])
    return "".join(out)
