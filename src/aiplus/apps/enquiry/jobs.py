"""The enquiry app's jobs: machine translations of single-language FAQ questions (see
:mod:`.question_translation` for why), made through the platform's LLM gateway.

``python -m aiplus.apps.enquiry.jobs`` regenerates the demo knowledge base's shipped
translations with this same code.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from aiplus.apps.enquiry.answering import Enquiries
from aiplus.apps.enquiry.demo import DEMO_ORG
from aiplus.apps.enquiry.question_translation import (
    MAX_TOKENS,
    TRANSLATE_QUESTIONS_JOB,
    Translate,
    needs_translation,
    translations_for,
)
from aiplus.apps.enquiry.retrieval.kb import DEMO_TRANSLATIONS_PATH, load_demo_kb
from aiplus.apps.enquiry.service import KnowledgeBases, entry_of
from aiplus.apps.enquiry.tables import Faq
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core.i18n import N_
from aiplus.core.identity import Role
from aiplus.core.settings import Settings
from aiplus.platform.services import Platform


def gateway_translate(platform: Platform, org: str) -> Translate:
    """A :data:`.question_translation.Translate` through the platform's LLM gateway
    (guardrails, audit, quotas)."""
    enquiries = Enquiries(platform)
    return lambda text, lang: enquiries.translate(text, lang, org, max_tokens=MAX_TOKENS)


def translate_kb(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job (``params = {"kb": NAME, "faqs": [KEY, ...]?}``): translate the questions of the
    KB's live single-language FAQs (only the listed ones when ``faqs`` is given) that have
    none yet and store them on their versions. An approval starts it for the approved FAQ
    (see :meth:`.service.KnowledgeBases.review`); start it for a whole KB from the portal's
    jobs page or ``aiplus jobs run enquiry.translate-questions -p kb=NAME``."""
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
    name=TRANSLATE_QUESTIONS_JOB, function=translate_kb,
    title_en="Translate single-language FAQ questions for retrieval",
    title_zh="為檢索翻譯只有單一語言的常見問題",
    # reviewers too: their approval is what starts it
    roles=(Role.OFFICER, Role.REVIEWER))


def write_demo_translations() -> dict[str, dict[str, str]]:
    """Regenerate ``demo_kb/question_translations.json`` with the local model (a few minutes;
    run ``python -m aiplus.apps.enquiry.jobs``)."""
    with tempfile.TemporaryDirectory(prefix="aiplus-enquiry-mt-") as home:
        platform = Platform.build(Settings(home=Path(home), json_logs=False,
                                           log_level="WARNING"))
        try:
            platform.migrate()
            made = translations_for(
                gateway_translate(platform, DEMO_ORG[0]), load_demo_kb(translated=False),
                progress=lambda done, total: print(f"{done}/{total}", flush=True))
        finally:
            platform.close()
    DEMO_TRANSLATIONS_PATH.write_text(json.dumps(made, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    return made


if __name__ == "__main__":
    write_demo_translations()
