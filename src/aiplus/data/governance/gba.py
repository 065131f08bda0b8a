"""The GBA Standard Contract checklist for personal data shared across the boundary.

The *Standard Contract for Cross-boundary Flow of Personal Information Within the Guangdong-
Hong Kong-Macao Greater Bay Area (Mainland, Hong Kong)* (December 2023, voluntary) asks for
five things, kept here as data (:data:`GBA_CHECKS`) with their text in English and Traditional
Chinese. A dataset flagged personal may be shared across the boundary only when a
:class:`GbaRecord` answers every check "yes" with an evidence note and the contract was filed
within 10 working days of taking effect.

Working days: Monday to Friday except Hong Kong general holidays, from the ``holidays``
package (``HK``, its ``public`` and ``optional`` categories together, which covers statutory
holidays plus Good Friday, Easter Monday, Boxing Day etc.). Days are counted from the day after
the contract was signed (when it takes effect). Not modelled: typhoon / black-rainstorm
closures, and the Mainland party's filing, which runs on Mainland working days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays

from aiplus.data.governance.reasons import Reason, reason

FILING_WORKING_DAYS = 10


@dataclass(frozen=True)
class GbaCheck:
    id: str
    en: str
    zh: str
    evidence_en: str
    evidence_zh: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": {"en": self.en, "zh-Hant": self.zh},
                "evidence": {"en": self.evidence_en, "zh-Hant": self.evidence_zh}}


GBA_CHECKS: tuple[GbaCheck, ...] = (
    GbaCheck(
        "notice_consent",
        "The data subjects were told about the cross-boundary transfer and gave their consent.",
        "已告知資料當事人有關跨境轉移，並取得其同意。",
        "Where the notice and consent records are kept.", "通知及同意紀錄的存放位置。",
    ),
    GbaCheck(
        "impact_assessment",
        "A personal information protection impact assessment was carried out.",
        "已進行個人信息保護影響評估。",
        "Reference and date of the assessment report.", "評估報告的編號及日期。",
    ),
    GbaCheck(
        "no_onward_transfer",
        "The recipient will not transfer the personal information onward to anyone outside "
        "the Greater Bay Area.",
        "接收方不會將個人信息再轉移至大灣區以外的任何人。",
        "The contract clause or undertaking.", "合同條款或承諾書。",
    ),
    GbaCheck(
        "government_requests",
        "The recipient will notify the provider of any request for the information from a "
        "government or judicial authority.",
        "接收方如收到政府或司法機關要求提供有關個人信息，會通知提供方。",
        "The contract clause and the contact who receives notices.",
        "合同條款及接收通知的聯絡人。",
    ),
    GbaCheck(
        "contract_filing",
        "Both parties filed the Standard Contract within 10 working days of signing it.",
        "雙方已於簽訂標準合同後 10 個工作天內辦理備案。",
        "Filing references of both parties.", "雙方的備案編號。",
    ),
)
CHECK_IDS: tuple[str, ...] = tuple(c.id for c in GBA_CHECKS)


@dataclass(frozen=True)
class GbaAnswer:
    done: bool
    evidence: str = ""


@dataclass(frozen=True)
class GbaRecord:
    """The answers for one cross-boundary sharing arrangement.

    ``answers`` maps each check id in :data:`CHECK_IDS` to a :class:`GbaAnswer`;
    ``contract_signed`` is the date the contract was signed and took effect (the filing clock
    starts then); ``filed_on`` the date the filing was completed (the later of the two
    parties' filings).
    """

    answers: Mapping[str, GbaAnswer] = field(default_factory=dict)
    contract_signed: date | None = None
    filed_on: date | None = None
    counterparty: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GbaRecord:
        """Read the record a data steward saved with a dataset (the shape of :meth:`as_dict`);
        unknown checks are ignored and malformed dates count as not given."""
        answers = data.get("answers") if isinstance(data.get("answers"), Mapping) else {}
        return cls(
            answers={key: GbaAnswer(bool(value.get("done")), str(value.get("evidence") or ""))
                     for key, value in answers.items()
                     if key in CHECK_IDS and isinstance(value, Mapping)},
            contract_signed=_date(data.get("contract_signed")),
            filed_on=_date(data.get("filed_on")),
            counterparty=str(data.get("counterparty") or ""),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "answers": {k: {"done": a.done, "evidence": a.evidence}
                        for k, a in self.answers.items()},
            "contract_signed": self.contract_signed.isoformat()
            if self.contract_signed else None,
            "filed_on": self.filed_on.isoformat() if self.filed_on else None,
            "counterparty": self.counterparty,
        }


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _hk_holidays() -> holidays.HolidayBase:
    return holidays.country_holidays("HK", categories=("public", "optional"))


def is_working_day(day: date) -> bool:
    """Monday-Friday and not a Hong Kong general holiday."""
    return day.weekday() < 5 and day not in _hk_holidays()


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` Hong Kong working days after ``start`` (``start`` itself not counted)."""
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current


def filing_deadline(contract_signed: date) -> date:
    """The last day to file: 10 Hong Kong working days after the contract was signed."""
    return add_working_days(contract_signed, FILING_WORKING_DAYS)


def validate_gba(record: GbaRecord | None, today: date) -> list[Reason]:
    """Every problem that stops release under the GBA Standard Contract (empty = fine)."""
    if record is None:
        return [reason("gba.missing",
                       "Personal data shared with the Greater Bay Area needs the GBA Standard "
                       "Contract checks recorded before release.",
                       "與大灣區共享的個人資料，須於發放前記錄大灣區標準合同的各項核對。",
                       "gba_record")]
    problems: list[Reason] = []
    for check in GBA_CHECKS:
        answer = record.answers.get(check.id)
        where = f"gba.{check.id}"
        if answer is None or not answer.done:
            problems.append(reason(f"{where}.not_done", f"Not done: {check.en}",
                                   f"未完成：{check.zh}", where))
        elif not answer.evidence.strip():
            problems.append(reason(f"{where}.no_evidence",
                                   f"Evidence note missing for: {check.en} ({check.evidence_en})",
                                   f"欠缺證明：{check.zh}（{check.evidence_zh}）", where))
    effective = record.contract_signed
    if effective is None:
        problems.append(reason("gba.contract_signed.missing",
                               "The date the Standard Contract was signed is required.",
                               "須填寫標準合同的簽訂日期。", "gba.contract_signed"))
        return problems
    if effective > today:
        problems.append(reason("gba.contract_signed.future",
                               f"The signing date {effective.isoformat()} is in the future.",
                               f"合同簽訂日期 {effective.isoformat()} 是將來的日子。",
                               "gba.contract_signed"))
    deadline = filing_deadline(effective)
    filed = record.filed_on
    if filed is None:
        if today > deadline:
            problems.append(reason(
                "gba.filing.overdue",
                f"The contract was not filed by the deadline, {deadline.isoformat()} "
                f"({FILING_WORKING_DAYS} Hong Kong working days after "
                f"{effective.isoformat()}).",
                f"合同未於限期 {deadline.isoformat()}（{effective.isoformat()} 後 "
                f"{FILING_WORKING_DAYS} 個香港工作天）前備案。", "gba.filed_on"))
        else:
            problems.append(reason(
                "gba.filing.pending",
                f"Record the filing before release; it is due by {deadline.isoformat()}.",
                f"發放前須記錄備案；備案限期為 {deadline.isoformat()}。", "gba.filed_on"))
    elif filed < effective:
        problems.append(reason("gba.filing.before_contract",
                               "The filing date is earlier than the contract signing date.",
                               "備案日期早於合同簽訂日期。", "gba.filed_on"))
    elif filed > today:
        problems.append(reason("gba.filing.future", "The filing date is in the future.",
                               "備案日期是將來的日子。", "gba.filed_on"))
    elif filed > deadline:
        problems.append(reason(
            "gba.filing.late",
            f"The contract was filed on {filed.isoformat()}, after the deadline "
            f"{deadline.isoformat()} ({FILING_WORKING_DAYS} Hong Kong working days after "
            f"{effective.isoformat()}).",
            f"合同於 {filed.isoformat()} 備案，遲於限期 {deadline.isoformat()}"
            f"（{effective.isoformat()} 後 {FILING_WORKING_DAYS} 個香港工作天）。",
            "gba.filed_on"))
    return problems


def release_allowed(record: GbaRecord | None, today: date) -> bool:
    """True when :func:`validate_gba` finds no problem."""
    return not validate_gba(record, today)
