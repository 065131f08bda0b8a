"""The demo KB and the evaluation sets are valid, and the eval queries are not KB wording."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from aiplus.apps.enquiry.retrieval.kb import (DEMO_KB_PATH, DEV_PATH, KINDS, TEST_PATH,
                                              load_demo_kb, load_eval)

pytestmark = pytest.mark.nodb


def test_demo_kb_is_valid():
    records = json.loads(DEMO_KB_PATH.read_text(encoding="utf-8"))
    assert 80 <= len(records) <= 120
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    for r in records:
        assert r["question"] or r["question_zh"], r["id"]
        assert (r["question"] and r["answer"]) or (r["question_zh"] and r["answer_zh"]), r["id"]
        assert r["category"] and r["department"], r["id"]
        assert re.match(r"^https://www\.[a-z]+\.gov\.hk/", r["source_url"]), r["id"]
        assert isinstance(r["phrasings"], list)
    assert len({r["category"] for r in records}) >= 10
    english_only = sum(1 for r in records if not r["question_zh"])
    chinese_only = sum(1 for r in records if not r["question"])
    assert english_only >= 0.1 * len(records) and chinese_only >= 0.1 * len(records)
    assert len(load_demo_kb()) == len(records)


@pytest.mark.parametrize("path", [DEV_PATH, TEST_PATH], ids=["dev", "test"])
def test_eval_set_is_valid(path):
    kb = {e.id: e for e in load_demo_kb()}
    queries = load_eval(path)
    kinds = Counter(q.kind for q in queries)
    assert len(queries) >= 150
    assert set(kinds) <= set(KINDS)
    assert kinds["cross-lingual"] >= 40 and kinds["out-of-scope"] >= 30 and kinds["follow-up"] >= 5
    for q in queries:
        assert q.lang in {"en", "zh-Hant", "yue"}
        assert (q.faq_id is None) == (q.kind == "out-of-scope"), q.query
        assert q.faq_id is None or q.faq_id in kb, q.query
        assert bool(q.context) == (q.kind == "follow-up"), q.query
        if q.kind == "cross-lingual":
            faq = kb[q.faq_id]
            if q.lang == "en":
                assert faq.question_en is None, q.query  # English query, Chinese-only FAQ
            else:
                assert faq.question_zh is None, q.query  # Chinese query, English-only FAQ


def _key(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text.lower())


def test_eval_queries_do_not_reuse_kb_wording_and_splits_are_disjoint():
    kb_texts = {_key(t) for e in load_demo_kb() for t in (*e.questions, *e.answers)}
    dev = {_key(q.query) for q in load_eval(DEV_PATH)}
    test = {_key(q.query) for q in load_eval(TEST_PATH) if q.kind != "follow-up"}
    assert not (dev & kb_texts) and not (test & kb_texts)
    assert not (test & {_key(q.query) for q in load_eval(DEV_PATH) if q.kind != "follow-up"})
