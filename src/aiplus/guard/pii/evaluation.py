"""A generated, labelled bilingual evaluation set and span-level precision/recall/F1.

Two splits: ``dev`` (what the recognisers were tuned on) and ``test`` (held out: the other
half of the templates and disjoint pools of names, addresses and bank formats), each in
English, Traditional Chinese and code-mixed sentences. Names and addresses are gold too; a
lone district (``lives in Sha Tin``) is a trap, not an address.

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
from aiplus.guard.pii.entities import (
    ADDRESS,
    BANK_ACCOUNT,
    CREDIT_CARD,
    EMAIL,
    HKID,
    PASSPORT,
    PERSON,
    PHONE,
)
from aiplus.guard.pii.lexicon import AREAS_EN, AREAS_ZH
from aiplus.guard.pii.recognisers import luhn_ok

EVAL_TYPES: tuple[str, ...] = tuple(str(t) for t in (HKID, PHONE, EMAIL, CREDIT_CARD, PASSPORT,
                                                     PERSON, ADDRESS, BANK_ACCOUNT))
SPLITS = ("dev", "test")
Span = tuple[str, int, int]


@dataclass(frozen=True)
class Sample:
    text: str
    lang: str
    gold: tuple[Span, ...]  # (type, start, end) that must be found
    traps: tuple[Span, ...]  # (trap kind, start, end) that must not be reported


_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)} | {0x20: 0x3000}


def full_width(value: str) -> str:
    """The full-width twin of ASCII text, as Chinese input methods often type digits."""
    return value.translate(_FULL_WIDTH)


# Disjoint pools per split, so the held-out split has names and addresses never tuned on.
_POOLS: dict[str, dict[str, tuple[str, ...]]] = {
    "dev": {
        "enname": ("Chan Tai Man", "Wong Siu-ming", "Peter Lee", "Mary Cheung", "Lam Ka Yan",
                   "CHEUNG Wai Kit", "David Ho", "Emily Tsang"),
        "zhname": ("陳大文", "黃小明", "李嘉欣", "歐陽志強", "張美玲", "何家輝"),
        "enaddr": ("Flat 3A, 12/F, Block B, Kornhill Gardens, 2 Hong Shing Street, Quarry Bay",
                   "Rm 1203, 12/F, Wing On Centre, 111 Connaught Road Central, Sheung Wan",
                   "88 Nathan Road, Tsim Sha Tsui, Kowloon", "Flat 8, 5/F, Lek Yuen Estate, Sha Tin"),
        "zhaddr": ("九龍旺角彌敦道688號旺角中心10樓1001室", "沙田瀝源邨祥和樓5樓12室",
                   "香港中環皇后大道中99號中環中心", "新界將軍澳寶琳路18號"),
        "bank": ("004", "012", "024", "003"),
    },
    "test": {
        "enname": ("Leung Chi Keung", "Ng Mei Ling", "John Yip", "Karen Lau", "TANG Ho Yin",
                   "Michael Kwok", "Yeung Wing-sze", "Sarah Fung"),
        "zhname": ("梁偉強", "吳淑芬", "鄭子健", "司徒敏儀", "劉志明", "林慧珊"),
        "enaddr": ("Flat 12C, 20/F, Tower 2, Metro Harbour View, 8 Fuk Lee Street, Tai Kok Tsui",
                   "Room 505, 5/F, Tai Yau Building, 181 Johnston Road, Wan Chai",
                   "23 Sai Yee Street, Mong Kok", "Unit 7, 3/F, Block C, Tsuen Wan Garden, Tsuen Wan"),
        "zhaddr": ("香港灣仔軒尼詩道130號修頓中心8樓", "九龍深水埗長沙灣道303號長沙灣廣場5樓502室",
                   "新界荃灣青山公路264號南豐中心20樓", "觀塘秀茂坪邨秀明樓12樓1205室"),
        "bank": ("009", "015", "039", "250"),
    },
}


class Values:
    """Random values of each slot kind."""

    def __init__(self, rng: random.Random, split: str | None = None) -> None:
        self.rng = rng
        splits = SPLITS if split is None else (split,)
        self.pools = {k: tuple(v for s in splits for v in _POOLS[s][k]) for k in _POOLS["dev"]}

    def enname(self, zh: bool) -> str:
        return self.rng.choice(self.pools["enname"])

    def zhname(self, zh: bool) -> str:
        return self.rng.choice(self.pools["zhname"])

    def enaddr(self, zh: bool) -> str:
        return self.rng.choice(self.pools["enaddr"])

    def zhaddr(self, zh: bool) -> str:
        return self.rng.choice(self.pools["zhaddr"])

    def bank(self, zh: bool) -> str:
        code = self.rng.choice(self.pools["bank"])
        return self.rng.choice([f"{code}-{self._digits(3)}-{self._digits(self.rng.randrange(6, 10))}",
                                f"{code} {self._digits(3)} {self._digits(6)} {self._digits(3)}",
                                f"{self._digits(3)}-{self._digits(6)}-{self._digits(3)}",
                                code + self._digits(9)])

    def district(self, zh: bool) -> str:
        return self.rng.choice(AREAS_ZH[:-3] if zh else AREAS_EN[:-4])

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
        return full_width(value) if zh and self.rng.random() < 0.15 else value

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
        return full_width(value) if zh and self.rng.random() < 0.15 else value

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
               "CARD": str(CREDIT_CARD), "PASSPORT": str(PASSPORT), "ENNAME": str(PERSON),
               "ZHNAME": str(PERSON), "ENADDR": str(ADDRESS), "ZHADDR": str(ADDRESS),
               "BANK": str(BANK_ACCOUNT)}
_TRAP_SLOTS = {"BADHKID": "invalid_hkid", "BADCARD": "invalid_card", "ORDER": "order_number",
               "DATE": "date", "AMOUNT": "amount", "LONGNUM": "long_number",
               "DISTRICT": "lone_district"}

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
    "{ENNAME} (HKID {HKID}) can be reached on {PHONE} or {EMAIL}.",
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
    "My name is {ENNAME} and my HKID is {HKID}.",
    "{ENNAME} lives at {ENADDR}; call {PHONE}.",
    "Please transfer the deposit to account {BANK} (Hang Seng) for {ENNAME}.",
    "Deliver the parcel to {ENADDR} and phone {PHONE} on arrival.",
    "Dear {ENNAME}, your appointment in {DISTRICT} on {DATE} is confirmed.",
    "Ms {ENNAME} asked us to update the address to {ENADDR}.",
    "Our team met {ENNAME} at the {DISTRICT} office.",
    "Refund HK$500 to a/c no. {BANK}; reference {LONGNUM}.",
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
    "{ZHNAME}先生（{HKID}）的手提電話是{PHONE}。",
    "參考編號{ORDER}，請於{DATE}前回覆。",
    "信用卡{BADCARD}交易被拒。",
    "發票號碼{ORDER}，總額{AMOUNT}",
    "熱線：{PHONE}；傳真：{PHONE}。",
    "持證人{HKID}以信用卡{CARD}付款。",
    "追蹤號碼{LONGNUM}已於{DATE}寄出。",
    "身份證{HKID}，護照{PASSPORT}，手機{PHONE}",
    "身分證號碼{BADHKID}無效，請致電{PHONE}查詢。",
    "{PHONE}係我屋企電話，有事打俾我。",
    "聯絡人：{ZHNAME}小姐（電話：{PHONE}，電郵：{EMAIL}）",
    "收據編號{ORDER}，付款日期{DATE}，手機{PHONE}",
    "咭號{CARD}，有效期至{DATE}。",
    "我叫{ZHNAME}，住喺{ZHADDR}。",
    "{ZHNAME}先生的地址是{ZHADDR}，電話{PHONE}。",
    "請將按金存入銀行戶口{BANK}，戶口名稱{ZHNAME}。",
    "聯絡人：{ZHNAME}，地址：{ZHADDR}",
    "今日喺{DISTRICT}見到{ZHNAME}小姐。",
    "申請人{ZHNAME}的身份證號碼為{HKID}。",
    "{ZHNAME}住喺{DISTRICT}，唔係{ZHADDR}。",
    "退款已轉賬至賬戶{BANK}。參考編號{ORDER}。",
)
MIXED_TEMPLATES = (
    "Hi，我係{ZHNAME}，my mobile is {PHONE}，住{ZHADDR}。",
    "{ENNAME}話佢搬咗去{ENADDR}，HKID {HKID}。",
    "Please 轉賬 to 戶口 {BANK}, thanks {ENNAME}!",
    "客戶{ZHNAME} (Tel: {PHONE}) 住喺{DISTRICT}。",
    "Send 張表 to {EMAIL}，聯絡人{ZHNAME}，電話 {PHONE}",
    "{ENNAME} 嘅身份證係 {HKID}，address: {ENADDR}",
    "{ZHNAME}小姐 said her card {CARD} was charged {AMOUNT}.",
    "我個 a/c number 係 {BANK}，唔該 check 吓訂單 {ORDER}。",
)
_SLOT = re.compile(r"\{([A-Z]+)\}")


def _fill(template: str, values: Values, zh: bool) -> tuple[str, list[Span], list[Span]]:
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


def _templates(templates: tuple[str, ...], split: str | None) -> tuple[str, ...]:
    """Every template (``split=None``), the even-numbered ones (dev) or the odd ones (test)."""
    if split is None:
        return templates
    return templates[SPLITS.index(split)::2]


def generate(n: int = 400, seed: int = 2026, split: str | None = None) -> list[Sample]:
    """``n`` labelled sentences in turn English, Traditional Chinese and code-mixed, from the
    templates and value pools of ``split`` (``"dev"``, ``"test"``, or None for both)."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS} or None, not {split!r}")
    rng = random.Random(seed)
    values = Values(rng, split)
    langs = (("en", EN_TEMPLATES), ("zh-Hant", ZH_TEMPLATES), ("mixed", MIXED_TEMPLATES))
    samples = []
    for i in range(n):
        lang, templates = langs[i % 3]
        template = rng.choice(_templates(templates, split))
        text, gold, traps = _fill(template, values, lang != "en")
        samples.append(Sample(text, lang, tuple(gold), tuple(traps)))
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
