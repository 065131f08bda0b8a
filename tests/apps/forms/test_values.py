"""Normalisers repair only what a field's shape makes unambiguous; validators catch the
invalid values the IDP template names (HKID check digit, dates, phone, licence, age, expiry)."""

from __future__ import annotations

import pytest

from aiplus.apps.forms.templates import load
from aiplus.apps.forms.values import normalise, validate

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize(("kind", "text", "value", "repaired"), [
    ("id_number", "A123456(3)", "A123456(3)", False),
    ("id_number", "A 123456 (3)", "A123456(3)", False),
    ("id_number", "A12345O(3)", "A123450(3)", True),
    ("id_number", "0A123456(3)", "OA123456(3)", True),
    ("licence_number", "A1234563", "A1234563", False),
    ("date", "14/03/1985", "1985-03-14", False),
    ("date", "l4/O3/1985", "1985-03-14", True),
    ("phone", "9123 4567", "+85291234567", False),
    ("phone", "123 4567", "1234567", False),
    ("email", "Tai.Man@Example.com", "tai.man@example.com", False),
    ("name_en", "CHAN Tai Man", "CHAN TAI MAN", False),
    ("name_zh", "陳 大文", "陳大文", True),
    ("text", "  Flat A,   3/F ", "Flat A, 3/F", False),
])
def test_normalise(kind: str, text: str, value: str, repaired: bool) -> None:
    result = normalise(kind, text)
    assert (result.value, result.repaired) == (value, repaired)


def _errors(name: str, value: str, **others: str) -> list[str]:
    spec = load("idp").field(name)
    values = {"declaration_date": "2026-11-25", "licence_expiry": "2030-01-01", **others,
              name: value}
    return [message for message, _ in validate(spec.type, value, spec.validators, values)]


def test_validators_of_the_idp_template() -> None:
    assert _errors("id_number", "A123456(3)") == []
    assert _errors("id_number", "A123456(4)") == ["The HKID check digit is wrong."]
    assert _errors("id_number", "") == ["This field is empty."]
    assert _errors("licence_number", "A1234563") == []
    assert _errors("licence_number", "A1234564") == ["The licence number's check digit is wrong."]
    assert _errors("licence_number", "12345") != []
    assert _errors("phone", "+85291234567") == []
    assert _errors("phone", "1234567") == ["This is not a valid telephone number."]
    assert _errors("email", "not-an-email") == ["This is not a valid email address."]
    assert _errors("date_of_birth", "2008-11-25") == []  # 18 today
    assert _errors("date_of_birth", "2008-11-26") == ["The applicant must be at least {years} years old."]
    assert _errors("date_of_birth", "31/02/1990") == ["This is not a date (day/month/year)."]
    assert _errors("licence_expiry", "2026-11-24") == ["This date must not be before {field}."]
    assert _errors("permit_valid_from", "2031-01-01") == ["This date must not be after {field}."]
    assert _errors("signature", "absent") == ["This box has no mark in it."]
