"""DataStore errors: each carries a plain message and, where it helps, the field, row or column.

They extend the platform's error hierarchy (``aiplus.core.errors``) so the API layer maps them
to HTTP once: bad input is 400, a refused SQL statement 403, a missing resource 404, a file over
the size limit 413. ``details`` holds the machine-readable part (``field``, ``row``, ``column``).
"""

from __future__ import annotations

from typing import Any

from aiplus.core.errors import AiplusError


class DataStoreError(AiplusError):
    """Base of every DataStore error."""

    status_code = 400
    code = "datastore_error"
    default_message = "The DataStore could not do this."

    def __init__(
        self, message: str | None = None, *, field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.field = field
        merged: dict[str, Any] = dict(details or {})
        if field is not None:
            merged.setdefault("field", field)
        # The message is already complete; no params, so braces in user data stay literal.
        super().__init__(message, details=merged or None)

    def __str__(self) -> str:
        return self.message


class DataStoreValidationError(DataStoreError):
    """A request parameter (filters, sort, fields, limit...) is invalid."""

    code = "datastore_validation_error"

    def __init__(self, field: str, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, field=field, details=details)


class DataStoreNotFound(DataStoreError):
    status_code = 404
    code = "datastore_not_found"

    def __init__(self, resource_id: str) -> None:
        super().__init__(
            f"No DataStore table for resource {resource_id}.", field="resource_id",
            details={"resource_id": resource_id},
        )


class DataStoreSqlError(DataStoreError):
    """datastore_search_sql: the SQL does not parse or fails when it runs."""

    code = "datastore_sql_error"


class DataStoreSqlForbidden(DataStoreSqlError):
    """datastore_search_sql: the statement is valid SQL but not allowed in the sandbox."""

    status_code = 403
    code = "datastore_sql_forbidden"


class DataStoreTimeout(DataStoreSqlError):
    code = "datastore_timeout"


class IngestError(DataStoreError):
    """A file could not be turned into a table; ``row`` is 1-based as a person counts lines
    in the file (the header is row 1), ``column`` the column name where known."""

    code = "datastore_ingest_error"

    def __init__(
        self, message: str, *, row: int | None = None, column: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.row = row
        self.column = column
        merged = dict(details or {})
        if row is not None:
            merged["row"] = row
        if column is not None:
            merged["column"] = column
        super().__init__(message, details=merged)


class IngestTooLarge(IngestError):
    status_code = 413
    code = "datastore_too_large"
