"""Field values: turning OCR text into a canonical value, and the template's validators.

Normalisers repair only confusions that the field's shape makes unambiguous (a letter ``O`` in
the digits of an HKID is a zero); each repair lowers confidence, so a repaired value is more
likely to reach an officer. Validators return bilingual messages (msgids with named params).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import phonenumbers

from aiplus.core.i18n import N_
from aiplus.guard.pii.hkid import check_digit

REPAIR_PENALTY = 0.9
_TO_DIGIT = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1",
                           "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8", "G": "6", "g": "9"})
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})
_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９（）／－："}
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y/%m/%d")
_EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
_ID_SHAPE = re.compile(r"^([A-Z0-9]{1,2}?)([A-Z0-9]{6})\(?([0-9A-Z])\)?$")


@dataclass(frozen=True)
class Normalised:
    value: str
    repaired: bool = False


def _compact(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_FULLWIDTH)).strip(" :：|_.,;·'`")


def _id_parts(text: str) -> tuple[str, str, str] | None:
    """Prefix letters, six digits and check character of an HKID-shaped string, repairing
    letter/digit confusions by position."""
    raw = re.sub(r"[\s\[\]{}]", "", text.upper().translate(_FULLWIDTH)).replace("(", "").replace(")", "")
    raw = raw.rstrip(".,")
    if not 8 <= len(raw) <= 9:
        return None
    prefix, body, check = raw[:-7], raw[-7:-1], raw[-1]
    prefix = prefix.translate(_TO_LETTER)
    body = body.translate(_TO_DIGIT)
    check = check if check == "A" else check.translate(_TO_DIGIT)
    if not (re.fullmatch(r"[A-Z]{1,2}", prefix) and body.isdigit() and re.fullmatch(r"[0-9A]", check)):
        return None
    return prefix, body, check


def normalise(kind: str, text: str) -> Normalised:
    """The canonical form of ``text`` for a field of type ``kind`` (empty when nothing read)."""
    text = _compact(text)
    if not text:
        return Normalised("")
    if kind == "name_en":
        value = re.sub(r"[^A-Za-z' -]", "", text.translate(_TO_LETTER)).upper()
        value = re.sub(r"\s+", " ", value).strip()
        return Normalised(value, value != re.sub(r"\s+", " ", text.upper()).strip())
    if kind == "name_zh":
        value = re.sub(r"[\sA-Za-z0-9:：]", "", text)
        return Normalised(value, value != text)
    if kind in ("id_number", "licence_number"):
        parts = _id_parts(text)
        if parts is None:
            return Normalised(re.sub(r"\s", "", text.upper()))
        prefix, body, check = parts
        value = f"{prefix}{body}({check})" if kind == "id_number" else f"{prefix}{body}{check}"
        plain = re.sub(r"[\s()]", "", text.upper())
        return Normalised(value, plain != f"{prefix}{body}{check}")
    if kind == "date":
        candidate = re.sub(r"\s", "", text).replace("—", "-").replace("_", "-")
        repaired = candidate.translate(_TO_DIGIT)
        for pattern in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(repaired, pattern).date()
            except ValueError:
                continue
            return Normalised(parsed.isoformat(), repaired != candidate)
        return Normalised(candidate)
    if kind == "phone":
        digits = re.sub(r"[\s()-]", "", text).translate(_TO_DIGIT)
        try:
            number = phonenumbers.parse(digits, "HK")
        except phonenumbers.NumberParseException:
            return Normalised(digits)
        if not phonenumbers.is_valid_number(number):
            return Normalised(digits)  # kept as read, so the validator can say what is wrong
        formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return Normalised(formatted, digits != re.sub(r"[\s()-]", "", text))
    if kind == "email":
        value = re.sub(r"\s", "", text).lower().replace(",", ".")
        return Normalised(value, value != re.sub(r"\s", "", text).lower())
    return Normalised(text)


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


Check = Callable[[str, Any, Mapping[str, str]], list[tuple[str, dict[str, Any]]]]


def _required(value: str, _: Any, __: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    return [] if value else [(N_("This field is empty."), {})]


def _present(value: str, _: Any, __: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    return [] if value == "present" else [(N_("This box has no mark in it."), {})]


def valid_hkid(value: str) -> bool:
    match = re.fullmatch(r"([A-Z]{1,2})(\d{6})\(?([0-9A])\)?", value)
    return bool(match) and check_digit(match.group(1) + match.group(2)) == match.group(3)


def _id_document(value: str, _: Any, __: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    if not value:
        return []
    if re.fullmatch(r"[A-Z]{1,2}\d{6}\(?[0-9A]\)?", value):
        return [] if valid_hkid(value) else [(N_("The HKID check digit is wrong."), {})]
    if re.fullmatch(r"[A-Z0-9]{6,12}", value):
        return []  # a travel document number: no public check digit to verify
    return [(N_("This is not an HKID or travel document number."), {})]


def _licence_number(value: str, _: Any, __: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """A Hong Kong driving licence number is the holder's HKID number without brackets."""
    if not value:
        return []
    if not re.fullmatch(r"[A-Z]{1,2}\d{6}[0-9A]", value):
        return [(N_("A driving licence number is 1-2 letters and 7 digits or characters."), {})]
    return [] if valid_hkid(value) else [(N_("The licence number's check digit is wrong."), {})]


def _phone(value: str, _: Any, __: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    if not value:
        return []
    try:
        number = phonenumbers.parse(value, "HK")
    except phonenumbers.NumberParseException:
        return [(N_("This is not a telephone number."), {})]
    if phonenumbers.is_valid_number(number):
        return []
    return [(N_("This is not a valid telephone number."), {})]


def _email(value: str, _: Any, __: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    if not value or _EMAIL.match(value):
        return []
    return [(N_("This is not a valid email address."), {})]


def _reference(values: Mapping[str, str], name: str) -> date:
    return parse_date(values.get(name)) or date.today()


def _min_age(value: str, rule: Any, values: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    born = parse_date(value)
    if born is None:
        return []
    on = _reference(values, rule["at"])
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if years >= int(rule["years"]):
        return []
    return [(N_("The applicant must be at least {years} years old."), {"years": rule["years"]})]


def _on_or_after(value: str, rule: Any, values: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    when, other = parse_date(value), parse_date(values.get(rule))
    if when is None or other is None or when >= other:
        return []
    return [(N_("This date must not be before {field}."), {"field": rule})]


def _on_or_before(value: str, rule: Any, values: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    when, other = parse_date(value), parse_date(values.get(rule))
    if when is None or other is None or when <= other:
        return []
    return [(N_("This date must not be after {field}."), {"field": rule})]


CHECKS: dict[str, Check] = {
    "required": _required, "present": _present, "id_document": _id_document,
    "licence_number": _licence_number, "phone": _phone, "email": _email,
    "min_age": _min_age, "on_or_after": _on_or_after, "on_or_before": _on_or_before,
}


def type_errors(kind: str, value: str) -> list[tuple[str, dict[str, Any]]]:
    if kind == "date" and value and parse_date(value) is None:
        return [(N_("This is not a date (day/month/year)."), {})]
    return []


def validate(kind: str, value: str, validators: tuple[Any, ...],
             values: Mapping[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """Every validator's complaints about ``value``; ``values`` holds the other fields, for
    rules that compare dates across fields."""
    errors = type_errors(kind, value)
    for item in validators:
        name, rule = (item, None) if isinstance(item, str) else next(iter(item.items()))
        errors.extend(CHECKS[name](value, rule, values))
    return errors
