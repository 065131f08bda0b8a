"""Data governance: PII scans of tables and text, classification, the publication decision and
the GBA Standard Contract checks (with Hong Kong working days)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from aiplus.data.governance import (
    GBA_CHECKS,
    Classification,
    GbaAnswer,
    GbaRecord,
    filing_deadline,
    may_publish_open,
    publication_decision,
    release_allowed,
    scan_table,
    scan_text,
    validate_gba,
)
from aiplus.data.governance.gba import add_working_days, is_working_day
from aiplus.data.governance.scan import MAX_SAMPLE_ROWS

CSV_WITH_PII = """case_id,district,id_card,contact,remarks
1001,Sha Tin,A123456(3),9123 4567,Order No. 91234567
1002,Kwun Tong,AB987654(3),,ok
1003,Central,A123456(7),2345-6789,wrong check digit in id_card
1004,Tai Po,G123456(A),+852 6123 4567,
1005,Yuen Long,,,paid HK$23456789
"""


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    return header, list(reader)


def codes(reasons: list[dict[str, str]]) -> list[str]:
    return [r["code"] for r in reasons]


# --- scans -----------------------------------------------------------------------------------

def test_table_scan_names_the_exact_columns_and_rows():
    columns, rows = read_csv(CSV_WITH_PII)
    report = scan_table(columns, rows)
    assert report.personal is True
    assert report.rows_scanned == 5 and not report.truncated
    where = {(f.column, f.column_number, f.entity_type): f for f in report.findings}
    assert set(where) == {("id_card", 3, "HKID"), ("contact", 4, "PHONE")}
    hkids = where[("id_card", 3, "HKID")]
    assert hkids.rows == (1, 2, 4) and hkids.count == 3  # row 3 has a wrong check digit
    assert hkids.examples == ("A12****(3)", "AB98****(3)", "G12****(A)")
    phones = where[("contact", 4, "PHONE")]
    assert phones.rows == (1, 3, 4)
    assert phones.examples == ("91** **67", "23**-**89", "+852 61** **67")
    assert report.blocking_findings == (hkids, phones)

    summary = report.summary()
    assert 'Column "id_card" (column 3): 3 HKID numbers in rows 1, 2, 4' in summary["en"]
    assert 'Column "contact" (column 4): 3 Hong Kong phone numbers in rows 1, 3, 4' in summary["en"]
    assert "cannot be published to the open catalogue" in summary["en"]
    assert "「id_card」欄（第 3 欄）：第 1、2、4 行共有 3 個香港身份證號碼" in summary["zh-Hant"]
    assert "「contact」欄（第 4 欄）：第 1、3、4 行共有 3 個香港電話號碼" in summary["zh-Hant"]
    assert "A123456" not in summary["en"] + summary["zh-Hant"]  # only masked values

    as_dict = report.as_dict()
    assert as_dict["personal"] is True
    assert [f["column"] for f in as_dict["blocking_findings"]] == ["id_card", "contact"]
    assert as_dict["summary"] == summary


def test_clean_table_is_not_personal():
    columns = ["station", "district", "date", "rainfall_mm", "ref_no"]
    rows = [["HKO", "Yau Tsim Mong", "2024-06-01", 12.5, "20240601"],
            ["Sha Tin", "Sha Tin", "2024-06-02", 0, "91234567"],
            [None, "Central & Western", date(2024, 6, 3), 3.25, "2345 6789 0123"]]
    report = scan_table(columns, rows)
    assert report.personal is False
    assert report.findings == () and report.blocking_findings == ()
    assert report.summary() == {"en": "No personal data found in 3 rows × 5 columns.",
                                "zh-Hant": "在3 行 × 5 欄中未發現個人資料。"}


def test_column_hints_named_personal_and_review_findings():
    columns = ["姓名", "電話", "address", "facility name"]
    rows = [["陳大文", "not given", "1 Sai Yee Street", "Victoria Park"],
            ["CHAN Tai Man", None, "Flat 3A, 12/F, 88 Nathan Road", "Kowloon Park"]]
    report = scan_table(columns, rows)
    kinds = {(f.column, f.entity_type): f for f in report.findings}
    assert set(kinds) == {("姓名", "PERSON"), ("address", "ADDRESS")}
    assert kinds[("姓名", "PERSON")].blocking and kinds[("姓名", "PERSON")].rows == (1, 2)
    assert kinds[("address", "ADDRESS")].blocking  # flat/floor level: personal
    hint = {h.column: h for h in report.hints}
    assert hint["電話"].entity_types == ("PHONE",) and not hint["電話"].confirmed
    assert 'Column "電話" (column 2) is named like Hong Kong phone number data' in (
        report.summary()["en"])
    assert "「電話」欄（第 2 欄）的名稱顯示可能載有香港電話號碼" in report.summary()["zh-Hant"]

    street_only = scan_table(["address"], [["1 Sai Yee Street"], ["88 Nathan Road"]])
    assert street_only.personal is False
    assert [f.entity_type for f in street_only.review_findings] == ["ADDRESS"]
    assert "Please review" in street_only.summary()["en"]


def test_cells_of_other_types_ragged_rows_and_caps():
    report = scan_table(["mobile"], [[91234567.0], [None], [True], [], ["x", "chan@example.com"]])
    by_type = {(f.column, f.entity_type): f.rows for f in report.findings}
    assert by_type == {("mobile", "PHONE"): (1,), ("column 2", "EMAIL"): (5,)}

    many = [["9123 4567"] for _ in range(25)]
    capped = scan_table(["contact"], many)
    finding = capped.findings[0]
    assert finding.count == finding.row_count == 25 and len(finding.rows) == MAX_SAMPLE_ROWS
    assert "rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 15 more" in capped.summary()["en"]
    assert "及另外 15 行" in capped.summary()["zh-Hant"]

    truncated = scan_table(["contact"], iter(many), max_rows=5)
    assert truncated.rows_scanned == 5 and truncated.truncated
    assert truncated.findings[0].rows == (1, 2, 3, 4, 5)
    assert "Only the first 5 rows were scanned." in truncated.summary()["en"]


def test_scan_text_for_descriptions():
    text = "Enquiries: 陳先生 9123 4567 or data@td.gov.hk. Updated 20240115."
    report = scan_text(text)
    assert report.personal
    spans = {f.entity_type: f.spans for f in report.findings}
    assert [text[s:e] for s, e in spans["PHONE"]] == ["9123 4567"]
    assert [text[s:e] for s, e in spans["EMAIL"]] == ["data@td.gov.hk"]
    assert 'Field "description": 1 Hong Kong phone number in characters' in report.summary()["en"]
    assert scan_text("Hourly rainfall from 300 stations since 1990.").personal is False
    assert scan_text("").findings == ()


# --- classification and the publication decision -----------------------------------------------

def test_classification_rules():
    assert Classification.parse(" Public ") is Classification.PUBLIC
    assert Classification.parse("限閱") is Classification.RESTRICTED
    assert Classification.INTERNAL.label == {"en": "Internal", "zh-Hant": "內部"}
    with pytest.raises(ValueError):
        Classification.parse("secret")
    assert may_publish_open("public", personal=False)
    assert not may_publish_open("public", personal=True)
    assert not may_publish_open(Classification.INTERNAL, personal=False)
    assert not may_publish_open("restricted", personal=False)


CLEAN = scan_table(["station", "rainfall"], [["HKO", 1.5]])
PERSONAL = scan_table(*read_csv(CSV_WITH_PII))
TODAY = date(2026, 3, 10)


def decide(**overrides):
    args = {"classification": "public", "personal_flag": False, "scan_report": CLEAN,
            "cross_boundary_gba": False, "gba_record": None, "licence_id": "hk-dgh-terms",
            "provenance": "Hong Kong Observatory automatic weather stations", "today": TODAY}
    args.update(overrides)
    return publication_decision(**args)


def test_public_clean_dataset_with_licence_and_provenance_is_published():
    decision = decide()
    assert decision.allowed and decision.reasons == []
    assert decision.destination == "open_catalogue" and not decision.personal


def test_licence_and_provenance_are_required():
    decision = decide(licence_id="", provenance="  ")
    assert not decision.allowed
    assert codes(decision.reasons) == ["licence.missing", "provenance.missing"]
    for item in decision.reasons:
        assert set(item) == {"code", "en", "zh-Hant", "field"} and item["en"] and item["zh-Hant"]
    assert [r["field"] for r in decision.reasons] == ["licence_id", "provenance"]
    assert codes(decide(scan_report=None).reasons) == ["scan.missing"]


def test_personal_data_never_goes_to_the_open_catalogue():
    assert codes(decide(classification="internal").reasons) == ["classification.not_public"]
    flagged = decide(personal_flag=True)
    assert codes(flagged.reasons) == ["personal.flagged"] and flagged.personal
    found_but_unflagged = decide(scan_report=PERSONAL)
    assert codes(found_but_unflagged.reasons) == ["personal.flag_mismatch"]
    assert 'Column "id_card" (column 3)' in found_but_unflagged.reasons[0]["en"]
    assert "「id_card」欄" in found_but_unflagged.reasons[0]["zh-Hant"]
    both = decide(personal_flag=True, scan_report=PERSONAL, classification="restricted")
    assert codes(both.reasons) == ["personal.found", "personal.flagged",
                                   "classification.not_public"]


def good_record(**overrides) -> GbaRecord:
    answers = {c.id: GbaAnswer(True, f"evidence for {c.id}") for c in GBA_CHECKS}
    args = {"answers": answers, "contract_signed": date(2026, 2, 13),
            "filed_on": date(2026, 3, 3), "counterparty": "Shenzhen hospital"}
    args.update(overrides)
    return GbaRecord(**args)


def test_personal_data_shared_with_the_gba_needs_a_valid_record():
    missing = decide(personal_flag=True, scan_report=PERSONAL, cross_boundary_gba=True,
                     classification="restricted")
    assert missing.destination == "gba_partner" and not missing.allowed
    assert codes(missing.reasons) == ["gba.missing"]
    ok = decide(personal_flag=True, scan_report=PERSONAL, cross_boundary_gba=True,
                classification="restricted", gba_record=good_record())
    assert ok.allowed, ok.reasons
    not_personal = decide(cross_boundary_gba=True, classification="internal")
    assert not_personal.allowed  # no personal data: no GBA contract needed
    unflagged = decide(scan_report=PERSONAL, cross_boundary_gba=True, gba_record=good_record())
    assert codes(unflagged.reasons) == ["personal.flag_mismatch"]
    no_licence = decide(personal_flag=True, cross_boundary_gba=True, gba_record=good_record(),
                        licence_id=None)
    assert codes(no_licence.reasons) == ["licence.missing"]
    assert no_licence.as_dict()["destination"] == "gba_partner"


# --- GBA Standard Contract ------------------------------------------------------------------

def test_the_five_checks_are_bilingual_data():
    assert [c.id for c in GBA_CHECKS] == ["notice_consent", "impact_assessment",
                                          "no_onward_transfer", "government_requests",
                                          "contract_filing"]
    for check in GBA_CHECKS:
        assert check.en and check.zh and check.as_dict()["text"]["zh-Hant"] == check.zh


def test_hong_kong_working_days():
    assert is_working_day(date(2026, 2, 16))
    assert not is_working_day(date(2026, 2, 17))  # Lunar New Year
    assert not is_working_day(date(2026, 4, 3))  # Good Friday (general holiday)
    assert not is_working_day(date(2026, 2, 21))  # Saturday
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 16)


def test_filing_deadline_spans_lunar_new_year_and_christmas():
    # signed Fri 13 Feb 2026; 17-19 Feb are Lunar New Year holidays -> 4 Mar, not 27 Feb
    assert filing_deadline(date(2026, 2, 13)) == date(2026, 3, 4)
    # signed Fri 19 Dec 2025; 25-26 Dec and 1 Jan are holidays -> 7 Jan 2026
    assert filing_deadline(date(2025, 12, 19)) == date(2026, 1, 7)

    on_time = good_record(filed_on=date(2026, 3, 4))
    assert validate_gba(on_time, TODAY) == [] and release_allowed(on_time, TODAY)
    late = good_record(filed_on=date(2026, 3, 5))
    problems = validate_gba(late, TODAY)
    assert codes(problems) == ["gba.filing.late"]
    assert "2026-03-04" in problems[0]["en"] and "2026-03-04" in problems[0]["zh-Hant"]
    assert not release_allowed(late, TODAY)


def test_gba_record_problems():
    pending = good_record(filed_on=None)
    assert codes(validate_gba(pending, date(2026, 3, 2))) == ["gba.filing.pending"]
    assert codes(validate_gba(pending, date(2026, 3, 5))) == ["gba.filing.overdue"]
    answers = {c.id: GbaAnswer(True, "ok") for c in GBA_CHECKS}
    answers["impact_assessment"] = GbaAnswer(True, " ")
    answers["no_onward_transfer"] = GbaAnswer(False, "not agreed yet")
    del answers["government_requests"]
    problems = validate_gba(good_record(answers=answers), TODAY)
    assert codes(problems) == ["gba.impact_assessment.no_evidence",
                               "gba.no_onward_transfer.not_done",
                               "gba.government_requests.not_done"]
    assert problems[1]["field"] == "gba.no_onward_transfer"
    assert codes(validate_gba(good_record(contract_signed=None), TODAY)) == [
        "gba.contract_signed.missing"]
    assert codes(validate_gba(good_record(filed_on=date(2026, 2, 1)), TODAY)) == [
        "gba.filing.before_contract"]
    assert codes(validate_gba(None, TODAY)) == ["gba.missing"]
    assert good_record().as_dict()["contract_signed"] == "2026-02-13"
