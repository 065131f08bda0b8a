"""Length-preserving normalisation of Hong Kong text before pattern matching.

Hong Kong forms and messages often use full-width characters (``９１２３ ４５６７``,
``Ａ１２３４５６（７）``, ``電話：``) and typographic dashes. :func:`fold` maps each such
character to its ASCII twin *one code point for one code point*, so recognisers match on the
folded text while the offsets they report stay valid for the original text (and
:class:`~aiplus.guard.pii.entities.Entity.text` is always sliced from the original).

Folded: full-width ASCII forms U+FF01-U+FF5E, the ideographic space U+3000, no-break and other
fixed-width spaces, and hyphen/dash variants U+2010-U+2015, U+2212, U+FE63. Chinese full stops
and enumeration commas (``。``, ``、``) have no ASCII twin and stay as they are; they simply
act as separators. Other scripts' digits (Arabic-Indic etc.) are not folded: patterns use
``[0-9]``, never ``\\d``.
"""

from __future__ import annotations

_TABLE: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE.update({0x3000: 0x20, 0x00A0: 0x20, 0x2007: 0x20, 0x202F: 0x20, 0x2009: 0x20})
_TABLE.update(dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015), 0x2D))
_TABLE.update({0x2212: 0x2D, 0xFE63: 0x2D})


def fold(text: str) -> str:
    """Full-width and dash variants to ASCII; ``len(fold(t)) == len(t)`` always."""
    return text.translate(_TABLE)


def window_before(text: str, start: int, size: int = 32) -> str:
    """Up to ``size`` characters before ``start``, lower-cased (for context words)."""
    return text[max(0, start - size):start].lower()
