"""Machine translations of single-language FAQ questions: what is accepted, where it is stored,
and that retrieval uses it (the LLM itself is exercised by the benchmark, not here)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from aiplus.apps.enquiry.tables import Faq
from aiplus.apps.enquiry.question_translation import (
    accepted,
    missing_language,
    translate_question,
    translations_for,
)
from aiplus.apps.enquiry.retrieval import FaqEntry, FaqIndex
from aiplus.apps.enquiry.retrieval.kb import demo_translations, load_demo_kb
from aiplus.apps.enquiry.formats import FaqRecord
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.compute.jobs import Job
from aiplus.core.audit import AuditEntry
from aiplus.platform.services import Platform
from tests.apps.enquiry.conftest import KB, Team


@pytest.mark.nodb
def test_only_single_language_questions_are_translated():
    assert missing_language("How do I renew?", None) == "zh-Hant"
    assert missing_language(None, "點樣續期？") == "en"
    assert missing_language("How do I renew?", "點樣續期？") is None
    asked: list[tuple[str, str]] = []

    def translate(text: str, lang: str) -> str:
        asked.append((text, lang))
        return "如何續領駕駛執照？\n(machine translation)"

    both = FaqEntry("both", question_en="Renew?", question_zh="續期？")
    english = FaqEntry("en-only", question_en="How do I renew my driving licence?")
    assert translations_for(translate, [both, english]) == {
        "en-only": {"zh-Hant": "如何續領駕駛執照？"}}
    assert asked == [("How do I renew my driving licence?", "zh-Hant")]


@pytest.mark.nodb
@pytest.mark.parametrize("output", [None, "", "How do I renew my driving licence?",
                                    "Renew your licence online.", "\n\n"])
def test_echoes_wrong_languages_and_empty_outputs_are_rejected(output):
    entry = FaqEntry("en-only", question_en="How do I renew my driving licence?")
    assert translate_question(lambda text, lang: output, entry) is None
    assert accepted("結婚證書遺失了可以補領嗎？", "結婚證書遺失了可以補領嗎？", "en") is None


@pytest.mark.nodb
def test_the_demo_translations_make_single_language_faqs_searchable_in_both_languages():
    shipped = demo_translations()
    plain = {e.id: e for e in load_demo_kb(translated=False)}
    single = [e for e in plain.values() if missing_language(e.question_en, e.question_zh)]
    assert len(shipped) >= 0.9 * len(single)
    for faq_id, made in shipped.items():
        entry = plain[faq_id]
        assert list(made) == [missing_language(entry.question_en, entry.question_zh)]
    translated = {e.id: e for e in load_demo_kb()}
    faq = translated["tax-stamp-duty"]
    assert faq.machine_questions and faq.machine_questions[0] not in faq.questions
    assert faq.machine_questions[0] in faq.search_questions


@pytest.mark.nodb
def test_a_machine_translated_question_is_matched_in_the_askers_language():
    entry = FaqEntry("wr-food", question_en="Is there food waste recycling in housing estates?",
                     answer_en="Yes, in many estates.", category="waste")
    others = [e for e in load_demo_kb(translated=False) if e.id != "wr-food"]
    without = FaqIndex([*others, entry])
    with_mt = FaqIndex([*others, replace(entry, machine_questions=("屋苑有沒有廚餘回收？",))])
    query = "屋苑有冇廚餘回收"
    assert with_mt.search(query).candidates[0].faq_id == "wr-food"
    scored = {c.faq_id: c.score for c in without.search(query, k=50).candidates}
    assert with_mt.search(query).candidates[0].score > scored.get("wr-food", -99)


def test_demo_load_stores_translations_on_live_versions_and_the_index(
        kb: str, enquiry_platform: Platform) -> None:
    with enquiry_platform.db.read() as session:
        faq = session.scalar(select(Faq).where(Faq.key == "tax-stamp-duty"))
        assert faq is not None and faq.live is not None
        assert faq.live.machine_questions() == (demo_translations()["tax-stamp-duty"]["en"],)
        assert faq.live.as_dict()["question"] is None  # never shown as an official wording
        logged = session.scalar(select(AuditEntry).where(
            AuditEntry.action == "enquiry.faq.machine-translate"))
    assert logged is not None and logged.org == "hk-effo"
    entry = KnowledgeBases(enquiry_platform).models(KB).index.get("tax-stamp-duty")
    assert entry is not None and entry.machine_questions
    # loading again stores nothing twice
    again = KnowledgeBases(enquiry_platform).store_machine_questions(
        "demo-loader", KB, demo_translations())
    assert again == 0


def test_approving_a_single_language_faq_starts_one_translation_job(
        kb: str, team: Team, enquiry_platform: Platform,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The approval submits the job (audited, as the approver) for that FAQ only, and a second
    approval while it waits reuses it; a bilingual FAQ needs none. The job's work itself is
    covered above; here the backend only records what it was handed, so the test needs no
    LLM."""
    monkeypatch.setenv("AIPLUS_ENQUIRY_AUTO_TRANSLATE_QUESTIONS", "true")
    enquiry_settings.cache_clear()
    handed: list[str] = []
    monkeypatch.setattr(enquiry_platform.jobs.backend, "submit",
                        lambda job_id, function: handed.append(job_id))
    service = KnowledgeBases(enquiry_platform)

    def approve(record: FaqRecord) -> dict:
        version = service.edit(team.officer.principal, kb, record)
        return service.review(team.reviewer.principal, version["id"], approve=True)

    english = FaqRecord(id="pet-licence", question="How do I license my dog?",
                        answer="Apply to the AFCD.")
    first = approve(english)
    assert first["translation_job"] == handed[0] and len(handed) == 1
    again = approve(FaqRecord(id="pet-licence", question="How do I license my pet dog?",
                              answer="Apply to the AFCD."))
    assert again["translation_job"] == first["translation_job"] and len(handed) == 1
    both = approve(FaqRecord(id="pet-bilingual", question="Dog licence fee?",
                             question_zh="狗牌費用？", answer="Free.", answer_zh="免費。"))
    assert "translation_job" not in both and len(handed) == 1
    with enquiry_platform.db.read() as session:
        job = session.get(Job, handed[0])
        submitted = session.scalar(select(AuditEntry).where(
            AuditEntry.action == "job.submit", AuditEntry.target == f"job:{handed[0]}"))
    assert job is not None and job.kind == "enquiry.translate-questions"
    assert job.params == {"kb": KB, "faqs": ["pet-licence"]} and job.org == "hk-effo"
    assert submitted is not None and submitted.actor == team.reviewer.principal.actor
