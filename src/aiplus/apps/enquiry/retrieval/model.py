"""The value objects of retrieval: what the KB holds and what a search returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FaqEntry:
    """One approved FAQ; either language may be missing (the KB holds some in one only)."""

    id: str
    question_en: str | None = None
    question_zh: str | None = None  # Traditional Chinese
    answer_en: str | None = None
    answer_zh: str | None = None
    phrasings: tuple[str, ...] = ()  # alternative phrasings, any language
    # machine translations of a single-language question: searched, never shown
    machine_questions: tuple[str, ...] = ()
    category: str | None = None  # subject, e.g. "identity-cards"
    department: str | None = None  # e.g. "ImmD"

    @property
    def questions(self) -> tuple[str, ...]:
        """Every way the KB words this question, in any language."""
        return tuple(q for q in (self.question_en, self.question_zh, *self.phrasings) if q)

    @property
    def search_questions(self) -> tuple[str, ...]:
        """What retrieval matches a query against: the KB's wordings and machine translations."""
        return (*self.questions, *self.machine_questions)

    @property
    def answers(self) -> tuple[str, ...]:
        return tuple(a for a in (self.answer_en, self.answer_zh) if a)


@dataclass(frozen=True)
class Candidate:
    faq_id: str
    score: float  # fused score, higher is better


@dataclass(frozen=True)
class Retrieval:
    candidates: list[Candidate]  # top k, best first
    confidence: float  # calibrated probability that candidates[0] is right
    handover: bool  # True when confidence < the calibrated threshold or no candidate
    lang: str  # "en" or "zh-Hant": detected language of the query
    query: str  # the effective query actually searched (with context if used)


@dataclass(frozen=True)
class Subject:
    category: str | None
    department: str | None
    score: float
