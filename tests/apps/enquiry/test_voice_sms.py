"""SMS planning against hand-counted cases, and phone number normalisation."""

from __future__ import annotations

import pytest

from aiplus.apps.enquiry.voice import SmsGateway, SmsPlan, normalise_msisdn, plan_sms
from aiplus.core.errors import BadRequest

pytestmark = pytest.mark.nodb


def test_160_gsm7_characters_fit_one_message_and_161_need_two() -> None:
    single = plan_sms("a" * 160)
    assert (single.encoding, len(single.parts), single.characters) == ("GSM-7", 1, 160)
    double = plan_sms("a" * 161)
    assert double.encoding == "GSM-7"
    assert [len(p) for p in double.parts] == [153, 8]


def test_70_ucs2_characters_fit_one_message_and_71_need_two() -> None:
    single = plan_sms("查" * 70)
    assert (single.encoding, len(single.parts), single.characters) == ("UCS-2", 1, 70)
    double = plan_sms("查" * 71)
    assert [len(p) for p in double.parts] == [67, 4]
    assert double.characters == 71


def test_extension_characters_count_twice_and_their_escape_is_never_split() -> None:
    assert plan_sms("€" * 80).characters == 160
    assert len(plan_sms("€" * 80).parts) == 1
    plan = plan_sms("a" * 152 + "€" + "b" * 10)  # the € would straddle septets 153 and 154
    assert plan.characters == 164
    assert plan.parts[0] == "a" * 152
    assert plan.parts[1].startswith("€")
    assert plan_sms("[x]").characters == 5


def test_emoji_surrogate_pairs_count_two_units_and_stay_whole() -> None:
    text = "好" * 66 + "😀" + "好"  # the emoji would straddle units 67 and 68
    plan = plan_sms(text)
    assert plan.encoding == "UCS-2"
    assert plan.characters == 69
    assert plan_sms("😀" * 35).characters == 70 and len(plan_sms("😀" * 35).parts) == 1
    long = plan_sms("好" * 66 + "😀" * 3)
    assert long.parts[0] == "好" * 66
    assert all(len(p.encode("utf-16-le")) // 2 <= 67 for p in long.parts)


def test_one_chinese_character_turns_english_into_ucs2() -> None:
    plan = plan_sms("Your reference is 1823-0042. 多謝")
    assert plan.encoding == "UCS-2"
    assert plan.characters == 31


def test_accented_gsm_letters_stay_gsm7_but_other_accents_do_not() -> None:
    assert plan_sms("Café Ñoño à la carte, Straße").encoding == "GSM-7"
    assert plan_sms("naïve").encoding == "UCS-2"  # ï is not in the GSM alphabet


def test_parts_break_after_spaces_or_chinese_punctuation_and_rejoin_exactly() -> None:
    english = " ".join(["Renew your identity card at any Registration of Persons office."] * 5)
    plan = plan_sms(english)
    assert "".join(plan.parts) == english
    assert all(part.endswith(" ") for part in plan.parts[:-1])
    assert all(len(part) <= 153 for part in plan.parts)
    chinese = "請攜帶身份證明文件，前往任何人事登記辦事處辦理。" * 8
    plan = plan_sms(chinese)
    assert "".join(plan.parts) == chinese
    assert all(part[-1] in "，。" for part in plan.parts[:-1])


def test_long_unbroken_text_splits_hard_at_the_part_size() -> None:
    plan = plan_sms("x" * 400)
    assert [len(p) for p in plan.parts] == [153, 153, 94]


def test_too_many_parts_and_empty_text_are_refused() -> None:
    assert len(plan_sms("a" * 153 * 3, max_parts=3).parts) == 3
    with pytest.raises(ValueError, match="more than 3"):
        plan_sms("a" * (153 * 3 + 1), max_parts=3)
    with pytest.raises(ValueError):
        plan_sms("")


def test_a_gateway_is_anything_with_send() -> None:
    class Outbox:
        def __init__(self) -> None:
            self.sent: list[tuple[str, SmsPlan]] = []

        def send(self, to: str, plan: SmsPlan) -> str:
            self.sent.append((to, plan))
            return f"msg-{len(self.sent)}"

    outbox = Outbox()
    assert isinstance(outbox, SmsGateway)
    assert outbox.send(normalise_msisdn("9123 4567"), plan_sms("Hi")) == "msg-1"


@pytest.mark.parametrize(("raw", "e164"), [
    ("9123 4567", "+85291234567"),
    ("+852 6123-4567", "+85261234567"),
    ("(+852) 5123 4567", "+85251234567"),
    ("+44 20 7946 0958", "+442079460958"),
])
def test_msisdn_normalised_to_e164_with_hong_kong_default(raw: str, e164: str) -> None:
    assert normalise_msisdn(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "not a number", "", "+852 1234 5678", "9" * 40])
def test_invalid_msisdn_is_a_bad_request(raw: str) -> None:
    with pytest.raises(BadRequest, match="not a valid phone number"):
        normalise_msisdn(raw)
