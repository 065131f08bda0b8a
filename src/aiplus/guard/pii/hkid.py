"""Hong Kong Identity Card numbers: parsing, check digit, canonical form and masking.

An HKID is one or two capital letters, six digits and a check character (``0``-``9`` or ``A``),
conventionally written ``A123456(7)``. The check character is computed over the letters and
digits: a one-letter prefix is padded on the left with a space; a space counts 36, ``A``-``Z``
count 10-35 and digits count as themselves; the eight values are weighted 9, 8, ... 2; with
``r = sum mod 11`` the check is ``0`` when ``r == 0``, ``A`` when ``r == 1``, else ``11 - r``.
(Test vector: ``CA182361`` has check digit ``1``.)

``parse`` accepts the usual ways people write one: with or without the brackets, with spaces
between the parts, lower case, and full-width characters (``Ａ１２３４５６（７）``). A number
whose check character is wrong is *not* an HKID.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiplus.guard.pii.text import fold

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)
_SHAPE = re.compile(
    r"([A-Z]{1,2}) ?([0-9]{6}) ?(?:\(([0-9A])\)|\[([0-9A])\]|([0-9A]))", re.ASCII
)


def _value(char: str) -> int:
    if char == " ":
        return 36
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    raise ValueError(f"not an HKID character: {char!r}")


def check_digit(body: str) -> str:
    """The check character for 1-2 letters + 6 digits (``"CA182361"`` -> ``"1"``)."""
    body = body.upper()
    if not re.fullmatch(r"[A-Z]{1,2}[0-9]{6}", body, re.ASCII):
        raise ValueError(f"an HKID body is 1-2 letters and 6 digits, not {body!r}")
    padded = body.rjust(8)
    remainder = sum(w * _value(c) for w, c in zip(_WEIGHTS, padded, strict=True)) % 11
    if remainder == 0:
        return "0"
    if remainder == 1:
        return "A"
    return str(11 - remainder)


@dataclass(frozen=True)
class HKID:
    """A valid HKID, split into its parts."""

    prefix: str
    digits: str
    check: str

    @property
    def canonical(self) -> str:
        """``A123456(7)``."""
        return f"{self.prefix}{self.digits}({self.check})"

    def masked(self) -> str:
        """Letters, the first two digits and the check character: ``A12****(7)``."""
        return f"{self.prefix}{self.digits[:2]}****({self.check})"

    def __str__(self) -> str:
        return self.canonical


def parse(value: str) -> HKID | None:
    """The HKID written in ``value`` (whole string, surrounding spaces ignored), or None.

    None when the shape is wrong *or* the check character does not match.
    """
    text = fold(value).strip().upper()
    match = _SHAPE.fullmatch(text)
    if not match:
        return None
    prefix, digits = match.group(1), match.group(2)
    given = match.group(3) or match.group(4) or match.group(5)
    if check_digit(prefix + digits) != given:
        return None
    return HKID(prefix, digits, given)


def is_valid(value: str) -> bool:
    """True when ``value`` is an HKID with the right check character."""
    return parse(value) is not None


def mask(value: str) -> str:
    """``A12****(7)`` for a valid HKID; otherwise all letters and digits starred."""
    parsed = parse(value)
    if parsed:
        return parsed.masked()
    return re.sub(r"[A-Za-z0-9]", "*", value)


def make(prefix: str, digits: str) -> str:
    """The canonical HKID for a prefix and six digits (used by tests and data generators)."""
    return f"{prefix.upper()}{digits}({check_digit(prefix + digits)})"
