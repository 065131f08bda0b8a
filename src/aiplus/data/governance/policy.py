"""The publication decision: may this dataset be released, and if not, exactly why not.

Two destinations, chosen by ``cross_boundary_gba``:

* ``False`` - the **open catalogue**. Needs a licence, provenance, classification ``public``, a
  PII scan, no personal-data flag and no personal data found by the scan.
* ``True`` - **sharing with a Greater Bay Area counterpart** (never the open catalogue; ask
  again with ``False`` for that). Needs a licence, provenance and a PII scan; when the dataset
  is personal (flagged, or the scan found personal data) a valid GBA Standard Contract record
  (:func:`~aiplus.data.governance.gba.validate_gba`). Personal data the scan found in a dataset
  not flagged personal is a problem for both destinations: the steward must correct the flag.

Every reason is ``{"code", "en", "zh-Hant", "field"}``; ``allowed`` is ``not reasons``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from aiplus.data.governance.classification import Classification
from aiplus.data.governance.gba import GbaRecord, validate_gba
from aiplus.data.governance.reasons import Reason, reason
from aiplus.data.governance.scan import ScanReport

OPEN_CATALOGUE = "open_catalogue"
GBA_PARTNER = "gba_partner"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: list[Reason] = field(default_factory=list)
    destination: str = OPEN_CATALOGUE
    personal: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"allowed": self.allowed, "reasons": list(self.reasons),
                "destination": self.destination, "personal": self.personal}


def _blank(value: object) -> bool:
    return value is None or not str(value).strip()


def publication_decision(
    classification: str | Classification,
    personal_flag: bool,
    scan_report: ScanReport | None,
    cross_boundary_gba: bool,
    gba_record: GbaRecord | None,
    licence_id: str | None,
    provenance: str | None,
    *,
    today: date | None = None,
) -> Decision:
    """Decide a release (see the module docstring); ``today`` defaults to the local date."""
    today = today or date.today()
    level = Classification.parse(classification)
    found_personal = scan_report is not None and scan_report.personal
    personal = bool(personal_flag) or found_personal
    destination = GBA_PARTNER if cross_boundary_gba else OPEN_CATALOGUE
    reasons: list[Reason] = []
    if _blank(licence_id):
        reasons.append(reason("licence.missing", "A licence is required.", "必須指明授權條款。",
                              "licence_id"))
    if _blank(provenance):
        reasons.append(reason("provenance.missing",
                              "Provenance is required: say where the data comes from and how it "
                              "was produced.",
                              "必須提供數據來源：說明數據從何而來及如何產生。", "provenance"))
    if scan_report is None:
        reasons.append(reason("scan.missing",
                              "The data must pass a personal-data scan before release.",
                              "數據發放前必須先通過個人資料掃描。", "scan_report"))
    if found_personal:
        summary = scan_report.summary() if scan_report else {"en": "", "zh-Hant": ""}
        if not personal_flag:
            reasons.append(reason("personal.flag_mismatch",
                                  "The scan found personal data but the dataset is not flagged "
                                  f"personal. {summary['en']}",
                                  f"掃描發現個人資料，但數據集未標示為載有個人資料。{summary['zh-Hant']}",
                                  "personal_data"))
        elif not cross_boundary_gba:
            reasons.append(reason("personal.found",
                                  "Personal data cannot be published to the open catalogue. "
                                  f"{summary['en']}",
                                  f"個人資料不可發佈到開放數據目錄。{summary['zh-Hant']}",
                                  "personal_data"))
    if not cross_boundary_gba:
        if personal_flag:
            reasons.append(reason("personal.flagged",
                                  "The dataset is flagged as holding personal data, which never "
                                  "goes to the open catalogue.",
                                  "數據集已標示載有個人資料，個人資料一律不可發佈到開放數據目錄。",
                                  "personal_data"))
        if level is not Classification.PUBLIC:
            reasons.append(reason("classification.not_public",
                                  f"Only public datasets may go to the open catalogue; this one "
                                  f"is {level.label['en'].lower()}.",
                                  f"只有「公開」級別的數據集可發佈到開放數據目錄；此數據集屬"
                                  f"「{level.label['zh-Hant']}」。", "classification"))
    elif personal:
        reasons.extend(validate_gba(gba_record, today))
    return Decision(allowed=not reasons, reasons=reasons, destination=destination,
                    personal=personal)
