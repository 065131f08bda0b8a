"""Hong Kong PII detection: HKID check digits, phones, emails, cards, passports, merging,
offsets, and an evaluation on a generated bilingual labelled set."""

from __future__ import annotations

import pytest

from aiplus.guard.pii import analyze, column_hints, hkid, mask
from aiplus.guard.pii.analyzer import merge
from aiplus.guard.pii.bench import run as run_bench
from aiplus.guard.pii.entities import Entity
from aiplus.guard.pii.evaluation import evaluate, generate
from aiplus.guard.pii.recognisers import (
    AddressRecogniser,
    CreditCardRecogniser,
    PersonRecogniser,
    PhoneRecogniser,
    default_recognisers,
    luhn_ok,
)
from aiplus.guard.pii.text import fold


def found(text: str, types: list[str] | None = None, **kw: object) -> list[tuple[str, str]]:
    entities = analyze(text, types, **kw)
    for e in entities:  # offsets are Python string indices into the original text
        assert text[e.start:e.end] == e.text
    return [(e.type, e.text) for e in entities]


# --- HKID ----------------------------------------------------------------------------------

def test_check_digit_test_vector_and_special_values():
    assert hkid.check_digit("CA182361") == "1"
    assert hkid.check_digit("A100004") == "A"  # remainder 1 -> "A"
    assert hkid.check_digit("A100009") == "0"  # remainder 0 -> "0"
    assert hkid.check_digit("AB987654") == "3"
    assert hkid.make("g", "123456") == "G123456(A)"
    with pytest.raises(ValueError):
        hkid.check_digit("A12345")


@pytest.mark.parametrize("value", [
    "A123456(3)", "A1234563", "A123456 (3)", "A 123456(3)", "AB987654(3)", "AB9876543",
    "CA182361(1)", "ab987654(3)", "Ａ１２３４５６（３）", "  G123456(A) ", "A100009[0]",
])
def test_valid_hkids_in_every_usual_form(value):
    assert hkid.is_valid(value)
    assert hkid.parse(value).canonical in {"A123456(3)", "AB987654(3)", "CA182361(1)",
                                           "G123456(A)", "A100009(0)"}


@pytest.mark.parametrize("value", [
    "A123456(7)", "A1234567", "AB987654(4)", "CA182361(2)", "A12345(6)", "ABC123456(3)",
    "A1234567(3)", "1234567(3)", "", "A123456()",
])
def test_wrong_check_digits_and_shapes_are_not_hkids(value):
    assert not hkid.is_valid(value)


def test_masking_keeps_prefix_two_digits_and_check():
    assert hkid.mask("A123456(3)") == "A12****(3)"
    assert mask("HKID", "AB9876543") == "AB98****(3)"


def test_only_hkids_with_a_correct_check_digit_are_reported():
    text = "Valid A123456(3), AB987654(3) and G123456A; invalid A123456(7), AB9876544, Z6543217."
    assert found(text, ["HKID"]) == [("HKID", "A123456(3)"), ("HKID", "AB987654(3)"),
                                     ("HKID", "G123456A")]


def test_hkid_context_raises_the_score_and_chinese_text_works():
    plain = analyze("Code A123456(3)", ["HKID"])[0]
    context = analyze("身份證號碼：A123456(3)", ["HKID"])[0]
    assert context.score > plain.score
    assert found("我嘅HKID係AB987654(3)，唔該。") == [("HKID", "AB987654(3)")]


def test_hkid_not_inside_longer_codes():
    assert found("SKU XA1234563B and 9A1234563", ["HKID"]) == []


# --- phones --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Call 9123 4567 now", "9123 4567"),
    ("Call 9123-4567 now", "9123-4567"),
    ("Call 91234567 now", "91234567"),
    ("Office: 2345 6789", "2345 6789"),
    ("Tel +852 9123 4567.", "+852 9123 4567"),
    ("Tel +852-9123-4567.", "+852-9123-4567"),
    ("Tel +85291234567.", "+85291234567"),
    ("Tel (852) 2345 6789", "(852) 2345 6789"),
    ("Tel (+852) 5123 4567", "(+852) 5123 4567"),
    ("Tel 00852 6123 4567", "00852 6123 4567"),
    ("我的電話是91234567", "91234567"),
    ("聯絡電話：6123-4567。", "6123-4567"),
    ("電話：９１２３ ４５６７", "９１２３ ４５６７"),  # full-width digits and colon
    ("請致電３１２３４５６７查詢", "３１２３４５６７"),
    ("Phone: 2345 6789 / 9123 4567", "2345 6789"),
])
def test_hong_kong_phone_formats(text, expected):
    assert found(text, ["PHONE"])[0] == ("PHONE", expected)


def test_two_numbers_separated_by_a_slash_are_both_found():
    assert [t for _, t in found("Tel 2345 6789 / 9123 4567")] == ["2345 6789", "9123 4567"]


@pytest.mark.parametrize("text", [
    "Due 2024-01-15 and 15/01/2024",                 # dates
    "Issued 20240115",                                # compact date, no phone word
    "Born 25122019",                                  # DDMMYYYY
    "Paid HK$91234567 in full",                       # money
    "Total $ 61234567",
    "合共91234567元",
    "It cost 23456789 dollars",
    "Balance 91234567.50",
    "Order No. 91234567",                             # labelled as something else
    "Order No.: 9123 4567 shipped",
    "Invoice 61234567 is overdue",
    "訂單編號：91234567",
    "帳號 23456789",
    "Ref #91234567",
    "Serial 1234 5678 9012 3456",                     # part of a longer group
    "Account 9123-4567-1",
    "ID 912345678 and 291234567",                     # longer digit runs
    "Figures 4123 4567 and 7123 4567",                # unassigned ranges, no phone word
    "HKID A1234563",                                  # HKID digits are not a phone
    "Ratio 2.91234567",
])
def test_things_that_are_not_phone_numbers(text):
    assert found(text, ["PHONE"]) == []


def test_a_phone_word_nearer_than_an_order_word_wins():
    assert found("Order 123 enquiries: tel 9123 4567", ["PHONE"]) == [("PHONE", "9123 4567")]
    assert found("Call us about order no. 91234567", ["PHONE"]) == []


def test_phone_column_hint_overrides_the_date_rule():
    assert analyze("20240115", ["PHONE"]) == []  # a compact date, and not a valid number anyway
    assert found("23456789", ["PHONE"], column="電話") == [("PHONE", "23456789")]
    assert found("Order 23456789", ["PHONE"], column="mobile_no") == [("PHONE", "23456789")]


def test_phone_scores_rise_with_prefix_and_context():
    def score(text: str) -> float:
        return analyze(text, ["PHONE"])[0].score

    assert score("x 91234567") < score("x 9123 4567") < score("x +852 9123 4567")
    assert score("Tel 91234567") > score("x 91234567")


# --- email, cards, passports ----------------------------------------------------------------

def test_emails_in_english_and_chinese_text():
    text = "電郵：chan.tai-man+hk@mail.example.com.hk，或者 Mary_W@td.gov.hk. Not: a@b, x@y.c"
    assert found(text, ["EMAIL"]) == [("EMAIL", "chan.tai-man+hk@mail.example.com.hk"),
                                      ("EMAIL", "Mary_W@td.gov.hk")]
    assert mask("EMAIL", "chan@example.com") == "c***@example.com"


def test_luhn():
    assert luhn_ok("4111111111111111") and luhn_ok("378282246310005")
    assert not luhn_ok("4111111111111112")


@pytest.mark.parametrize("text, expected", [
    ("Visa 4111 1111 1111 1111 ok", "4111 1111 1111 1111"),
    ("MC 5555-5555-5555-4444.", "5555-5555-5555-4444"),
    ("Amex 3782 822463 10005", "3782 822463 10005"),
    ("信用卡號碼4012888888881881", "4012888888881881"),
])
def test_cards_passing_luhn(text, expected):
    assert found(text, ["CREDIT_CARD"]) == [("CREDIT_CARD", expected)]


@pytest.mark.parametrize("text", [
    "Visa 4111 1111 1111 1112",          # fails Luhn
    "Number 4111 11 1111 1111 111",      # not card grouping
    "Number 9111111111111113",           # Luhn ok but no brand and no card context
])
def test_card_lookalikes_are_not_cards(text):
    assert found(text, ["CREDIT_CARD"]) == []
    assert mask("CREDIT_CARD", "4111 1111 1111 1111") == "**** **** **** 1111"


def test_passports():
    assert found("HKSAR passport K12345678 and 護照號碼：E98765432") == [
        ("PASSPORT", "K12345678"), ("PASSPORT", "E98765432")]
    assert found("Code E98765432") == []  # other formats need a passport word
    low = analyze("Code H12345678", ["PASSPORT"])[0]
    high = analyze("Passport H12345678", ["PASSPORT"])[0]
    assert low.score < high.score


# --- names and addresses: structured data only ----------------------------------------------

def test_person_and_address_need_a_column_hint():
    assert found("陳大文") == []
    assert found("陳大文", column="姓名") == [("PERSON", "陳大文")]
    assert found(" CHAN Tai Man ", column="applicant_name") == [("PERSON", "CHAN Tai Man")]
    assert found("Victoria Park", column="name") == []        # a place, not a person
    assert found("Chan", column="name") == []                 # too little to say
    assert found("陳大文", column="park_name") == []          # not a person column
    assert found("Flat 3A, 12/F, 88 Nathan Road", column="address") == [
        ("ADDRESS", "Flat 3A, 12/F, 88 Nathan Road")]
    assert analyze("九龍彌敦道88號12樓A室", column="地址")[0].score >= 0.7
    assert analyze("1 Sai Yee Street", column="address")[0].score < 0.7
    assert PersonRecogniser().find("陳大文") == AddressRecogniser().find("88 Nathan Rd") == []


def test_column_hints():
    assert column_hints("HKID No.") == {"HKID"}
    assert column_hints("身份證號碼") == {"HKID"}
    assert column_hints("contactPhone") == {"PHONE"}
    assert column_hints("聯絡電話") == {"PHONE"}
    assert column_hints("E-mail address") == {"EMAIL"}
    assert column_hints("姓名") == {"PERSON"}
    assert column_hints("name") == {"PERSON"}
    assert column_hints("facility_name") == set()
    assert column_hints("設施名稱") == set()
    assert column_hints("住址") == {"ADDRESS"}
    assert column_hints("hotel") == set() and column_hints("") == set()


# --- analyzer contract ------------------------------------------------------------------------

def test_every_recogniser_has_the_same_contract():
    types = [r.entity_type for r in default_recognisers() if not r.prose]
    assert types == ["HKID", "PHONE", "EMAIL", "CREDIT_CARD", "PASSPORT", "PERSON", "ADDRESS",
                     "BANK_ACCOUNT"]
    for recogniser in default_recognisers():
        assert recogniser.find("", column=None) == []
        assert isinstance(recogniser.find("x A123456(3) 9123 4567 a@b.hk"), list)


def test_merge_highest_score_wins_and_sorted_by_start():
    a = Entity("PHONE", 5, 13, 0.6, "x" * 8)
    b = Entity("CREDIT_CARD", 0, 19, 0.9, "y" * 19)
    c = Entity("EMAIL", 20, 25, 0.5, "z" * 5)
    assert merge([c, a, b]) == [b, c]
    # a card wins over the phone-shaped groups inside it
    assert found("Visa 4111 1111 1111 1111") == [("CREDIT_CARD", "4111 1111 1111 1111")]


def test_types_filter_and_errors():
    text = "A123456(3) 9123 4567"
    assert found(text, ["PHONE"]) == [("PHONE", "9123 4567")]
    assert found(text, []) == []
    assert found(text, "HKID") == [("HKID", "A123456(3)")]
    with pytest.raises(ValueError):
        analyze(text, ["SSN"])
    with pytest.raises(ValueError):
        Entity("PHONE", 0, 3, 0.5, "ab")


def test_mixed_english_chinese_offsets_are_exact():
    text = ("你好，我係陳大文，身份證A123456(3)，電話：９１２３ ４５６７ 或 +852 2345-6789，"
            "email chan@example.hk；Visa 4111-1111-1111-1111。Order No. 61234567 已寄出。")
    assert found(text) == [
        ("HKID", "A123456(3)"), ("PHONE", "９１２３ ４５６７"), ("PHONE", "+852 2345-6789"),
        ("EMAIL", "chan@example.hk"), ("CREDIT_CARD", "4111-1111-1111-1111"),
    ]
    # characters outside the Basic Multilingual Plane before a match keep offsets right
    emoji = "😀😀 call 9123 4567"
    entity = analyze(emoji)[0]
    assert emoji[entity.start:entity.end] == "9123 4567"


def test_fold_is_length_preserving():
    text = "電話：９１２３－４５６７　（Ａ）"
    assert len(fold(text)) == len(text)
    assert fold(text) == "電話:9123-4567 (A)"


def test_phone_masking():
    assert mask("PHONE", "+852 9123 4567") == "+852 91** **67"
    assert mask("PHONE", "91234567") == "91****67"
    assert PhoneRecogniser().find("") == CreditCardRecogniser().find("") == []


# --- evaluation on a generated, labelled bilingual set -----------------------------------------

def test_generated_evaluation_set_meets_the_goal():
    samples = generate(400, seed=11)
    assert len(samples) >= 300
    assert {s.lang for s in samples} == {"en", "zh-Hant", "mixed"}
    assert sum(1 for s in samples for t in s.traps if t[0] == "invalid_hkid") >= 10
    for sample in samples:
        for _, start, end in sample.gold:
            assert sample.text[start:end].strip() == sample.text[start:end]

    result = evaluate(lambda t: [(e.type, e.start, e.end) for e in analyze(t)], samples)
    table = result["per_type"]
    print("\ntype         P      R      F1     (tp/fp/fn)")
    for name, row in table.items():
        print(f"{name:12} {row['precision']:.3f}  {row['recall']:.3f}  {row['f1']:.3f}  "
              f"({row['tp']}/{row['fp']}/{row['fn']})")
    for name in ("HKID", "PHONE", "EMAIL"):
        assert table[name]["tp"] > 50
        assert table[name]["f1"] >= 0.98, (name, table[name])
    assert result["invalid_hkid_reported"] == 0


def test_benchmark_compares_with_the_naive_baseline():
    result = run_bench(quick=True)
    assert result["passed"] is True
    rows = {(r["system"], r["type"]): r for r in result["rows"]}
    for name in ("HKID", "PHONE", "EMAIL"):
        assert rows[("aiplus.guard.pii", name)]["f1"] > rows[("naive regex", name)]["f1"]
    assert rows[("naive regex", "ALL")]["invalid_hkid_reported"] > 0
    assert rows[("aiplus.guard.pii", "ALL")]["invalid_hkid_reported"] == 0


def test_lower_case_hkids_only_when_written_compactly():
    assert found("hkid a123456(3)", ["HKID"]) == [("HKID", "a123456(3)")]
    # "on" + six digits + a digit that happens to be a valid check character
    prose = [f"on 10000{n} {hkid.check_digit('ON10000' + str(n))}" for n in range(10)]
    assert all(found(t, ["HKID"]) == [] for t in prose)


def test_context_words_match_whole_words():
    assert found("quoting reference 91234567", ["PHONE"]) == []
    assert analyze("telephone 91234567", ["PHONE"])[0].score > analyze("x 91234567")[0].score
    # "ref" inside "prefer" and "tel" inside "hotel" are not context words
    assert found("I prefer 9123 4567", ["PHONE"]) == [("PHONE", "9123 4567")]
    assert analyze("hotel 91234567")[0].score == analyze("x 91234567")[0].score
    assert found("91234567", ["PHONE"], column="ref_no") == []
    assert found("91234567", ["PHONE"], column="訂單編號") == []


def test_a_phone_word_just_after_the_number_counts_as_context():
    assert found("23112013係我屋企電話") == [("PHONE", "23112013")]  # date-shaped, labelled
    assert found("Born 23112013") == []
