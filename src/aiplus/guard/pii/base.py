"""The recogniser contract and the context-word helpers every recogniser shares.

Kept apart from the concrete recognisers so that recognisers living in other modules (bank
accounts, names and addresses in prose, the spaCy model) can build on it without import cycles.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from functools import lru_cache
from typing import ClassVar

from aiplus.guard.pii.entities import Entity
from aiplus.guard.pii.hints import column_hints
from aiplus.guard.pii.text import fold, window_before

ALNUM = "A-Za-z0-9"


def has_word(window: str, words: tuple[str, ...]) -> bool:
    return any(word in window for word in words)


@lru_cache(maxsize=64)
def keywords(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for context words; ASCII words match whole words (``tel`` not in ``hotel``,
    ``ref`` not in ``prefer``; a plural ``s`` is allowed), Chinese words match anywhere."""
    parts = []
    for word in sorted(words, key=len, reverse=True):
        part = re.escape(word)
        if word[0].isascii() and word[0].isalpha():
            part = "(?<![a-z])" + part
        if word[-1].isascii() and word[-1].isalpha():
            part += "s?(?![a-z])"
        parts.append(part)
    return re.compile("|".join(parts))


def last_position(window: str, words: tuple[str, ...]) -> int:
    """End index of the last occurrence of any of ``words`` in ``window`` (-1 if none)."""
    best = -1
    for match in keywords(words).finditer(window):
        best = max(best, match.end())
    return best


class Recogniser(ABC):
    """The contract: ``find(text, column=None) -> list[Entity]`` for one ``entity_type``."""

    entity_type: ClassVar[str]
    context_words: ClassVar[tuple[str, ...]] = ()
    #: True for recognisers that look for names and addresses in prose (slower, heuristic or
    #: model-based): they run only when ``analyze(..., ner=True)``.
    prose: ClassVar[bool] = False

    @abstractmethod
    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        """Every span of ``text`` holding this kind of data (offsets into ``text``)."""

    def has_context(self, folded: str, start: int, column: str | None, size: int = 32) -> bool:
        """A context word shortly before ``start``, or a column name hinting this type."""
        if column is not None and self.column_is_context(column):
            return True
        return keywords(self.context_words).search(window_before(folded, start, size)) is not None

    def column_is_context(self, column: str) -> bool:
        """The column's name hints at this type or holds one of its context words."""
        return self.entity_type in column_hints(column) or (
            keywords(self.context_words).search(fold(column).lower()) is not None)

    def _entity(self, text: str, start: int, end: int, score: float) -> Entity:
        return Entity(str(self.entity_type), start, end, round(min(score, 1.0), 3),
                      text[start:end])

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
