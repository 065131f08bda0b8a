"""Context-aware Hong Kong phone recognition: a phone word raises a number ``phonenumbers``
rejects as unassigned; without one such numbers stay unreported, and every number it accepts is
judged exactly as before. Parser edges (spaces, hyphens, +852, full-width digits) are explored
with Hypothesis; the phone-in-context evaluation set and its benchmark are checked for shape."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from aiplus.guard.pii import analyze
from aiplus.guard.pii.evaluation import full_width
from aiplus.guard.pii.phone_bench import BEFORE, OURS, run as run_phone_bench
from aiplus.guard.pii.phone_eval import generate, score, templates
from aiplus.guard.pii.phones import DOUBTED_SCORE, PhoneRecogniser, date_like, is_assigned
from aiplus.guard.pii.text import fold

BEFORE_RECOGNISER = (PhoneRecogniser(context_raises=False),)


def national(written: str) -> str:
    """The 8-digit national number of a written phone (full-width digits folded)."""
    return "".join(c for c in fold(written) if c.isdigit())[-8:]


def phones(text: str, **kw: object) -> list[tuple[str, float]]:
    return [(e.text, e.score) for e in analyze(text, "PHONE", **kw)]


# --- examples ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, number", [
    ("Call me on 4123 4567 after six.", "4123 4567"),
    ("For bookings, WhatsApp 7123-4567 with your name.", "7123-4567"),
    ("My mobile is 55551234, text first.", "55551234"),
    ("Emergency contact: Mr Chan (father), 9990 1234.", "9990 1234"),
    ("師傅出發前請致電41234567通知我。", "41234567"),
    ("地盤主管手提：８８８８　１２３４，六點前搵佢。", "８８８８　１２３４"),
    ("42345678係我屋企電話。", "42345678"),
    ("Office +852 4123 4567", "+852 4123 4567"),  # a written +852 is a cue in itself
])
def test_a_cue_raises_a_number_the_validator_doubts(text, number):
    assert not is_assigned(national(number))
    assert phones(text) == [(number, DOUBTED_SCORE)]
    assert phones(text, recognisers=BEFORE_RECOGNISER) == []  # what the validator alone did


def test_a_doubted_number_scores_below_any_validated_one():
    assert phones("Call me on 41234567") == [("41234567", DOUBTED_SCORE)]
    assert phones("x 91234567")[0][1] > DOUBTED_SCORE  # validated, bare, no context: lowest
    assert phones("Call me on 41234567", min_score=0.7) == []


@pytest.mark.parametrize("text", [
    "Figures 4123 4567 and 7123 4567 were noted.",        # no cue
    "我琴日見到41234567呢個數字。",
    "Call us about order no. 41234567",                    # labelled nearer than the cue
    "Please quote policy number 41234567 when you call our claims team.",
    "致電理賠部時請提供保單號碼41234567。",
    "Reference 71234567. We will call you within three days.",  # cue too far after
    "Call me about the HK$41234567 payment.",              # money
    "請致電查詢，退款41234567元。",
    "Contact us before 20240115.",                          # compact date, unassigned 20xx
    "Tel 4123 4567 8901 2345",                              # part of a longer group
    "Tel: ref #41234567",
])
def test_numbers_without_a_cue_or_with_another_label_stay_unreported(text):
    assert phones(text) == []


def test_a_phone_column_is_a_cue():
    assert phones("41234567", column="聯絡電話") == [("41234567", DOUBTED_SCORE)]
    assert phones("41234567", column="ref_no") == []


# --- parser edges, explored --------------------------------------------------------------------

FORMATS = {
    "bare": "{a}{b}", "spaced": "{a} {b}", "hyphen": "{a}-{b}", "plus": "+852 {a} {b}",
    "plus_compact": "+852{a}{b}", "plus_hyphen": "+852-{a}-{b}", "paren": "(852) {a} {b}",
    "paren_plus": "(+852) {a}{b}", "double_zero": "00852 {a} {b}",
}
INTL = {"plus", "plus_compact", "plus_hyphen", "paren", "paren_plus", "double_zero"}
CUES = ("Call me on ", "Tel: ", "WhatsApp ", "My mobile is ", "please contact ", "致電",
        "手機：", "聯絡電話 ", "有事打俾我 ")
NEUTRAL = ("Figure ", "We counted ", "數字", "今日見到 ")

numbers = st.builds(lambda first, rest: str(first) + rest, st.integers(2, 9),
                    st.text("0123456789", min_size=7, max_size=7))
compact_dates = st.builds(lambda day, form: day.strftime(form),
                          st.dates(date(1900, 1, 1), date(2100, 12, 31)),
                          st.sampled_from(["%Y%m%d", "%d%m%Y"])).filter(lambda d: d[0] >= "2")


def _written(digits: str, form: str, wide: bool) -> str:
    value = FORMATS[form].format(a=digits[:4], b=digits[4:])
    return full_width(value) if wide else value


def _expected(digits: str, form: str, cued: bool) -> bool:
    """The specification: a doubted number needs a cue or +852; an unlabelled bare compact
    date needs a cue, and is never a phone when doubted."""
    assigned, intl = is_assigned(digits), form in INTL
    if not assigned and not (cued or intl):
        return False
    return intl or form != "bare" or not date_like(digits) or (cued and assigned)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(digits=numbers | compact_dates, form=st.sampled_from(sorted(FORMATS)),
       wide=st.booleans(), cued=st.booleans(), data=st.data())
def test_every_written_form_is_one_span_exactly_when_the_rules_say(digits, form, wide, cued,
                                                                    data):
    before = data.draw(st.sampled_from(CUES if cued else NEUTRAL))
    number = _written(digits, form, wide)
    text = f"{before}{number}，thanks."
    got = analyze(text, "PHONE")
    if not _expected(digits, form, cued):
        assert got == []
        return
    assert [(e.start, e.end, e.text) for e in got] == [
        (len(before), len(before) + len(number), number)]
    if is_assigned(digits):
        assert got[0].score > DOUBTED_SCORE
    else:
        assert got[0].score == DOUBTED_SCORE


LABELS = ("", "Tel ", "call ", "order no. ", "HK$", "Ref #", "致電", "訂單編號", "金額",
          "account ", "手機 ", "x ")
TAILS = ("", "元", " dollars", "係我電話", " now", "-1", ".5", " 8901")


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(LABELS), numbers,
                                st.sampled_from(sorted(FORMATS)), st.sampled_from(TAILS)),
                      min_size=1, max_size=3))
def test_numbers_the_validator_accepts_are_judged_exactly_as_before(parts):
    text = "；".join(f"{label}{_written(d, form, False)}{tail}" for label, d, form, tail in parts)
    now = analyze(text, "PHONE")
    validated = [e for e in now if e.score != DOUBTED_SCORE]
    assert validated == analyze(text, "PHONE", recognisers=BEFORE_RECOGNISER)
    for entity in now:
        assert (entity.score == DOUBTED_SCORE) == (not is_assigned(national(entity.text)))


# --- the evaluation set and its benchmark ------------------------------------------------------

def test_the_phone_context_set_is_bilingual_with_both_ranges_and_decoys():
    samples = generate("dev", repeats=2)
    assert generate("dev", repeats=2) == samples  # deterministic
    assert {s.lang for s in samples} == {"en", "zh-Hant"}
    gold = [s.text[a:b] for s in samples for _, a, b in s.gold]
    ranges = {is_assigned(national(g)) for g in gold}
    assert ranges == {True, False}
    assert {kind for s in samples for kind, _, _ in s.traps} == {
        "other_number", "date", "amount", "invalid_hkid"}
    # the held-out split shares no template with the dev split
    for lang in ("en", "zh-Hant"):
        assert not set(templates("dev")[lang]) & set(templates("heldout")[lang])
    with pytest.raises(ValueError):
        templates("test")


def test_score_counts_spans_ranges_and_decoys():
    samples = generate("dev", repeats=1)
    perfect = score(lambda t: [g for s in samples if s.text == t for g in s.gold], samples)
    assert perfect["precision"] == perfect["recall"] == 1.0 and perfect["fp_on_decoys"] == 0
    decoys = score(lambda t: [("PHONE", a, b) for s in samples if s.text == t
                              for _, a, b in s.traps], samples)
    assert decoys["recall"] == 0.0 and decoys["fp_on_decoys"] == decoys["fp"] > 0


def test_the_benchmark_runs_every_system_on_both_splits_and_the_general_set():
    report = run_phone_bench(quick=True)
    sets = report["sets"]
    assert {"dev en", "dev zh-Hant", "heldout en", "heldout zh-Hant",
            "general test split"} <= set(sets)
    for name in ("dev all", "heldout all"):
        assert sets[name][BEFORE]["recall_unassigned"] == 0.0  # the validator alone
        assert sets[name][OURS]["recall_unassigned"] > 0.0
        assert sets[name][OURS]["recall_assigned"] == sets[name][BEFORE]["recall_assigned"]
    assert {row["system"] for row in report["rows"]} == {OURS, BEFORE, "shape only (regex)"}
