"""Knowledge bases: import formats and bad rows, review rules (four eyes), the live index."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from aiplus.apps.enquiry.demo import LOADER, load_demo_kb
from aiplus.apps.enquiry.formats import FaqRecord, read_records, write_records
from aiplus.apps.enquiry.tables import Faq, FaqVersion, KnowledgeBase
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.core.audit import AuditEntry
from aiplus.core.errors import BadRequest, Conflict, Forbidden, NotFound, ValidationFailed
from aiplus.platform.services import Platform
from tests.apps.enquiry.conftest import KB, Team, demo_rows
from tests.factories import Factory

NEW_FAQ = FaqRecord(id="pet-licence", question="How do I licence my dog?",
                    answer="Dogs over five months old must be licensed and vaccinated against "
                           "rabies at an AFCD animal management centre.",
                    question_zh="點樣幫隻狗領牌？", answer_zh="五個月以上的狗隻必須領牌及接種狂犬病疫苗。",
                    category="pets", department="AFCD")


def _count(platform: Platform, model: type) -> int:
    with platform.db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_export_then_import_round_trips_in_every_format(fmt: str, kb: str,
                                                        enquiry_platform: Platform) -> None:
    service = KnowledgeBases(enquiry_platform)
    exported = service.export(kb)
    assert len(exported) == len(demo_rows())
    again = read_records(write_records(exported, fmt).encode(), fmt)
    assert again == exported
    # Importing what is already live changes nothing: imports are idempotent.
    result = service.import_records(LOADER, kb, again, approve=True)
    assert result["versions"] == 0 and result["unchanged"] == len(exported)


def test_csv_import_with_minimal_columns() -> None:
    data = ("id,question,answer,question_zh,answer_zh,category,department\n"
            "a1,What is 1823?,The government's enquiry line.,,,general,EffO\n"
            "a2,,,甚麼是1823？,政府的查詢熱線。,general,EffO\n").encode()
    records = read_records(data, "csv")
    assert [r.id for r in records] == ["a1", "a2"]
    assert records[1].question is None and records[1].answer_zh == "政府的查詢熱線。"


def test_bad_rows_are_all_reported_and_nothing_is_written(kb: str, team: Team,
                                                          enquiry_platform: Platform) -> None:
    rows = [
        {"id": "good-one", "question": "Q?", "answer": "A."},
        {"id": "bad id!", "question": "Q?", "answer": "A."},
        {"id": "no-answer", "question": "Q?"},
        {"id": "bad-date", "question": "Q?", "answer": "A.", "valid_from": "31/12/2026"},
        {"id": "good-one", "question": "Q again?", "answer": "A."},
        "not an object",
    ]
    with pytest.raises(ValidationFailed) as caught:
        read_records(json.dumps(rows).encode(), "json")
    problems = {(p["row"], p["field"]) for p in caught.value.details}
    assert problems == {(2, "id"), (3, "answer"), (4, "valid_from"), (5, "id"), (6, "")}
    before = _count(enquiry_platform, FaqVersion)
    for data, fmt in ((b"[{]", "json"), (b"\xff\xfe\x00", "csv"), (b"{}", "json")):
        with pytest.raises(BadRequest):
            read_records(data, fmt)
    assert _count(enquiry_platform, FaqVersion) == before


def test_officer_edits_reviewer_approves_and_the_index_learns_it(
        kb: str, team: Team, enquiry_platform: Platform) -> None:
    service = KnowledgeBases(enquiry_platform)
    index = service.models(kb).index
    assert "pet-licence" not in index
    draft = service.edit(team.officer.principal, kb, NEW_FAQ, submit=False)
    assert draft["status"] == "draft"
    with pytest.raises(Conflict):  # a draft must be submitted before review
        service.review(team.reviewer.principal, draft["id"], approve=True)
    service.submit(team.officer.principal, draft["id"])
    with pytest.raises(Forbidden):  # officers do not approve
        service.review(team.officer.principal, draft["id"], approve=True)
    with pytest.raises(Forbidden):  # reviewers of another organisation neither
        service.review(team.outsider.principal, draft["id"], approve=True)
    approved = service.review(team.reviewer.principal, draft["id"], approve=True, note="ok")
    assert approved["status"] == "approved" and approved["reviewed_by"] == team.reviewer.username
    assert "pet-licence" in index  # updated in place, not rebuilt
    assert index.search("how to license a dog", k=10).candidates[0].faq_id == "pet-licence"

    service.retire(team.reviewer.principal, kb, "pet-licence")
    assert "pet-licence" not in index
    with enquiry_platform.db.read() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    for action in ("enquiry.faq.edit", "enquiry.faq.submit", "enquiry.faq.approve",
                   "enquiry.faq.retire"):
        assert action in actions


def test_nobody_approves_their_own_edit(kb: str, team: Team, factory: Factory,
                                        enquiry_platform: Platform) -> None:
    service = KnowledgeBases(enquiry_platform)
    lead = factory.member("ada-admin", org="hk-effo", role="admin", password=None)  # may edit and review
    version = service.edit(lead.principal, kb, NEW_FAQ)
    with pytest.raises(Forbidden):
        service.review(lead.principal, version["id"], approve=True)
    rejected = service.review(team.reviewer.principal, version["id"], approve=False,
                              note="needs the fee")
    assert rejected["status"] == "rejected"
    with enquiry_platform.db.read() as session:
        faq = session.scalar(select(Faq).where(Faq.key == "pet-licence"))
        assert faq is not None and faq.live_version_id is None


def test_a_new_version_supersedes_the_live_one(kb: str, team: Team,
                                               enquiry_platform: Platform) -> None:
    service = KnowledgeBases(enquiry_platform)
    live = service.faq(LOADER, kb, "id-replace-fee")["live"]
    changed = FaqRecord(id="id-replace-fee", question=live["question"],
                        answer="Replacing a lost identity card costs HK$400.",
                        question_zh=live["question_zh"], answer_zh=live["answer_zh"],
                        category=live["category"], department=live["department"])
    version = service.edit(team.officer.principal, kb, changed)
    with pytest.raises(Conflict):  # the same text again is no edit
        service.edit(team.officer.principal, kb, changed)
    service.review(team.reviewer.principal, version["id"], approve=True)
    faq = service.faq(LOADER, kb, "id-replace-fee")
    assert faq["live"]["answer"].endswith("HK$400.")
    assert [v["status"] for v in faq["versions"]] == ["approved", "superseded"]


def test_outsiders_cannot_edit_or_import(kb: str, team: Team, enquiry_platform: Platform) -> None:
    service = KnowledgeBases(enquiry_platform)
    with pytest.raises(Forbidden):
        service.edit(team.outsider.principal, kb, NEW_FAQ)
    with pytest.raises(Forbidden):  # only operators import straight to live
        service.import_records(team.officer.principal, kb, [NEW_FAQ], approve=True)
    with pytest.raises(NotFound):
        service.edit(team.officer.principal, "no-such-kb", NEW_FAQ)
    pending = service.import_records(team.officer.principal, kb, [NEW_FAQ])
    assert pending["versions"] == 1
    assert service.faq(LOADER, kb, "pet-licence")["live"] is None  # waits for review


def test_demo_kb_loads_idempotently(enquiry_platform: Platform) -> None:
    first = load_demo_kb(enquiry_platform)
    versions = _count(enquiry_platform, FaqVersion)
    second = load_demo_kb(enquiry_platform)
    assert "0 new versions" in second and "0 new versions" not in first
    assert _count(enquiry_platform, FaqVersion) == versions
    assert _count(enquiry_platform, KnowledgeBase) == 1
    assert len(KnowledgeBases(enquiry_platform).export(KB)) == versions


@pytest.mark.nodb
def test_every_status_and_mode_shown_on_pages_is_marked_for_translation() -> None:
    from aiplus.apps.enquiry.calls import REPLY_MODES
    from aiplus.apps.enquiry.labels import LABELS
    from aiplus.apps.enquiry.tables import HandoverStatus, VersionStatus

    shown = {*VersionStatus, *HandoverStatus, *REPLY_MODES, "chat"}
    assert shown <= set(LABELS)


def test_validity_windows_apply_on_each_new_day_without_a_rebuild(
        kb: str, enquiry_platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace
    from datetime import date, timedelta

    import aiplus.apps.enquiry.service as service_module

    today = date.today()
    service = KnowledgeBases(enquiry_platform)
    index = service.models(KB).index
    upcoming = replace(NEW_FAQ, valid_from=today + timedelta(days=1))
    ending = replace(NEW_FAQ, id="pet-old", valid_to=today)
    service.import_records(LOADER, KB, [upcoming, ending], approve=True)
    assert "pet-licence" not in index and "pet-old" in index

    class Tomorrow(date):
        @classmethod
        def today(cls) -> date:
            return today + timedelta(days=1)

    monkeypatch.setattr(service_module, "date", Tomorrow)
    models = service.models(KB)
    assert models.index is index  # caught up, not rebuilt
    assert "pet-licence" in index and "pet-old" not in index
    assert index.search("點樣幫隻狗領牌？").candidates[0].faq_id == "pet-licence"
