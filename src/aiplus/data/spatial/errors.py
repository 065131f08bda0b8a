"""Errors raised while reading spatial data: what is wrong, and where."""

from __future__ import annotations

from typing import Any

from aiplus.core.errors import ValidationFailed


class SpatialError(ValidationFailed):
    """Spatial input that cannot be used, naming the offending ``field``.

    ``message`` is an English template marked with ``N_()`` and filled from ``params``, so the
    platform shows it in the asker's language. ``field`` says where the problem is: a
    JSON-pointer-like path (``features/3/geometry/coordinates``) for GeoJSON, or a column and
    row (``Easting, row 12``) for tabular data. As a
    :class:`~aiplus.core.errors.ValidationFailed` it answers 422 with
    ``details = {"field": ...}`` when an upload route lets it propagate.
    """

    def __init__(self, message: str, field: str = "", **params: object) -> None:
        super().__init__(message, details={"field": field}, **params)
        self.field = field

    @property
    def text(self) -> str:
        """The English message with its parameters filled in."""
        return self.message.format(**self.params) if self.params else self.message

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.text, "field": self.field}
