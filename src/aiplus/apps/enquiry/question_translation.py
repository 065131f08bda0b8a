"""Machine translations of FAQ questions that the knowledge base holds in one language only.

A Cantonese question has to find an English-only FAQ and the reverse. Multilingual E5 bridges
the languages, but its cross-language similarities are weaker and noisier than same-language
ones, and BM25 cannot cross at all. Translating the *FAQ's question* (never the citizen's
query: that would put the LLM on the answering path) once, when the FAQ goes live, gives
every FAQ a searchable question in both languages, so both signals meet the asker in their own
language. The translation is stored on the FAQ version beside the answer translations
(``translations["question:<lang>"]``), marked machine-made by that key, used for retrieval
only and never shown as an official wording.

The work runs as a job (:data:`translate_questions_job`, ~10 s per FAQ with the local model on
two busy cores) so imports stay fast; a translation is made once per FAQ version. The demo
knowledge base ships its translations (``demo_kb/question_translations.json``, made by
:func:`write_demo_translations` with this same code) so ``make run`` and the tests need no LLM.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from aiplus.apps.enquiry.retrieval.kb import DEMO_TRANSLATIONS_PATH
from aiplus.apps.enquiry.retrieval.model import FaqEntry
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.i18n import N_
from aiplus.core.identity import Role
from aiplus.models.text import detect_language

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


def gateway_translate(platform: Any, org: str) -> Translate:
    """A :data:`Translate` through the platform's LLM gateway (guardrails, audit, quotas)."""
    from aiplus.apps.enquiry.answering import Enquiries

    enquiries = Enquiries(platform)
    return lambda text, lang: enquiries.translate(text, lang, org, max_tokens=MAX_TOKENS)


def needs_translation(question_en: str | None, question_zh: str | None,
                      machine_questions: tuple[str, ...]) -> bool:
    """Whether a version's question exists in one language only and has no translation yet."""
    return missing_language(question_en, question_zh) is not None and not machine_questions


def translate_kb(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job (``params = {"kb": NAME, "faqs": [KEY, ...]?}``): translate the questions of the
    KB's live single-language FAQs (only the listed ones when ``faqs`` is given) that have
    none yet and store them on their versions. An approval starts it for the approved FAQ
    (see :meth:`.service.KnowledgeBases.review`); start it for a whole KB from the portal's
    jobs page or ``aiplus jobs run enquiry.translate-questions -p kb=NAME``."""
    from aiplus.apps.enquiry.models import Faq
    from aiplus.apps.enquiry.service import KnowledgeBases, entry_of
    from aiplus.platform.services import Platform

    name = str(params.get("kb") or "")
    keys = params.get("faqs")
    with ctx.db.read() as session:
        kb = KnowledgeBases.get(session, name)
        org = kb.org
        query = select(Faq).where(Faq.kb_id == kb.id)
        if keys is not None:
            query = query.where(Faq.key.in_([str(k) for k in keys]))
        todo = [entry_of(faq.live) for faq in session.scalars(query)
                if faq.live and needs_translation(faq.live.question_en, faq.live.question_zh,
                                                  faq.live.machine_questions())]
    platform = Platform.build(ctx.settings)  # a job worker has no platform of its own
    stored = 0
    try:
        translate = gateway_translate(platform, org)
        service = KnowledgeBases(platform)
        for done, entry in enumerate(todo, start=1):  # stored as they come: a cancelled
            made = translations_for(translate, [entry])  # run keeps what it made
            stored += service.store_machine_questions(f"job:{ctx.job_id}", name, made)
            ctx.progress(100 * done / max(len(todo), 1), N_("Translating FAQ questions"))
    finally:
        platform.close()
    return {"kb": name, "checked": len(todo), "translated": stored}


translate_questions_job = JobKind(
    name="enquiry.translate-questions", function=translate_kb,
    title_en="Translate single-language FAQ questions for retrieval",
    title_zh="為檢索翻譯只有單一語言的常見問題",
    # reviewers too: their approval is what starts it
    roles=(Role.OFFICER, Role.REVIEWER))


def write_demo_translations() -> dict[str, dict[str, str]]:
    """Regenerate ``demo_kb/question_translations.json`` with the local model (a few minutes;
    run ``python -m aiplus.apps.enquiry.question_translation``)."""
    import tempfile
    from pathlib import Path

    from aiplus.apps.enquiry.retrieval.kb import load_demo_kb
    from aiplus.core.settings import Settings
    from aiplus.platform.services import Platform

    with tempfile.TemporaryDirectory(prefix="aiplus-enquiry-mt-") as home:
        platform = Platform.build(Settings(home=Path(home), json_logs=False,
                                           log_level="WARNING"))
        try:
            platform.migrate()
            made = translations_for(
                gateway_translate(platform, "hk-1823"), load_demo_kb(translated=False),
                progress=lambda done, total: print(f"{done}/{total}", flush=True))
        finally:
            platform.close()
    DEMO_TRANSLATIONS_PATH.write_text(json.dumps(made, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    return made


if __name__ == "__main__":
    write_demo_translations()
