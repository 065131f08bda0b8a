"""SMS replies: how a text splits into the parts a phone reassembles, and the gateway seam.

Operators bill per part, and a part broken in the wrong place shows as garbage, so the rules
of 3GPP TS 23.038 / 23.040 are followed exactly: text that fits the GSM 7-bit alphabet is sent
as GSM-7 (160 septets, or 153 per part once the concatenation header takes its room), anything
else as UCS-2 (70 UTF-16 units, 67 per part). Extension characters such as € and [ cost an
escape plus the character, and an emoji is a surrogate pair; splitting works on whole
characters so neither pair is ever cut. Parts end after a space or Chinese punctuation when one
is near, and joined again they are exactly the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import phonenumbers

from aiplus.core.errors import BadRequest
from aiplus.core.i18n import N_

GSM7 = "GSM-7"
UCS2 = "UCS-2"

# GSM 03.38 default alphabet (without the escape code 0x1B) and its extension table.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

SINGLE = {GSM7: 160, UCS2: 70}
PER_PART = {GSM7: 153, UCS2: 67}
BREAK_AFTER = frozenset(" \t\n，。、；：！？」』）,.;:!?")
"""A part may end after one of these; searched back over at most half a part."""

INVALID_NUMBER = N_("{number} is not a valid phone number. Please give a Hong Kong number or a "
                    "number with its country code.")


@dataclass(frozen=True)
class SmsPlan:
    """The parts a reply is sent as."""

    encoding: str
    """"GSM-7" | "UCS-2"."""
    parts: tuple[str, ...]
    characters: int
    """Length in encoding units: septets for GSM-7 (extension characters count 2), UTF-16
    code units for UCS-2 (characters beyond the BMP, such as emoji, count 2)."""


@runtime_checkable
class SmsGateway(Protocol):
    """Where planned messages go: an operator's API in production, the outbox table here."""

    def send(self, to: str, plan: SmsPlan) -> str:
        """Queue ``plan`` for the E.164 number ``to`` and return the message id."""
        ...


def encoding_of(text: str) -> str:
    """GSM-7 when every character is in the GSM alphabet or its extension, else UCS-2."""
    return GSM7 if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else UCS2


def _units(char: str, encoding: str) -> int:
    if encoding == GSM7:
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1


def plan_sms(text: str, *, max_parts: int = 10) -> SmsPlan:
    """Split ``text`` into SMS parts; ValueError if it is empty or needs more than ``max_parts``."""
    if not text:
        raise ValueError("an SMS needs some text")
    encoding = encoding_of(text)
    weights = [_units(char, encoding) for char in text]
    total = sum(weights)
    if total <= SINGLE[encoding]:
        return SmsPlan(encoding, (text,), total)
    room = PER_PART[encoding]
    parts: list[str] = []
    start = 0
    while start < len(text):
        end, used = start, 0
        while end < len(text) and used + weights[end] <= room:
            used += weights[end]
            end += 1
        if end < len(text):
            end = _break_before(text, start, end)
        parts.append(text[start:end])
        start = end
        if len(parts) > max_parts:
            raise ValueError(f"the text needs more than {max_parts} SMS parts")
    return SmsPlan(encoding, tuple(parts), total)


def _break_before(text: str, start: int, end: int) -> int:
    """The end of the part: just after the last break character in its second half, if any."""
    for cut in range(end, start + (end - start) // 2, -1):
        if text[cut - 1] in BREAK_AFTER:
            return cut
    return end


def normalise_msisdn(number: str) -> str:
    """The E.164 form of a phone number (Hong Kong when no country code is given)."""
    try:
        parsed = phonenumbers.parse(number, "HK")
    except phonenumbers.NumberParseException as error:
        raise BadRequest(INVALID_NUMBER, number=number[:40]) from error
    if not phonenumbers.is_valid_number(parsed):
        raise BadRequest(INVALID_NUMBER, number=number[:40])
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
