"""The platform's own JSON API: system endpoints, identity, jobs and the audit log."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, field_validator


class Body(BaseModel):
    """Base of every JSON request body: no text field may hold a NUL character.

    SQLite would store one, PostgreSQL refuses it with an error, so without this rule the same
    request would succeed on one backend and fail with a 500 on the other.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value
