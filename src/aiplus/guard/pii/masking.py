"""Masked examples that show a steward *what kind* of value was found without repeating it.

``A123456(7)`` -> ``A12****(7)``; ``+852 9123 4567`` -> ``+852 91** **67``;
``chan.tm@example.com`` -> ``c***@example.com``; cards keep the last four digits; passports
keep the first character and the last two; names keep each word's first character;
addresses lose their digits and are cut to 30 characters.
"""

from __future__ import annotations

import re

from aiplus.guard.pii import hkid
from aiplus.guard.pii.entities import ADDRESS, CREDIT_CARD, EMAIL, HKID, PASSPORT, PERSON, PHONE
from aiplus.guard.pii.text import fold


def _star_digits(value: str, keep: set[int]) -> str:
    """Star every digit of ``value`` except the digits whose ordinal (0-based) is in ``keep``."""
    out, index = [], 0
    for char in value:
        if "0" <= char <= "9":
            out.append(char if index in keep else "*")
            index += 1
        else:
            out.append(char)
    return "".join(out)


def mask(entity_type: str, value: str) -> str:
    """A masked rendering of ``value`` suitable for reports and logs."""
    folded = fold(value).strip()
    count = sum(c.isdigit() for c in folded)
    if entity_type == HKID:
        return hkid.mask(folded)
    if entity_type == PHONE:
        offset = count - 8  # the +852 / 00852 digits stay visible
        return _star_digits(folded, set(range(offset)) | {offset, offset + 1, count - 2, count - 1})
    if entity_type == EMAIL:
        local, _, domain = folded.partition("@")
        return f"{local[:1]}***@{domain}"
    if entity_type == CREDIT_CARD:
        return _star_digits(folded, set(range(count - 4, count)))
    if entity_type == PASSPORT:
        return folded[:1] + re.sub(r"[A-Za-z0-9]", "*", folded[1:-2]) + folded[-2:]
    if entity_type == PERSON:
        return re.sub(r"(?<=\w)\w", "*", folded)
    if entity_type == ADDRESS:
        starred = re.sub(r"[0-9]", "*", folded)
        return starred if len(starred) <= 30 else starred[:29] + "…"
    return re.sub(r"\w", "*", folded)
