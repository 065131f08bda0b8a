"""Names, addresses and bank accounts in free text, and the held-out F1 floors (ner=True)."""

from __future__ import annotations

import pytest

from aiplus.guard.pii import analyze
from aiplus.guard.pii.evaluation import evaluate, generate

pytestmark = pytest.mark.nodb


def found(text: str, types: list[str] | None = None) -> list[tuple[str, str]]:
    entities = analyze(text, types, ner=True)
    for e in entities:
        assert text[e.start:e.end] == e.text
    return [(e.type, e.text) for e in entities]


@pytest.mark.parametrize("text, name", [
    ("我叫陳大文，住喺沙田。", "陳大文"),
    ("聯絡人：歐陽志強先生", "歐陽志強"),
    ("請通知黃小明先生明天覆診。", "黃小明"),
    ("Hi，我係李嘉欣，有事搵我。", "李嘉欣"),
    ("姓名：張美玲", "張美玲"),
])
def test_chinese_names_with_context(text, name):
    assert ("PERSON", name) in found(text, ["PERSON"])


@pytest.mark.parametrize("text, name", [
    ("Mr Chan Tai-man called this morning.", "Chan Tai-man"),
    ("My name is Lam Ka Yan.", "Lam Ka Yan"),
    ("Please ask Peter Lee to sign the form.", "Peter Lee"),
    ("WONG Siu Ming collected the card.", "WONG Siu Ming"),
])
def test_english_names(text, name):
    assert ("PERSON", name) in found(text, ["PERSON"])


@pytest.mark.parametrize("text", [
    "We visited Wong Tai Sin and Ho Man Tin on Sunday.",   # districts that look like names
    "住喺沙田，返工喺旺角。",
    "The form (Tel: see below) is in room 3.",
    "區議員會議今日舉行。",
])
def test_places_and_labels_are_not_names(text):
    assert found(text, ["PERSON"]) == []


@pytest.mark.parametrize("text, address", [
    ("I live at Flat 3A, 12/F, Block B, Kornhill Gardens, 2 Hong Shing Street, Quarry Bay.",
     "Flat 3A, 12/F, Block B, Kornhill Gardens, 2 Hong Shing Street, Quarry Bay"),
    ("Send it to 88 Nathan Road, Tsim Sha Tsui, Kowloon please.",
     "88 Nathan Road, Tsim Sha Tsui, Kowloon"),
    ("我住喺沙田瀝源邨祥和樓5樓12室。", "沙田瀝源邨祥和樓5樓12室"),
    ("地址：九龍旺角彌敦道688號旺角中心10樓1001室", "九龍旺角彌敦道688號旺角中心10樓1001室"),
    ("我住喺彌敦道88號12樓A室", "彌敦道88號12樓A室"),
])
def test_hong_kong_addresses(text, address):
    assert found(text, ["ADDRESS"]) == [("ADDRESS", address)]


@pytest.mark.parametrize("text", [
    "住喺沙田", "We met in Mong Kok.", "The office is on Nathan Road.", "Meet at 3 pm on 5/F.",
])
def test_a_lone_place_is_not_an_address(text):
    assert found(text, ["ADDRESS"]) == []


def test_prose_recognisers_only_with_ner():
    text = "我叫陳大文，住喺沙田瀝源邨祥和樓5樓12室。"
    assert analyze(text) == []
    assert {e.type for e in analyze(text, ner=True)} == {"PERSON", "ADDRESS"}


@pytest.mark.parametrize("text, account", [
    ("請轉賬至戶口 012-345-6789012", "012-345-6789012"),
    ("HSBC account no. 123-456789-001.", "123-456789-001"),
    ("a/c 0123456789012", "0123456789012"),
])
def test_bank_accounts_need_an_account_word(text, account):
    assert found(text, ["BANK_ACCOUNT"]) == [("BANK_ACCOUNT", account)]


@pytest.mark.parametrize("text", [
    "Order 0123456789012",                          # no account word
    "a/c 012-345-6789012, reference 98878384837",   # the nearer label is a reference
    "Account 12345678",                             # too short
])
def test_bank_account_lookalikes(text):
    assert "012-345-6789012" in text or found(text, ["BANK_ACCOUNT"]) == []
    assert all(t != "98878384837" for _, t in found(text, ["BANK_ACCOUNT"]))


def test_offsets_are_python_indices_after_astral_characters():
    text = "😀𠀀 我叫陳大文 📞 +852-9123-4567 🏠 Flat 3A, 12/F, 88 Nathan Road"
    assert found(text) == [("PERSON", "陳大文"), ("PHONE", "+852-9123-4567"),
                           ("ADDRESS", "Flat 3A, 12/F, 88 Nathan Road")]


@pytest.mark.parametrize("value", ["A123456(3)", "A1234563", "A123456 (3)", "a123456(3)"])
def test_hkid_forms_in_chinese_context(value):
    assert found(f"身份證號碼：{value}，電話 9123 4567", ["HKID"]) == [("HKID", value)]


@pytest.mark.parametrize("phone", ["9123 4567", "+852-9123-4567", "(852) 91234567", "2123 4567"])
def test_phone_forms(phone):
    assert found(f"電話：{phone}", ["PHONE"]) == [("PHONE", phone)]


@pytest.fixture(scope="module")
def held_out() -> dict:
    samples = generate(240, seed=99, split="test")
    return evaluate(lambda t: [(e.type, e.start, e.end) for e in analyze(t, ner=True)], samples)


def test_held_out_split_is_disjoint_from_dev():
    dev = {s.text for s in generate(200, seed=1, split="dev")}
    test = generate(200, seed=1, split="test")
    assert {s.lang for s in test} == {"en", "zh-Hant", "mixed"}
    assert not dev & {s.text for s in test}
    assert sum(1 for s in test for t in s.traps if t[0] == "invalid_hkid") >= 5
    with pytest.raises(ValueError):
        generate(3, split="train")


def test_held_out_floors(held_out):
    table = held_out["per_type"]
    for name in ("HKID", "PHONE", "EMAIL"):
        assert table[name]["tp"] >= 20 and table[name]["f1"] >= 0.98, (name, table[name])
    assert held_out["invalid_hkid_reported"] == 0
    for name in ("PERSON", "ADDRESS", "BANK_ACCOUNT"):
        assert table[name]["tp"] >= 10 and table[name]["f1"] >= 0.85, (name, table[name])
