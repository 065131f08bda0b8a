"""Hong Kong bank account numbers, reported only next to an account word.

A Hong Kong account is written as bank code (3 digits) + branch code (3) + account number,
in groups (``012-345-6789012``, ``004 123 456789 001``, HSBC's ``123-456789-001``) or run
together (``0123456789012``). Nothing in the digits themselves says "bank account" - no check
digit is shared across banks - so a bare long number is never reported: an account word
(``account``, ``a/c``, ``戶口``, ``賬戶``, ``入數``...) must come shortly before it, or the
column must be about accounts. Card numbers (Luhn + brand) win over this in the merge by score.
"""

from __future__ import annotations

import re

from aiplus.guard.pii.base import ALNUM, Recogniser, last_position
from aiplus.guard.pii.entities import BANK_ACCOUNT, Entity
from aiplus.guard.pii.text import fold


class BankAccountRecogniser(Recogniser):
    """Context-gated bank account numbers: 9-16 digits, grouped or contiguous."""

    entity_type = BANK_ACCOUNT
    context_words = ("account", "a/c", "acct", "acc no", "bank", "savings", "current account",
                     "deposit", "transfer", "戶口", "户口", "賬戶", "帳戶", "賬號", "帳號",
                     "銀行", "轉賬", "轉帳", "入數", "存入", "過數")
    # a nearer label for another kind of number wins: "a/c 012-..., reference 9887838483726"
    other_id_words = ("reference", "ref", "order", "invoice", "tracking", "booking", "policy",
                      "member", "ticket", "serial", "case", "receipt", "編號", "單號", "訂單",
                      "參考", "追蹤", "發票", "收據", "保單", "會員")
    _pattern = re.compile(
        rf"(?<![{ALNUM}\-])"
        r"(?:[0-9]{3}(?:[ \-][0-9]{1,9}){1,3}|[0-9]{9,16})"
        rf"(?![{ALNUM}]|-[0-9])"
    )

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found = []
        for match in self._pattern.finditer(folded):
            raw = match.group(0)
            digits = re.sub(r"[^0-9]", "", raw)
            if not 9 <= len(digits) <= 16:
                continue
            if not self.has_context(folded, match.start(), column, size=40):
                continue
            window = folded[max(0, match.start() - 40):match.start()].lower()
            if last_position(window, self.other_id_words) > last_position(
                    window, self.context_words):
                continue
            grouped = raw != digits
            score = 0.85 if grouped else 0.7
            found.append(self._entity(text, match.start(), match.end(), score))
        return found
