"""Enquiry retrieval: cross-lingual matching, incremental updates, hand-over,
follow-ups and the subject classifier (pure domain logic and model inference: no database)."""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from aiplus.apps.enquiry.retrieval import (
    Candidate,
    FaqEntry,
    FaqIndex,
    Retrieval,
    Subject,
    SubjectClassifier,
    load_demo_kb,
)
from aiplus.apps.enquiry.retrieval.dense import MISSING_Z, DenseScores, subject_z
from aiplus.apps.enquiry.retrieval.fusion import FEATURES, Signals, candidate_features
from aiplus.apps.enquiry.retrieval.lexical import Bm25Field
from aiplus.models.text import segment

pytestmark = pytest.mark.nodb


@cache
def demo_index() -> FaqIndex:
    return FaqIndex(load_demo_kb())


@cache
def classifier() -> SubjectClassifier:
    return SubjectClassifier().fit(load_demo_kb())


def kb_by_id() -> dict[str, FaqEntry]:
    return {e.id: e for e in load_demo_kb()}


def test_cantonese_query_finds_an_english_only_faq():
    faq = kb_by_id()["dl-international"]
    assert faq.question_zh is None and faq.answer_zh is None
    found = demo_index().search("去日本揸車要申請國際車牌")
    assert found.candidates[0].faq_id == "dl-international"
    assert found.lang == "zh-Hant"


def test_english_query_finds_a_chinese_only_faq():
    faq = kb_by_id()["tax-stamp-duty"]
    assert faq.question_en is None and faq.answer_en is None
    found = demo_index().search("how much stamp duty when buying a home")
    assert found.candidates[0].faq_id == "tax-stamp-duty"
    assert found.lang == "en"


def test_search_returns_ranked_candidates_and_a_probability():
    found = demo_index().search("How do I renew my HKSAR passport before it expires?", k=5)
    assert isinstance(found, Retrieval) and len(found.candidates) == 5
    assert all(isinstance(c, Candidate) for c in found.candidates)
    scores = [c.score for c in found.candidates]
    assert scores == sorted(scores, reverse=True)
    assert found.candidates[0].faq_id == "pp-renew"
    assert 0.0 <= found.confidence <= 1.0 and not found.handover


@pytest.mark.parametrize("query", ["What's the best dim sum restaurant in Mong Kok?",
                                   "點樣申請綜援", "Can I get legal aid for a divorce case?",
                                   "聽日會唔會打風", "颱風天要唔要返工"])
def test_out_of_scope_questions_are_handed_over(query):
    found = demo_index().search(query)
    assert found.handover and found.confidence < demo_index().threshold


def test_a_near_miss_on_one_shared_word_is_not_answered():
    """「續領」 is the driving-licence FAQ's verb, 「身份證」 the subject of others: the service
    must not answer the renewal of an identity card with the driving licence."""
    found = demo_index().search("點樣續領身份證？")
    assert found.handover or found.candidates[0].faq_id.startswith("id-")


def test_missing_language_is_no_evidence_for_an_faq():
    """An FAQ without Chinese texts gets its English evidence in the Chinese column too, so
    a fit cannot learn to prefer single-language FAQs for every Chinese question."""
    n = 3
    z = {"en": np.array([2.0, 0.5, 1.0], dtype=np.float32),
         "zh-Hant": np.array([MISSING_Z, 1.5, 0.2], dtype=np.float32)}
    zeros = np.zeros(n, dtype=np.float32)
    dense = DenseScores(np.array([0.8, 0.85, 0.82], dtype=np.float32), z, zeros)
    signals = Signals("zh-Hant", dense, dense, zeros, zeros, zeros, zeros)
    positions, features = candidate_features(signals)
    same = dict(zip(positions.tolist(), features[:, FEATURES.index("dense_same_z")].tolist()))
    assert same[0] == pytest.approx(2.0) and same[1] == pytest.approx(1.5)
    assert (features[:, FEATURES.index("dense_other_z")] > MISSING_Z).all()


def test_subject_fit_averages_over_all_texts_of_a_subject():
    """One lucky wording does not make a subject: the identity-card FAQs (subject 0) fit the
    query on average better than the driving-licence one whose single text scores highest."""
    cosines = np.array([0.80, 0.82, 0.78, 0.90, 0.50, 0.70], dtype=np.float32)
    owner = np.array([0, 0, 1, 2, 2, 3])  # texts -> documents
    subject = np.array([0, 0, 1, -1])  # documents -> subjects (-1: none)
    fit = subject_z(cosines, owner, subject)
    assert fit[0] == fit[1] > 0 > fit[2] and fit[3] == 0.0
    assert subject_z(cosines, owner, np.full(4, -1)).tolist() == [0.0] * 4


def test_coverage_is_the_share_of_query_tokens_an_faq_accounts_for():
    field = Bm25Field()
    field.set_documents([segment("如何續領正式駕駛執照？"), segment("遺失香港身份證應該怎樣做？")])
    licence, identity = field.coverage(segment("點樣續領身份證？"))
    assert 0 < licence < 1 and 0 < identity < 1
    assert field.coverage([]).tolist() == [0.0, 0.0]
    assert field.coverage(segment("駕駛執照"))[0] == pytest.approx(1.0)


def test_follow_up_keeps_the_conversation_context():
    index = demo_index()
    found = index.search("what about for my kid?", context=["How do I apply for a passport?"])
    assert found.candidates[0].faq_id == "pp-child"
    assert "passport" in found.query
    alone = index.search("what about for my kid?")
    assert alone.query == "what about for my kid?"
    # a question that names its own subject ignores the earlier turn
    fresh = index.search("How do I pay my water bill?", context=["How do I apply for a passport?"])
    assert fresh.query == "How do I pay my water bill?"
    assert fresh.candidates[0].faq_id == "ws-bill-pay"


def test_upsert_and_remove_are_visible_in_search_without_rebuild():
    index = FaqIndex(load_demo_kb())
    size = len(index)
    pet = FaqEntry(id="pet-licence", question_en="How do I license my pet tortoise?",
                   answer_en="Tortoises need no licence; register microchips with the vet.",
                   category="animals", department="AFCD")
    index.upsert(pet)
    assert len(index) == size + 1 and "pet-licence" in index
    assert index.search("do tortoises need a licence").candidates[0].faq_id == "pet-licence"
    index.upsert(replace(pet, question_en="How do I register my pet rabbit?"))
    assert len(index) == size + 1
    assert index.search("register my pet rabbit").candidates[0].faq_id == "pet-licence"
    index.remove("pet-licence")
    index.remove("pet-licence")  # removing twice is harmless
    assert "pet-licence" not in index and len(index) == size
    ids = [c.faq_id for c in index.search("register my pet rabbit").candidates]
    assert "pet-licence" not in ids


def test_empty_index_hands_over():
    found = FaqIndex().search("How do I renew my passport?")
    assert found.candidates == [] and found.handover and found.confidence == 0.0


def test_programming_errors_raise_value_error():
    index = FaqIndex()
    with pytest.raises(ValueError):
        index.upsert(FaqEntry(id="no-question", answer_en="An answer without a question."))
    with pytest.raises(ValueError):
        index.search("passport", k=0)
    with pytest.raises(ValueError):
        SubjectClassifier().predict("passport")


def test_concurrent_searches_and_upserts_do_not_interfere():
    index = FaqIndex(load_demo_kb()[:30])
    errors: list[BaseException] = []

    def searcher() -> None:
        try:
            for _ in range(5):
                assert index.search("How do I renew my identity card?").candidates
        except BaseException as error:  # noqa: BLE001 - reported to the test thread
            errors.append(error)

    def writer() -> None:
        try:
            for i in range(5):
                index.upsert(FaqEntry(id=f"temp-{i}", question_en=f"Temporary question {i}?",
                                      answer_en="Temporary."))
                index.remove(f"temp-{i}")
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(index) == 30


def test_subject_classifier_predicts_category_and_department():
    model = classifier()
    subject = model.predict("點樣續領身份證？")
    assert isinstance(subject, Subject)
    assert (subject.category, subject.department) == ("identity-cards", "ImmD")
    assert 0.0 < subject.score <= 1.0
    assert model.predict("my employer owes me two months of wages").category == "employment"
    car = model.predict("how to renew my car licence")
    assert (car.category, car.department) == ("vehicle-licences", "TD")
    assert model.predict("noisy neighbours playing loud music at 2am").department in {"EPD",
                                                                                        "FEHD"}


def test_subject_classifier_needs_two_categories():
    with pytest.raises(ValueError):
        SubjectClassifier().fit([FaqEntry(id="a", question_en="Q?", category="one")])
