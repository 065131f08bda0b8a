"""Hong Kong phone numbers: validated by ``phonenumbers``, and raised by context where it doubts.

Candidates are 8-digit Hong Kong numbers (``9123 4567``, ``9123-4567``, ``91234567``,
``+852 9123 4567``, ``(852) 9123-4567``, ``00852 ...``, full-width digits folded first).
Google's ``phonenumbers`` metadata for region HK is the first judge, but its list of assigned
ranges lags real allocations and users mistype, so a number it rejects is not thrown away when
the sentence says plainly that it is a phone number: this is the same idea as Presidio's
context enhancement (a context word near a weak match raises its score), with a cue window
in characters rather than words because Chinese has no spaces.

* **Validated** numbers score 0.65 (bare), 0.75 (grouped) or 0.95 (with ``+852``), plus 0.25
  with a phone word (``Tel``, ``致電``, ``手機``...) within 32 characters before the number or 8
  after it (``23112013係我電話``), or a phone column.
* **Doubted** numbers (``phonenumbers`` says unassigned) score :data:`DOUBTED_SCORE`, lower than
  any validated one, and only with a cue: a phone word in the same windows, a phone column, or
  a written ``+852``. Without a cue they are not reported, exactly as before; a validated
  number is judged exactly as before.

Both kinds are dropped when they are part of a longer digit group (``1234 5678 9012``,
``9123-4567-1``), money (``HK$91234567``, ``91234567元``) or labelled as another identifier
nearer than any phone word (``Order No. 91234567``, ``訂單編號：91234567``, ``#91234567``, a
``ref_no`` column). Compact dates (``20240115``) count only next to a phone word when
validated, never when doubted. Two numbers with only a space between them read as one longer
group and are dropped: separate them with ``/``, ``,`` or words.
"""

from __future__ import annotations

import re
from datetime import date

import phonenumbers

from aiplus.guard.pii.base import ALNUM, Recogniser, keywords, last_position
from aiplus.guard.pii.entities import PHONE, Entity
from aiplus.guard.pii.text import fold, window_before

#: Score of a number ``phonenumbers`` rejects but the context calls a phone: reported at the
#: default threshold (0.5), below every validated number (0.65 and up).
DOUBTED_SCORE = 0.6


def is_assigned(digits: str) -> bool:
    """``phonenumbers`` accepts the 8 digits as a Hong Kong number in an assigned range."""
    try:
        number = phonenumbers.parse("+852" + digits, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) and (
        phonenumbers.region_code_for_number(number) == "HK")


def date_like(digits: str) -> bool:
    """``20240115`` or ``15012024``: a compact date between 1900 and 2100."""
    for year, month, day in ((digits[:4], digits[4:6], digits[6:]),
                             (digits[4:], digits[2:4], digits[:2])):
        if 1900 <= int(year) <= 2100:
            try:
                date(int(year), int(month), int(day))
            except ValueError:
                continue
            return True
    return False


class PhoneRecogniser(Recogniser):
    """Hong Kong phone numbers; ``context_raises=False`` keeps only what ``phonenumbers``
    validates (the recogniser as it was before context could raise a doubted number)."""

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

    def __init__(self, *, context_raises: bool = True) -> None:
        self.context_raises = context_raises

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found = []
        for match in self._pattern.finditer(folded):
            entity = self._judge(text, folded, match, column)
            if entity is not None:
                found.append(entity)
        return found

    def _judge(self, text: str, folded: str, match: re.Match[str],
               column: str | None) -> Entity | None:
        """The finding for one candidate, or None when the rules say it is something else."""
        digits = re.sub(r"[^0-9]", "", match.group("num"))
        intl = match.group("intl") is not None
        start = match.start() if intl else match.start("num")
        end = match.end()
        # part of a longer group of digits: "1234 5678 9012", "9123-4567-1", "3.91234567"
        if re.search(r"[0-9][ .\-]$", folded[max(0, start - 2):start]) or re.match(
                r"[ .\-][0-9]", folded[end:end + 2]):
            return None
        assigned = is_assigned(digits)
        if not assigned and not self.context_raises:
            return None
        window = window_before(folded, start)
        phone_at = last_position(window, self.context_words)
        other_at = last_position(window, self.other_id_words)
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
                return None
            if (not context or not assigned) and match.group("num") == digits and (
                    date_like(digits)):
                return None
            if not column_says_phone and (other_at > phone_at or (
                    column_says_other and phone_at < 0)):
                return None  # labelled as an order/account/reference number
            if not context and re.search(r"#\s*$", window):
                return None
        if not assigned:  # doubted: a phone only where the context or "+852" says so
            return self._entity(text, start, end, DOUBTED_SCORE) if intl or context else None
        if intl:
            score = 0.95
        elif match.group("num") != digits:
            score = 0.75
        else:
            score = 0.65
        return self._entity(text, start, end, score + (0.25 if context else 0.0))
