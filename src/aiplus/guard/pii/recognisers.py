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
* PHONE - candidates are 8-digit Hong Kong numbers (``9123 4567``, ``9123-4567``, ``91234567``,
  ``+852 9123 4567``, ``(852) 9123-4567``, ``00852 ...``), validated by Google's
  ``phonenumbers`` metadata for region HK (so ``4123 4567`` or ``7012 3456`` are rejected).
  Rules then drop numbers that are part of longer digit runs or groups (``1234 5678 9012``,
  ``9123-4567-1``), money (``HK$91234567``, ``91234567元``), compact dates (``20240115``,
  ``25122024``) and numbers labelled as something else (``Order No. 91234567``,
  ``訂單編號：91234567``, ``#91234567``, a ``ref_no`` column) unless a phone word (``Tel``,
  ``電話``...) is nearer; compact dates count as phones only with a phone word before or
  just after them (``23112013係我電話``) or in a phone column. Context words match whole
  words (``tel`` not in ``hotel``).
  Two phone numbers written next to each other with only a space between them are treated as
  one longer digit group and dropped: separate them with ``/``, ``,`` or words.
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
from datetime import date

import phonenumbers

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
    PHONE,
    Entity,
)
from aiplus.guard.pii.base import ALNUM, Recogniser, has_word, keywords, last_position
from aiplus.guard.pii.hints import column_hints
from aiplus.guard.pii.lexicon import COMPOUND_SURNAMES, HAN, PLACE_WORDS, SURNAMES, TITLES
from aiplus.guard.pii.names import ChineseNameRecogniser, EnglishNameRecogniser
from aiplus.guard.pii.ner import SpacyPersonRecogniser
from aiplus.guard.pii.text import fold, window_before


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


class PhoneRecogniser(Recogniser):
    """Hong Kong phone numbers, validated with ``phonenumbers`` (region HK)."""

    entity_type = PHONE
    context_words = ("phone", "telephone", "tel", "mobile", "call", "contact", "whatsapp",
                     "fax", "sms", "cellphone", "smartphone", "hotline", "dial", "電話", "手機",
                     "手提", "聯絡", "致電", "傳真", "熱線", "短訊", "打俾", "打給", "call我")
    other_id_words = ("order", "invoice", "ref", "reference", "account", "a/c", "acct",
                      "booking", "tracking", "transaction", "receipt", "serial", "case",
                      "file no", "policy", "member", "membership", "ticket", "licence",
                      "license", "registration", "reg. no", "br no", "cert", "certificate",
                      "batch", "lot", "sku", "code", "pin",
                      "編號", "單號", "訂單", "帳號", "賬號", "戶口", "户口", "發票", "參考",
                      "收據", "檔案", "個案", "會員", "保單", "登記", "證書", "號碼牌", "批次",
                      "代碼", "密碼", "交易", "charged", "paid", "total", "amount", "price",
                      "fee", "cost", "金額", "總額", "繳付", "付款", "價錢", "費用")
    _pattern = re.compile(
        rf"(?<![{ALNUM}+])"
        r"(?P<intl>(?:\+|00) ?852|\( ?(?:\+|00)?852 ?\)|852(?=[ -]))?"
        r"(?P<sep>[ -]?)"
        r"(?P<num>[2-9][0-9]{3}[ -]?[0-9]{4})"
        rf"(?![{ALNUM}])"
    )
    _money_before = re.compile(
        r"(?:hk\$|us\$|\$|hkd|usd|rmb|cny|¥|￥|€|£|港幣|港元|人民幣|美元|價|金額)\s*$"
    )
    _money_after = re.compile(r"^\s*(?:元|蚊|港元|港幣|美元|hkd|usd|dollars?|萬|億|%|cents?)")

    @staticmethod
    def _date_like(digits: str) -> bool:
        for year, month, day in ((digits[:4], digits[4:6], digits[6:]),
                                 (digits[4:], digits[2:4], digits[:2])):
            if 1900 <= int(year) <= 2100:
                try:
                    date(int(year), int(month), int(day))
                except ValueError:
                    continue
                return True
        return False

    @staticmethod
    def _valid(digits: str) -> bool:
        try:
            number = phonenumbers.parse("+852" + digits, None)
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.is_valid_number(number) and (
            phonenumbers.region_code_for_number(number) == "HK"
        )

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found = []
        for match in self._pattern.finditer(folded):
            digits = re.sub(r"[^0-9]", "", match.group("num"))
            intl = match.group("intl") is not None
            start = match.start() if intl else match.start("num")
            end = match.end()
            # part of a longer group of digits: "1234 5678 9012", "9123-4567-1", "3.91234567"
            if re.search(r"[0-9][ .\-]$", folded[max(0, start - 2):start]):
                continue
            if re.match(r"[ .\-][0-9]", folded[end:end + 2]):
                continue
            if not self._valid(digits):
                continue
            window = window_before(folded, start)
            phone_at = last_position(window, self.context_words)
            column_says_phone = column is not None and self.column_is_context(column)
            # a column such as "ref_no" or "訂單編號" labels every cell as another identifier
            column_says_other = not column_says_phone and column is not None and (
                last_position(fold(column).lower(), self.other_id_words) >= 0)
            # Chinese often labels after the number: "23112013係我屋企電話"
            after = keywords(self.context_words).search(folded[end:end + 8].lower())
            context = phone_at >= 0 or column_says_phone or after is not None
            if not intl:
                if self._money_before.search(window) or self._money_after.match(
                        folded[end:end + 12].lower()):
                    continue
                if not context and match.group("num") == digits and self._date_like(digits):
                    continue
                other_at = last_position(window, self.other_id_words)
                if not column_says_phone and (other_at > phone_at or (
                        column_says_other and phone_at < 0)):
                    continue  # labelled as an order/account/reference number
                if not context and re.search(r"#\s*$", window):
                    continue
            if intl:
                score = 0.95
            elif match.group("num") != digits:
                score = 0.75
            else:
                score = 0.65
            if context:
                score += 0.25
            found.append(self._entity(text, start, end, score))
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
