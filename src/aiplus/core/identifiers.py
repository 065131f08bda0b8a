"""Identifiers that arrive from outside, parsed once into the one spelling the platform stores.

Resource and dataset ids are UUIDs. Python's UUID parser accepts many spellings of one id:
upper or lower case, with or without hyphens (anywhere), in braces, behind ``urn:uuid:``.
The database stores only the canonical spelling (lower case, 8-4-4-4-12). When one part of
the platform recognises a spelling that another does not, the two disagree about which
record a request names; the SQL sandbox once resolved spellings that the access check never
saw, and served private rows. So every lookup and every access check of such an id goes
through :func:`canonical_uuid`, and only its answer travels further.
"""

from __future__ import annotations

import uuid

# The longest spelling the UUID parser accepts is ``urn:uuid:{...}`` with 36 characters
# inside; anything longer cannot be an id, and is refused before any parsing.
MAX_ID_SPELLING = 64


def canonical_uuid(value: object) -> str | None:
    """The canonical spelling of a UUID written in any accepted form, or None if it is none.

    None (not an exception) because "this is not an id" is an ordinary answer: a dataset is
    named by id or by name, and a SQL table by resource id or by a ``WITH`` name.
    """
    if not isinstance(value, str) or len(value) > MAX_ID_SPELLING:
        return None
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return None
