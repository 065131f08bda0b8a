"""Run the recognisers over a text and merge what they find into one non-overlapping list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiplus.guard.pii.entities import ALL_TYPES, Entity
from aiplus.guard.pii.recognisers import Recogniser, default_recognisers

DEFAULT_MIN_SCORE = 0.5
_RECOGNISERS: tuple[Recogniser, ...] = default_recognisers()
_TYPE_ORDER = {name: index for index, name in enumerate(ALL_TYPES)}


def _widen(entities: list[Entity]) -> list[Entity]:
    """A span found inside a longer span of the same type lends the longer one its score: the
    model's ``Ho Yin`` confirms the rule's ``TANG Ho Yin``, a street confirms the address."""
    widened = []
    for entity in entities:
        inner = [o.score for o in entities if o.type == entity.type and o is not entity
                 and entity.start <= o.start and o.end <= entity.end and o.score > entity.score]
        widened.append(Entity(entity.type, entity.start, entity.end, max(inner), entity.text)
                       if inner else entity)
    return widened


def merge(entities: Iterable[Entity]) -> list[Entity]:
    """Resolve overlaps: the highest score wins (ties: longer span, then earlier start, then
    type order), after a span inside a longer one of its type has lent it its score; the
    survivors are returned sorted by start."""
    ranked = sorted(_widen(list(entities)), key=lambda e: (-e.score, -(e.end - e.start), e.start,
                                             _TYPE_ORDER.get(e.type, 99)))
    kept: list[Entity] = []
    for entity in ranked:
        if not any(entity.overlaps(other) for other in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: (e.start, e.end))


def parse_types(types: Iterable[str] | str | None) -> frozenset[str] | None:
    """``None`` (every type), one name, or names; unknown names raise ValueError."""
    if types is None:
        return None
    wanted = frozenset({types} if isinstance(types, str) else {str(t) for t in types})
    unknown = wanted - set(ALL_TYPES)
    if unknown:
        raise ValueError(f"unknown PII types: {sorted(unknown)}; known: {list(ALL_TYPES)}")
    return wanted


def analyze(
    text: str,
    types: Iterable[str] | str | None = None,
    *,
    column: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    recognisers: Sequence[Recogniser] | None = None,
    ner: bool = False,
) -> list[Entity]:
    """Personal data in ``text``: entities sorted by start, overlaps merged, ``score >= min_score``.

    ``types`` limits the search (``["HKID", "PHONE"]`` or one name such as ``"EMAIL"``;
    unknown names raise ValueError).
    ``column`` is the column name when ``text`` is one cell of a table: it is context for
    every recogniser and is what enables the column-hinted PERSON and ADDRESS recognisers.
    ``ner`` also looks for names and addresses in free text (rules for Chinese names and Hong
    Kong addresses, the spaCy model for English names). Off by default because it is slower
    (the model loads once, then a few ms per sentence): bulk table scans rely on column hints;
    the API and the gateway's vault turn it on.
    """
    if not text:
        return []
    chosen = recognisers if recognisers is not None else _RECOGNISERS
    wanted = parse_types(types)
    chosen = [r for r in chosen if (ner or not r.prose)
              and (wanted is None or r.entity_type in wanted)]
    found = [e for r in chosen for e in r.find(text, column=column) if e.score >= min_score]
    return merge(found)
