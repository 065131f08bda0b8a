"""What a column's *name* suggests it holds (``姓名`` -> PERSON, ``mobile_no`` -> PHONE ...).

Heuristic and deliberately conservative for names: open data is full of columns called
``name`` that hold facility names, so a bare ``name`` counts as a PERSON hint only when the
*values* then look like personal names (see ``recognisers.PersonRecogniser``), and compound
names about places or things (``park_name``, ``設施名稱``, ``名稱``) are not hints.
"""

from __future__ import annotations

import re
from functools import lru_cache

from aiplus.guard.pii.entities import ADDRESS, CREDIT_CARD, EMAIL, HKID, PASSPORT, PERSON, PHONE
from aiplus.guard.pii.text import fold

# Chinese (and other non-ASCII) hints match as substrings; ASCII hints match whole tokens or
# whole token sequences of the snake/camel/space-split column name.
_CJK_HINTS: dict[str, tuple[str, ...]] = {
    HKID: ("身份證", "身分證", "證件號碼"),
    PHONE: ("電話", "手機", "手提", "傳真", "聯絡號碼"),
    EMAIL: ("電郵", "電子郵件", "郵箱"),
    PERSON: ("姓名", "姓氏", "名字", "聯絡人", "申請人", "負責人", "病人", "學生姓名"),
    ADDRESS: ("地址", "住址"),
    PASSPORT: ("護照", "旅行證件"),
    CREDIT_CARD: ("信用卡", "卡號"),
}
_ASCII_HINTS: dict[str, tuple[str, ...]] = {
    HKID: ("hkid", "hkic", "hkid no", "id card", "identity card", "idcard", "id no",
           "id number", "identity no", "identity number"),
    PHONE: ("phone", "tel", "telephone", "mobile", "fax", "contact no",
            "contact number", "phone no", "tel no", "whatsapp", "phonenumber", "telno"),
    EMAIL: ("email", "e mail", "mail", "email address"),
    PERSON: ("surname", "given name", "first name", "last name", "family name", "full name",
             "fullname", "firstname", "lastname", "givenname", "middle name", "contact person",
             "english name", "chinese name", "person name"),
    ADDRESS: ("address", "addr", "residential address", "home address", "postal address"),
    PASSPORT: ("passport", "passport no", "travel document", "passport number"),
    CREDIT_CARD: ("credit card", "card no", "card number", "cardnumber"),
}
# "<role> name" is a person's name ("applicant_name"), "<thing> name" is not ("park_name").
_PERSON_ROLES = frozenset({
    "applicant", "patient", "customer", "client", "student", "staff", "employee", "owner",
    "member", "resident", "person", "holder", "user", "guardian", "parent", "child", "driver",
    "tenant", "citizen", "passenger", "victim", "witness", "contact", "complainant", "officer",
    "teacher", "pupil", "donor", "recipient", "beneficiary", "claimant", "caller", "visitor",
    "licensee", "insured", "policyholder", "account", "cardholder", "nominee", "spouse",
})


def _tokens(name: str) -> list[str]:
    name = re.sub(r"([a-z])([A-Z])", r"\1 \2", fold(name))
    return [t for t in re.split(r"[^a-z0-9]+", name.lower()) if t]


def _contains_phrase(tokens: list[str], phrase: str) -> bool:
    words = phrase.split()
    n = len(words)
    return any(tokens[i:i + n] == words for i in range(len(tokens) - n + 1))


@lru_cache(maxsize=4096)
def column_hints(name: str | None) -> frozenset[str]:
    """The entity types a column name points to (empty set when it suggests none)."""
    if not name:
        return frozenset()
    found: set[str] = set()
    folded = fold(name)
    for entity_type, words in _CJK_HINTS.items():
        if any(word in folded for word in words):
            found.add(entity_type)
    tokens = _tokens(name)
    for entity_type, phrases in _ASCII_HINTS.items():
        if any(_contains_phrase(tokens, phrase) for phrase in phrases):
            found.add(entity_type)
    if tokens == ["name"] or tokens == ["names"] or (
        "name" in tokens and any(t in _PERSON_ROLES for t in tokens)
    ):
        found.add(PERSON)
    token_set = set(tokens)
    if EMAIL in found and "mail" in token_set and len(tokens) > 1 and not (
            token_set & {"e", "address", "addr", "to", "from"}):
        found.discard(EMAIL)  # "mail_date", "mail_count": about post, not email
    if ADDRESS in found and (
        (EMAIL in found and not token_set & {"home", "residential", "postal", "correspondence"}
         and not any(w in folded for w in ("住址", "通訊地址", "住宅")))
        or token_set & {"ip", "mac", "web", "url", "wallet", "server", "memory"}
    ):
        found.discard(ADDRESS)  # "email address", "電郵地址", "IP address" are not addresses
    return frozenset(str(t) for t in found)
