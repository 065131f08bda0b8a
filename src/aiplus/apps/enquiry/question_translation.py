"""Machine translations of FAQ questions that the knowledge base holds in one language only.

A Cantonese question has to find an English-only FAQ and the reverse. Multilingual E5 bridges
the languages, but its cross-language similarities are weaker and noisier than same-language
ones, and BM25 cannot cross at all. Translating the *FAQ's question* (never the citizen's
query: that would put the LLM on the answering path) once, when the FAQ goes live, gives
every FAQ a searchable question in both languages, so both signals meet the asker in their own
language. The translation is stored on the FAQ version beside the answer translations
(``translations["question:<lang>"]``), marked machine-made by that key, used for retrieval
only and never shown as an official wording.

The work runs as the job :data:`TRANSLATE_QUESTIONS_JOB` (:mod:`.jobs`, ~10 s per FAQ with the
local model on two busy cores) so imports stay fast; a translation is made once per FAQ
version. The demo knowledge base ships its translations (``demo_kb/question_translations.json``,
made by :func:`.jobs.write_demo_translations` with this same code) so ``make run`` and the
tests need no LLM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from aiplus.apps.enquiry.retrieval.model import FaqEntry
from aiplus.models.text import detect_language

TRANSLATE_QUESTIONS_JOB = "enquiry.translate-questions"
KEY_PREFIX = "question:"
MAX_TOKENS = 80  # a question, not an essay: also stops a model that rambles on
Translate = Callable[[str, str], "str | None"]


def missing_language(question_en: str | None, question_zh: str | None) -> str | None:
    """The language the FAQ lacks a question in, when it has one in the other."""
    if question_en and not question_zh:
        return "zh-Hant"
    if question_zh and not question_en:
        return "en"
    return None


def accepted(source: str, translated: str | None, lang: str) -> str | None:
    """The first line of ``translated`` when it really is a translation into ``lang``: the small
    model sometimes echoes its input or answers in the wrong language, and a bad phrasing
    would mislead retrieval more than none."""
    if not translated:
        return None
    line = next((ln.strip() for ln in translated.splitlines() if ln.strip()), "")
    if not line or line == source.strip() or detect_language(line) != lang:
        return None
    return line


def translate_question(translate: Translate, entry: FaqEntry) -> tuple[str, str] | None:
    """(language, translation) for a single-language FAQ question, else ``None``."""
    lang = missing_language(entry.question_en, entry.question_zh)
    source = entry.question_en or entry.question_zh
    if lang is None or source is None:
        return None
    text = accepted(source, translate(source, lang), lang)
    return (lang, text) if text else None


def translations_for(translate: Translate, entries: Iterable[FaqEntry],
                     progress: Callable[[int, int], None] = lambda done, total: None,
                     ) -> dict[str, dict[str, str]]:
    """``{faq_id: {lang: question}}`` for every single-language FAQ in ``entries``."""
    todo = [e for e in entries if missing_language(e.question_en, e.question_zh)]
    made: dict[str, dict[str, str]] = {}
    for done, entry in enumerate(todo, start=1):
        result = translate_question(translate, entry)
        if result:
            made[entry.id] = {result[0]: result[1]}
        progress(done, len(todo))
    return made


def needs_translation(question_en: str | None, question_zh: str | None,
                      machine_questions: tuple[str, ...]) -> bool:
    """Whether a version's question exists in one language only and has no translation yet."""
    return missing_language(question_en, question_zh) is not None and not machine_questions
