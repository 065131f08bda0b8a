"""What a PII finding is: a typed span of the scanned text with a confidence score.

Offsets are Python string indices into the text the caller passed in (code points, not bytes
and not UTF-16 units), so ``text[entity.start:entity.end] == entity.text`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class EntityType(StrEnum):
    """The kinds of personal data the guard recognises (values are the public type names)."""

    HKID = "HKID"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    CREDIT_CARD = "CREDIT_CARD"
    PASSPORT = "PASSPORT"
    PERSON = "PERSON"
    ADDRESS = "ADDRESS"
    BANK_ACCOUNT = "BANK_ACCOUNT"


HKID = EntityType.HKID
PHONE = EntityType.PHONE
EMAIL = EntityType.EMAIL
CREDIT_CARD = EntityType.CREDIT_CARD
PASSPORT = EntityType.PASSPORT
PERSON = EntityType.PERSON
ADDRESS = EntityType.ADDRESS
BANK_ACCOUNT = EntityType.BANK_ACCOUNT

ALL_TYPES: tuple[str, ...] = tuple(t.value for t in EntityType)

#: Bilingual display names, used in stewards' summaries.
TYPE_LABELS: dict[str, dict[str, str]] = {
    HKID: {"en": "HKID number", "zh-Hant": "香港身份證號碼"},
    PHONE: {"en": "Hong Kong phone number", "zh-Hant": "香港電話號碼"},
    EMAIL: {"en": "email address", "zh-Hant": "電郵地址"},
    CREDIT_CARD: {"en": "payment card number", "zh-Hant": "信用卡號碼"},
    PASSPORT: {"en": "passport number", "zh-Hant": "護照號碼"},
    PERSON: {"en": "personal name", "zh-Hant": "個人姓名"},
    ADDRESS: {"en": "address", "zh-Hant": "地址"},
    BANK_ACCOUNT: {"en": "bank account number", "zh-Hant": "銀行戶口號碼"},
}


@dataclass(frozen=True)
class Entity:
    """One finding: ``text == scanned[start:end]``; ``score`` is in [0, 1]."""

    type: str
    start: int
    end: int
    score: float
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError("entity text does not match its span")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside [0, 1]")

    def overlaps(self, other: Entity) -> bool:
        return self.start < other.end and other.start < self.end

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"type": str(self.type)}
