"""JSON from outside, checked for shape before Python's parser sees it.

``json.loads`` recurses once per nesting level and converts every integer exactly, so a
small body can still break it: ten thousand ``[`` raise ``RecursionError``, and an integer of
more than 4,300 digits raises ``ValueError`` (CPython's guard against quadratic conversion).
Neither is a ``JSONDecodeError``, so code that catches only that answered such bodies with a
500. :func:`problem` measures nesting depth and the longest run of digits in C-speed passes
(strings are blanked out first, so brackets and digits inside text do not count; depth is
found by peeling matched bracket pairs level by level with ``bytes.replace``, stopping at the
first run of more openers than the limit), and
:func:`loads` parses only JSON that passes, raising :class:`JsonRefused`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiplus.core.errors import BadRequest
from aiplus.core.i18n import N_

# No document the platform accepts nests deeper than a few levels (GeoJSON MultiPolygons
# are the deepest at seven) or holds a number longer than a few dozen digits.
MAX_DEPTH = 64
MAX_DIGITS = 100

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class JsonRefused(BadRequest, ValueError):
    """JSON too deep or with too long a number. A ``ValueError``, so parsers that catch
    malformed input catch this too; a ``BadRequest``, so whatever escapes is a 400."""


def problem(text: str | bytes, max_depth: int = MAX_DEPTH, max_digits: int = MAX_DIGITS,
            ) -> JsonRefused | None:
    """Why this JSON must not be parsed, or None when its shape is harmless.

    Only shape is judged: invalid JSON with a harmless shape passes, for the parser to refuse.
    """
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    bare = _STRING.sub(b'""', raw)
    brackets = bare.translate(None, _NOT_BRACKETS)
    too_deep = re.compile(rb"[\[{]{%d}" % (max_depth + 1))
    for _ in range(max_depth):  # each pass removes the innermost level of matched pairs
        if not brackets or too_deep.search(brackets):
            break
        brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
    if brackets:
        return JsonRefused(N_("The JSON is nested more than {limit} levels deep, or its "
                              "brackets do not match."), limit=max_depth)
    if re.search(rb"\d{%d}" % (max_digits + 1), bare):
        return JsonRefused(N_("The JSON holds a number of more than {limit} digits."),
                           limit=max_digits)
    return None


def loads(text: str | bytes, **parse_options: Any) -> Any:
    """``json.loads`` for text from outside: JsonRefused for a harmful shape, else the
    parser's own result or ``JSONDecodeError``."""
    refused = problem(text)
    if refused is not None:
        raise refused
    return json.loads(text, **parse_options)
