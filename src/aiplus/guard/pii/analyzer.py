"""Run the recognisers over a text and merge what they find into one non-overlapping list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiplus.guard.pii.entities import ALL_TYPES, Entity
from aiplus.guard.pii.recognisers import Recogniser, default_recognisers

DEFAULT_MIN_SCORE = 0.5
_RECOGNISERS: tuple[Recogniser, ...] = default_recognisers()
_TYPE_ORDER = {name: index for index, name in enumerate(ALL_TYPES)}


def merge(entities: Iterable[Entity]) -> list[Entity]:
    """Resolve overlaps: the highest score wins (ties: longer span, then earlier start, then
    type order); the survivors are returned sorted by start."""
    ranked = sorted(entities, key=lambda e: (-e.score, -(e.end - e.start), e.start,
                                             _TYPE_ORDER.get(e.type, 99)))
    kept: list[Entity] = []
    for entity in ranked:
        if not any(entity.overlaps(other) for other in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: (e.start, e.end))


def analyze(
    text: str,
    types: Iterable[str] | None = None,
    *,
    column: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    recognisers: Sequence[Recogniser] | None = None,
) -> list[Entity]:
    """Personal data in ``text``: entities sorted by start, overlaps merged, ``score >= min_score``.

    ``types`` limits the search (``["HKID", "PHONE"]`` or one name such as ``"EMAIL"``;
    unknown names raise ValueError).
    ``column`` is the column name when ``text`` is one cell of a table: it is context for
    every recogniser and is what enables PERSON and ADDRESS (see ``recognisers``).
    """
    if not text:
        return []
    chosen = recognisers if recognisers is not None else _RECOGNISERS
    if types is not None:
        wanted = {types} if isinstance(types, str) else {str(t) for t in types}
        unknown = wanted - set(ALL_TYPES)
        if unknown:
            raise ValueError(f"unknown PII types: {sorted(unknown)}; known: {list(ALL_TYPES)}")
        chosen = [r for r in chosen if r.entity_type in wanted]
    found = [e for r in chosen for e in r.find(text, column=column) if e.score >= min_score]
    return merge(found)
