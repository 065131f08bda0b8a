"""A generated, labelled bilingual evaluation set and span-level precision/recall/F1.

Sentences come from English and Traditional Chinese templates filled with random values:
valid HKIDs (one- and two-letter prefixes, with and without brackets/spaces, some full-width),
HK phone numbers in the usual written forms (validated against ``phonenumbers`` when
generated), emails, Luhn-valid cards and HKSAR passports - the *gold* spans - and traps that
must not be reported: HKIDs with a wrong check digit, dates, amounts, 8-digit order/reference
numbers, cards failing Luhn. Scoring is exact-span per type; the generator is deterministic
for a seed, so figures are reproducible.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import phonenumbers

from aiplus.guard.pii import hkid
from aiplus.guard.pii.entities import CREDIT_CARD, EMAIL, HKID, PASSPORT, PHONE
from aiplus.guard.pii.recognisers import luhn_ok

EVAL_TYPES: tuple[str, ...] = tuple(str(t) for t in (HKID, PHONE, EMAIL, CREDIT_CARD, PASSPORT))
Span = tuple[str, int, int]


@dataclass(frozen=True)
class Sample:
    text: str
    lang: str
    gold: tuple[Span, ...]  # (type, start, end) that must be found
    traps: tuple[Span, ...]  # (trap kind, start, end) that must not be reported


_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)} | {0x20: 0x3000}


def _full_width(value: str) -> str:
    return value.translate(_FULL_WIDTH)


class _Values:
    """Random values of each slot kind."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def _digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))

    def _hkid_parts(self) -> tuple[str, str]:
        letters = "ABCDEGHKMPRVWYZ"  # prefixes seen on real cards
        prefix = self.rng.choice(letters)
        if self.rng.random() < 0.25:
            prefix = self.rng.choice("WXYZ") + prefix
        return prefix, self._digits(6)

    def _hkid_format(self, prefix: str, digits: str, check: str, zh: bool) -> str:
        style = self.rng.randrange(5)
        value = [f"{prefix}{digits}({check})", f"{prefix}{digits}{check}",
                 f"{prefix}{digits} ({check})", f"{prefix} {digits}({check})",
                 f"{prefix}{digits}({check})"][style]
        return _full_width(value) if zh and self.rng.random() < 0.15 else value

    def hkid(self, zh: bool) -> str:
        prefix, digits = self._hkid_parts()
        return self._hkid_format(prefix, digits, hkid.check_digit(prefix + digits), zh)

    def bad_hkid(self, zh: bool) -> str:
        prefix, digits = self._hkid_parts()
        right = hkid.check_digit(prefix + digits)
        wrong = self.rng.choice([c for c in "0123456789A" if c != right])
        return self._hkid_format(prefix, digits, wrong, zh)

    def _phone_digits(self) -> str:
        while True:
            digits = self.rng.choice("235569") + self._digits(7)
            number = phonenumbers.parse("+852" + digits)
            if phonenumbers.is_valid_number(number):
                return digits

    def phone(self, zh: bool) -> str:
        d = self._phone_digits()
        forms = [f"{d[:4]} {d[4:]}", f"{d[:4]}-{d[4:]}", d, f"+852 {d[:4]} {d[4:]}",
                 f"+852-{d[:4]}-{d[4:]}", f"(852) {d[:4]} {d[4:]}", f"+852{d}",
                 f"00852 {d[:4]} {d[4:]}", f"(+852) {d}"]
        value = self.rng.choice(forms)
        return _full_width(value) if zh and self.rng.random() < 0.15 else value

    def email(self, zh: bool) -> str:
        first = self.rng.choice(["chan", "wong", "lee", "cheung", "ho", "lam", "ng", "mary",
                                 "peter", "ka.ming", "siu_fong", "info", "tm.chan"])
        sep = self.rng.choice([".", "_", "", "-"])
        last = self.rng.choice(["taiman", "siuming", "wai", "kf", "hk", "2024", "", "office"])
        local = first + (sep + last if last else "")
        if self.rng.random() < 0.1:
            local += "+news"
        domain = self.rng.choice(["gmail.com", "yahoo.com.hk", "netvigator.com", "example.org",
                                  "td.gov.hk", "cuhk.edu.hk", "hku.hk", "outlook.com"])
        return f"{local}@{domain}"

    def _card_digits(self) -> str:
        prefix, length = self.rng.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16),
                                          ("62", 16), ("34", 15), ("37", 15), ("35", 16)])
        body = prefix + self._digits(length - len(prefix) - 1)
        for last in "0123456789":
            if luhn_ok(body + last):
                return body + last
        raise AssertionError("unreachable")

    def _card_format(self, d: str) -> str:
        if len(d) == 15:
            return self.rng.choice([d, f"{d[:4]} {d[4:10]} {d[10:]}"])
        sep = self.rng.choice([" ", "-", ""])
        return sep.join(d[i:i + 4] for i in range(0, 16, 4))

    def card(self, zh: bool) -> str:
        return self._card_format(self._card_digits())

    def bad_card(self, zh: bool) -> str:
        d = self._card_digits()
        d = d[:-1] + str((int(d[-1]) + self.rng.randrange(1, 10)) % 10)
        return self._card_format(d)

    def passport(self, zh: bool) -> str:
        return self.rng.choice("KH") + self._digits(8)

    def order(self, zh: bool) -> str:
        return self.rng.choice("235689") + self._digits(7)

    def date(self, zh: bool) -> str:
        y, m = self.rng.randrange(2015, 2027), self.rng.randrange(1, 13)
        d = self.rng.randrange(1, 29)
        return self.rng.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}",
                                f"{y}{m:02d}{d:02d}", f"{d:02d}{m:02d}{y}",
                                f"{y}年{m}月{d}日" if zh else f"{d} Mar {y}"])

    def amount(self, zh: bool) -> str:
        n = self.rng.choice("235689") + self._digits(7)
        return self.rng.choice([f"HK${n}", f"${n}", f"HK$ {int(n):,}", f"HKD {n}",
                                f"{n}元" if zh else f"{n} dollars", f"${n}.50"])

    def longnum(self, zh: bool) -> str:
        return self.rng.choice("9") + self._digits(self.rng.randrange(9, 16))


_GOLD_SLOTS = {"HKID": str(HKID), "PHONE": str(PHONE), "EMAIL": str(EMAIL),
               "CARD": str(CREDIT_CARD), "PASSPORT": str(PASSPORT)}
_TRAP_SLOTS = {"BADHKID": "invalid_hkid", "BADCARD": "invalid_card", "ORDER": "order_number",
               "DATE": "date", "AMOUNT": "amount", "LONGNUM": "long_number"}

EN_TEMPLATES = (
    "Please contact me at {PHONE}.",
    "My HKID is {HKID} and my mobile is {PHONE}.",
    "Send the completed form to {EMAIL} before Friday.",
    "Applicant {HKID} phoned from {PHONE} about Order No. {ORDER}.",
    "The invoice dated {DATE} totals {AMOUNT}.",
    "Ref: {ORDER}. For enquiries call {PHONE} or write to {EMAIL}.",
    "Card {CARD} was charged {AMOUNT} on {DATE}.",
    "Passport number {PASSPORT}, email {EMAIL}.",
    "ID card no. {BADHKID} failed the check-digit test.",
    "Payment with card {BADCARD} was declined.",
    "Tracking number {LONGNUM} was dispatched on {DATE}.",
    "Mr Chan (HKID {HKID}) can be reached on {PHONE} or {EMAIL}.",
    "Invoice {ORDER} for {AMOUNT} is due on {DATE}.",
    "Office hotline: {PHONE}; fax {PHONE}.",
    "The record {BADHKID} does not belong to any resident; call {PHONE} to correct it.",
    "Holder {HKID} paid by credit card {CARD}.",
    "Travel document: passport {PASSPORT}. Identity card: {HKID}.",
    "Account number {ORDER} was opened on {DATE}.",
    "WhatsApp {PHONE} / {PHONE} after 6 pm, quoting reference {ORDER}.",
    "{PHONE} is my daughter's number; mine is {PHONE}.",
    "Contact No.: {PHONE} (mobile), e-mail: {EMAIL}",
    "HKID:{HKID};Tel:{PHONE};Email:{EMAIL}",
)
ZH_TEMPLATES = (
    "我的電話是{PHONE}。",
    "身份證號碼：{HKID}，聯絡電話：{PHONE}",
    "請將填妥的表格電郵至{EMAIL}。",
    "訂單編號：{ORDER}，金額{AMOUNT}。",
    "已於{DATE}繳付{AMOUNT}。",
    "信用卡號碼 {CARD}，請核對。",
    "護照號碼：{PASSPORT}，電郵：{EMAIL}",
    "申請人身份證{BADHKID}核對失敗。",
    "如有查詢，請致電{PHONE}或電郵至{EMAIL}。",
    "陳先生（{HKID}）的手提電話是{PHONE}。",
    "參考編號{ORDER}，請於{DATE}前回覆。",
    "信用卡{BADCARD}交易被拒。",
    "發票號碼{ORDER}，總額{AMOUNT}",
    "熱線：{PHONE}；傳真：{PHONE}。",
    "持證人{HKID}以信用卡{CARD}付款。",
    "追蹤號碼{LONGNUM}已於{DATE}寄出。",
    "身份證{HKID}，護照{PASSPORT}，手機{PHONE}",
    "身分證號碼{BADHKID}無效，請致電{PHONE}查詢。",
    "{PHONE}係我屋企電話，有事打俾我。",
    "聯絡人：陳小姐（電話：{PHONE}，電郵：{EMAIL}）",
    "收據編號{ORDER}，付款日期{DATE}，手機{PHONE}",
    "咭號{CARD}，有效期至{DATE}。",
)
_SLOT = re.compile(r"\{([A-Z]+)\}")


def _fill(template: str, values: _Values, zh: bool) -> tuple[str, list[Span], list[Span]]:
    text, gold, traps, cursor = "", [], [], 0
    for match in _SLOT.finditer(template):
        text += template[cursor:match.start()]
        slot = match.group(1)
        key = {"CARD": "card", "BADCARD": "bad_card", "BADHKID": "bad_hkid"}.get(slot, slot.lower())
        value = getattr(values, key)(zh)
        start, text = len(text), text + value
        if slot in _GOLD_SLOTS:
            gold.append((_GOLD_SLOTS[slot], start, len(text)))
        else:
            traps.append((_TRAP_SLOTS[slot], start, len(text)))
        cursor = match.end()
    return text + template[cursor:], gold, traps


def generate(n: int = 400, seed: int = 2026) -> list[Sample]:
    """``n`` labelled sentences, alternately English and Traditional Chinese."""
    rng = random.Random(seed)
    values = _Values(rng)
    samples = []
    for i in range(n):
        zh = i % 2 == 1
        template = rng.choice(ZH_TEMPLATES if zh else EN_TEMPLATES)
        text, gold, traps = _fill(template, values, zh)
        samples.append(Sample(text, "zh-Hant" if zh else "en", tuple(gold), tuple(traps)))
    return samples


Detector = Callable[[str], Iterable[Span]]


def evaluate(detect: Detector, samples: list[Sample],
             types: tuple[str, ...] = EVAL_TYPES) -> dict[str, Any]:
    """Exact-span precision/recall/F1 per type, and how many reported HKIDs are invalid."""
    counts = {t: {"tp": 0, "fp": 0, "fn": 0} for t in types}
    invalid_hkids = 0
    for sample in samples:
        predicted = {p for p in detect(sample.text) if p[0] in types}
        gold = set(sample.gold)
        for entity_type, start, end in predicted:
            counts[entity_type]["tp" if (entity_type, start, end) in gold else "fp"] += 1
            if entity_type == HKID and not hkid.is_valid(sample.text[start:end]):
                invalid_hkids += 1
        for entity_type, _, _ in gold - predicted:
            if entity_type in counts:
                counts[entity_type]["fn"] += 1
    per_type = {}
    for entity_type, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_type[entity_type] = c | {"precision": round(precision, 4), "recall": round(recall, 4),
                                     "f1": round(f1, 4)}
    return {"per_type": per_type, "invalid_hkid_reported": invalid_hkids}
