"""How resources are named in SQL: resource ids, their tables and quoted identifiers.

Shared by the stores and by the search, SQL and export modules that the stores offer as
methods, so those modules need not import the stores back.
"""

from __future__ import annotations

import re
import uuid

from aiplus.core.identifiers import canonical_uuid
from aiplus.data.datastore.errors import DataStoreValidationError

_TABLE_RE = re.compile(r"res_([0-9a-f]{32})")


def normalise_resource_id(resource_id: object) -> str:
    """The canonical (lower-case, hyphenated) UUID of a resource; refuses anything else."""
    rid = canonical_uuid(resource_id)
    if rid is None:
        raise DataStoreValidationError(
            "resource_id", f"{str(resource_id)[:80]!r} is not a valid resource id (a UUID)."
        )
    return rid


def table_name(resource_id: str) -> str:
    return "res_" + uuid.UUID(resource_id).hex


def quote_ident(name: str) -> str:
    """A double-quoted SQL identifier (same rules in DuckDB and PostgreSQL)."""
    if "\x00" in name:
        raise DataStoreValidationError("fields", "Field names cannot contain NUL characters.")
    return '"' + name.replace('"', '""') + '"'


def unmask_tables(message: str) -> str:
    """Replace internal table names in a database message with the resource ids."""
    return _TABLE_RE.sub(lambda m: str(uuid.UUID(m.group(1))), message)
