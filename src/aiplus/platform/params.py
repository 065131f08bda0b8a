"""Path parameters every router shares, validated at the boundary.

A numeric id in a URL is a database row id: SQLite and PostgreSQL store 64-bit integers, so a
larger number can never name a row. Declaring the bound here turns such a URL into a clear 422
instead of a driver overflow deep inside a query.
"""

from typing import Annotated

from fastapi import Path

MAX_ROW_ID = 2**63 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A row id (a positive 64-bit integer).")]
