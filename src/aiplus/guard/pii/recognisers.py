"""Recognisers: one small, uniform contract per kind of personal data.

Every recogniser has the same shape (like scikit-learn estimators share ``fit``/``predict``)::

    recogniser.entity_type            # "HKID", "PHONE", ...
    recogniser.find(text, column=None) -> list[Entity]

``text`` is any string; ``column`` is the optional name of the table column the text came
from, which acts as context (``電話`` makes an 8-digit number more likely a phone) and is the
*only* way the PERSON and ADDRESS recognisers fire. All matching is done on
:func:`~aiplus.guard.pii.text.fold`-ed text (full-width digits and brackets become ASCII, same
length), and offsets index the original string.

What is exact and what is heuristic:

* HKID - exact shape + check digit; a wrong check character is never reported. Context words
  (``HKID``, ``身份證``, ``identity card``...) only raise the score.
* PHONE - :mod:`~aiplus.guard.pii.phones`: 8-digit Hong Kong numbers validated by
  ``phonenumbers`` (region HK), with rules against digit groups, money, compact dates and
  numbers labelled as other identifiers; a phone word close by (``Tel``, ``致電``...) raises
  the score, and raises a number ``phonenumbers`` rejects as unassigned to a finding with a
  lower score.
* EMAIL - a pragmatic RFC 5322 subset (dot-atom local part, dotted domain, letter TLD).
* CREDIT_CARD - 13-19 digits, contiguous or in the usual 4-4-4-4(-3) / 4-6-5 groups with one
  separator, passing the Luhn check; needs a known brand prefix or a card context word.
* PASSPORT - HKSAR passports (``K``/``H`` + 8 digits) always (low score without context);
  other countries' formats (1-2 letters + 6-8 digits, or 9 digits) only with a context word
  (``passport``, ``護照``) or a passport column.
* PERSON, ADDRESS - here, heuristic and for structured data only: a cell in a column whose *name* says
  name/姓名 or address/地址 is reported when its value looks like a personal name (Chinese
  surname + given name, or 2-5 Latin words without place words) or an address (unit, floor,
  street or estate words, or digits). They never fire on free text: finding names and
  addresses in prose is the job of the ``prose`` recognisers (:mod:`~aiplus.guard.pii.names`,
  :mod:`~aiplus.guard.pii.addresses`, :mod:`~aiplus.guard.pii.ner`), run with ``ner=True``.
* BANK_ACCOUNT - :mod:`~aiplus.guard.pii.accounts` (context-gated).
"""

from __future__ import annotations

import re

from aiplus.guard.pii import hkid as hkid_module
from aiplus.guard.pii.accounts import BankAccountRecogniser
from aiplus.guard.pii.addresses import AddressTextRecogniser
from aiplus.guard.pii.entities import (
    ADDRESS,
    CREDIT_CARD,
    EMAIL,
    HKID,
    PASSPORT,
    PERSON,
    Entity,
)
from aiplus.guard.pii.base import ALNUM, Recogniser, has_word
from aiplus.guard.pii.hints import column_hints
from aiplus.guard.pii.lexicon import COMPOUND_SURNAMES, HAN, PLACE_WORDS, SURNAMES, TITLES
from aiplus.guard.pii.names import ChineseNameRecogniser, EnglishNameRecogniser
from aiplus.guard.pii.ner import SpacyPersonRecogniser
from aiplus.guard.pii.phones import PhoneRecogniser
from aiplus.guard.pii.text import fold


class HkidRecogniser(Recogniser):
    """HKIDs with a correct check character (``A123456(3)``, ``AB987654(3)``, ``A1234563``).

    Upper case may be spaced (``A 123456 (3)``); lower case (``a123456(3)``) only written
    compactly, and scores lower, so "on 123456 7" in prose is never read as an HKID.
    """

    entity_type = HKID
    context_words = ("hkid", "hkic", "id card", "identity card", "i.d.", "id no", "身份證",
                     "身分證", "證件", "id:", "id ")
    _pattern = re.compile(
        rf"(?<![{ALNUM}])([A-Za-z]{{1,2}}) ?([0-9]{{6}}) ?"
        rf"(?:\(([0-9Aa])\)|([0-9Aa]))(?![{ALNUM}])"
    )

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found = []
        for match in self._pattern.finditer(folded):
            prefix, digits = match.group(1), match.group(2)
            given = (match.group(3) or match.group(4)).upper()
            if hkid_module.check_digit(prefix.upper() + digits) != given:
                continue  # a wrong check digit is not an HKID
            raw = match.group(0)
            if any(c.islower() for c in raw):
                if " " in raw:
                    continue
                score = 0.6
            elif match.group(3):
                score = 0.85
            else:
                score = 0.75
            if self.has_context(folded, match.start(), column):
                score += 0.15
            found.append(self._entity(text, match.start(), match.end(), score))
        return found


class EmailRecogniser(Recogniser):
    """Email addresses (dot-atom local part, dotted domain, alphabetic top-level domain)."""

    entity_type = EMAIL
    context_words = ("email", "e-mail", "mail", "電郵", "郵箱", "電子郵件")
    _pattern = re.compile(
        r"(?<![A-Za-z0-9._%+\-])"
        r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
        r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
        r"(?![A-Za-z0-9\-@])"
    )

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found = []
        for match in self._pattern.finditer(folded):
            score = 0.95 + (0.05 if self.has_context(folded, match.start(), column) else 0.0)
            found.append(self._entity(text, match.start(), match.end(), score))
        return found


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment card numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _known_brand(digits: str) -> bool:
    two, four = int(digits[:2]), int(digits[:4])
    return (
        digits[0] == "4"                                   # Visa
        or 51 <= two <= 55 or 2221 <= four <= 2720         # Mastercard
        or two in (34, 37) and len(digits) == 15           # American Express
        or two in (35, 62, 65, 36, 38)                     # JCB, UnionPay, Discover, Diners
        or four == 6011 or 644 <= int(digits[:3]) <= 649   # Discover
        or 300 <= int(digits[:3]) <= 305                   # Diners Club
    )


class CreditCardRecogniser(Recogniser):
    """Payment card numbers: 13-19 digits in card-like groups passing the Luhn check."""

    entity_type = CREDIT_CARD
    context_words = ("card", "credit", "visa", "master", "mastercard", "amex", "unionpay",
                     "信用卡", "卡號", "咭", "銀聯", "扣賬卡")
    _pattern = re.compile(
        rf"(?<![{ALNUM}])(?<![0-9][.,])[0-9](?:[ \-]?[0-9]){{12,18}}(?![{ALNUM}])(?![.,][0-9])"
    )

    @staticmethod
    def _card_groups(raw: str) -> bool:
        separators = set(re.findall(r"[ \-]", raw))
        if not separators:
            return True
        if len(separators) > 1:
            return False
        groups = [len(g) for g in re.split(r"[ \-]", raw)]
        if groups[:-1] == [4] * (len(groups) - 1) and 1 <= groups[-1] <= 4:
            return True
        return groups in ([4, 6, 5], [4, 6, 4])

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found = []
        for match in self._pattern.finditer(folded):
            raw = match.group(0)
            digits = re.sub(r"[^0-9]", "", raw)
            if not (13 <= len(digits) <= 19 and self._card_groups(raw) and luhn_ok(digits)):
                continue
            context = self.has_context(folded, match.start(), column)
            if _known_brand(digits):
                score = 0.85 + (0.15 if context else 0.0)
            elif context:
                score = 0.6
            else:
                continue
            found.append(self._entity(text, match.start(), match.end(), score))
        return found


class PassportRecogniser(Recogniser):
    """HKSAR passports (K/H + 8 digits); other formats only next to a passport word."""

    entity_type = PASSPORT
    context_words = ("passport", "護照", "travel document", "旅行證件", "travel doc")
    _hksar = re.compile(rf"(?<![{ALNUM}])[KH][0-9]{{8}}(?![{ALNUM}])")
    _generic = re.compile(rf"(?<![{ALNUM}])(?:[A-Z]{{1,2}}[0-9]{{6,8}}|[0-9]{{9}})(?![{ALNUM}])")

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found: dict[tuple[int, int], Entity] = {}
        for match in self._hksar.finditer(folded):
            context = self.has_context(folded, match.start(), column, size=40)
            score = 0.95 if context else 0.55
            found[match.span()] = self._entity(text, match.start(), match.end(), score)
        for match in self._generic.finditer(folded):
            if match.span() in found or not self.has_context(folded, match.start(), column, 40):
                continue
            found[match.span()] = self._entity(text, match.start(), match.end(), 0.6)
        return sorted(found.values(), key=lambda e: e.start)




def _person_score(value: str) -> float:
    value = value.strip()
    han = re.fullmatch(rf"([{HAN}]{{2,4}}?)(?:先生|女士|小姐|太太|博士)?", value)
    if han:
        name = han.group(1)
        if name.startswith(COMPOUND_SURNAMES) or name[0] in SURNAMES:
            return 0.8
        return 0.5
    # "CHAN Tai Man", "Chan, Tai-man", "Mr. Wong Siu Ming", "陳大文 CHAN Tai Man"
    mixed = re.fullmatch(rf"[{HAN}]{{2,4}}\s+(.+)", value)
    if mixed:
        return max(_person_score(value.split()[0]), _person_score(mixed.group(1)))
    words = [w for w in re.split(r"[\s,]+", value) if w]
    if not words or any(not re.fullmatch(r"[A-Za-z][A-Za-z'\-.]*", w) for w in words):
        return 0.0
    if words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    if not 1 <= len(words) <= 5 or any(w.lower() in PLACE_WORDS for w in words):
        return 0.0
    if len(words) == 1 or all(len(w.rstrip(".")) < 2 for w in words):
        return 0.4  # "Chan", "x", "A. B.": too little to call a personal name (not reported)
    return 0.7


class PersonRecogniser(Recogniser):
    """Heuristic, structured data only: personal names in a column named like a name.

    Needs ``column`` (``name``, ``full_name``, ``applicant_name``, ``姓名``...); returns ``[]``
    for free text. Scores: 0.8 Chinese name starting with a common Hong Kong surname, 0.7 two
    or more Latin words without place/organisation words, 0.5 other 2-4 Han characters, 0.4
    (below the default reporting threshold) a single Latin word.
    """

    entity_type = PERSON

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        if column is None or PERSON not in column_hints(column):
            return []
        folded = fold(text)
        stripped = folded.strip()
        if not stripped or len(stripped) > 60:
            return []
        score = _person_score(stripped)
        if score <= 0:
            return []
        start = len(folded) - len(folded.lstrip())
        return [self._entity(text, start, start + len(stripped), score)]


_UNIT_WORDS = ("flat", "room", "rm ", "rm.", "unit", "/f", "floor", "室", "樓", "座")
_STREET_WORDS = ("road", " rd", "street", " st", "avenue", "lane", "path", "terrace", "estate",
                 "building", "bldg", "court", "house", "tower", "block", "blk", "village",
                 "道", "街", "路", "巷", "里", "邨", "苑", "村", "大廈", "花園", "號", "中心")


class AddressRecogniser(Recogniser):
    """Heuristic, structured data only: addresses in a column named like an address.

    Needs ``column`` (``address``, ``home_address``, ``地址``, ``住址``...). Scores: 0.8 when the
    value names a flat/room/floor (likely residential or personal), 0.6 when it has street or
    estate words or digits (a street address: may well be a public facility's).
    """

    entity_type = ADDRESS

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        if column is None or ADDRESS not in column_hints(column):
            return []
        folded = fold(text)
        stripped = folded.strip()
        if len(stripped) < 4:
            return []
        lowered = f" {stripped.lower()} "
        if has_word(lowered, _UNIT_WORDS):
            score = 0.8
        elif has_word(lowered, _STREET_WORDS) or re.search(r"[0-9]", stripped):
            score = 0.6
        else:
            return []
        start = len(folded) - len(folded.lstrip())
        return [self._entity(text, start, start + len(stripped), score)]


def default_recognisers() -> tuple[Recogniser, ...]:
    """One recogniser per entity type, in :data:`~aiplus.guard.pii.entities.ALL_TYPES` order,
    then the prose recognisers for names and addresses (run only with ``ner=True``)."""
    return (HkidRecogniser(), PhoneRecogniser(), EmailRecogniser(), CreditCardRecogniser(),
            PassportRecogniser(), PersonRecogniser(), AddressRecogniser(),
            BankAccountRecogniser(), ChineseNameRecogniser(), EnglishNameRecogniser(),
            SpacyPersonRecogniser(), AddressTextRecogniser())
