"""Path parameters every router shares, validated at the boundary.

A numeric id in a URL is a database row id. Ids are positive and fit the id columns
(:data:`aiplus.core.identity.MAX_ROW_ID`), so any other number can never name a row: like any
id that names no row it is "not found" (404), decided here instead of by a driver overflow or
an out-of-range error deep inside a query.
"""

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

from aiplus.core.errors import NotFound
from aiplus.core.identity import MAX_ROW_ID


def _a_possible_row(value: int) -> int:
    if not 0 < value <= MAX_ROW_ID:
        raise NotFound()
    return value


RowId = Annotated[int, Path(description="A row id (a positive integer)."),
                  AfterValidator(_a_possible_row)]
