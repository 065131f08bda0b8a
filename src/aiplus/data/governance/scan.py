"""PII scan of an uploaded table or a free-text field, reported so a steward can act on it.

``scan_table`` runs :func:`aiplus.guard.pii.analyze` on every cell (the column name is the
context, which is also what enables the heuristic PERSON and ADDRESS recognisers) and groups
what it finds by column and type: how many, in which data rows (1-based, first
:data:`MAX_SAMPLE_ROWS`), and a few masked examples. Column names that *suggest* personal data
(``姓名``, ``phone``, ``HKID``...) are reported as hints even when no value matched.

What blocks publication (``ScanReport.personal``): any HKID, phone, email, card or passport
number, and names/addresses scored as likely personal (>= :data:`PERSONAL_SCORE`: a Chinese
name with a common surname, a multi-word Latin name, an address down to flat/floor). Lower
scored names/addresses (e.g. a street address that may be a public facility's) are listed for
review without blocking.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from typing import Any

from aiplus.guard.pii import TYPE_LABELS, analyze, column_hints, mask
from aiplus.guard.pii.entities import ADDRESS, ALL_TYPES, PERSON

MAX_SAMPLE_ROWS = 10
MAX_EXAMPLES = 3
PERSONAL_SCORE = 0.7
ALWAYS_PERSONAL = frozenset(ALL_TYPES) - {PERSON, ADDRESS}
_MAYBE_PII = re.compile(r"[0-9@０-９＠]")


@dataclass
class _Tally:
    count: int = 0
    rows: list[int] = field(default_factory=list)
    row_count: int = 0
    spans: list[tuple[int, int]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    max_score: float = 0.0


@dataclass(frozen=True)
class Finding:
    """One kind of personal data in one column (or text field)."""

    column: str
    column_number: int | None  # 1-based position in the table; None for a text field
    entity_type: str
    count: int  # values found
    row_count: int  # distinct data rows holding one (0 for a text field)
    rows: tuple[int, ...]  # the first MAX_SAMPLE_ROWS of those rows, 1-based
    spans: tuple[tuple[int, int], ...]  # text fields: (start, end) string offsets
    examples: tuple[str, ...]  # masked
    max_score: float
    blocking: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column, "column_number": self.column_number,
            "entity_type": self.entity_type, "label": TYPE_LABELS[self.entity_type],
            "count": self.count, "row_count": self.row_count, "rows": list(self.rows),
            "spans": [list(s) for s in self.spans], "examples": list(self.examples),
            "max_score": self.max_score, "blocking": self.blocking,
        }


@dataclass(frozen=True)
class ColumnHint:
    """A column whose name suggests personal data; ``confirmed`` when values matched too."""

    column: str
    column_number: int
    entity_types: tuple[str, ...]
    confirmed: bool

    def as_dict(self) -> dict[str, Any]:
        return {"column": self.column, "column_number": self.column_number,
                "entity_types": list(self.entity_types), "confirmed": self.confirmed}


@dataclass(frozen=True)
class ScanReport:
    source: str  # "table" or "text"
    columns: tuple[str, ...]
    rows_scanned: int
    truncated: bool  # max_rows stopped the scan before the end of the data
    findings: tuple[Finding, ...]
    hints: tuple[ColumnHint, ...] = ()

    @property
    def personal(self) -> bool:
        """True when anything found blocks publication to the open catalogue."""
        return any(f.blocking for f in self.findings)

    @property
    def blocking_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.blocking)

    @property
    def review_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.blocking)

    def summary(self) -> dict[str, str]:
        """What was found and where, for the steward: ``{"en": ..., "zh-Hant": ...}``."""
        return _summary(self)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "columns": list(self.columns),
            "rows_scanned": self.rows_scanned, "truncated": self.truncated,
            "personal": self.personal,
            "findings": [f.as_dict() for f in self.findings],
            "blocking_findings": [f.as_dict() for f in self.blocking_findings],
            "hints": [h.as_dict() for h in self.hints],
            "summary": self.summary(),
        }


def _cell_text(value: object) -> str | None:
    """The text to scan in one cell; None for empty cells, booleans, dates and times."""
    if value is None or isinstance(value, (bool, date, time)):
        return None
    if isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            return None  # a measurement, not an identifier
        return str(int(value))  # 91234567.0 read by a CSV library is still a phone
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = str(value)
    return text if text.strip() else None


def _is_blocking(entity_type: str, max_score: float) -> bool:
    return entity_type in ALWAYS_PERSONAL or max_score >= PERSONAL_SCORE


def _finding(column: str, number: int | None, entity_type: str, tally: _Tally) -> Finding:
    return Finding(
        column=column, column_number=number, entity_type=entity_type, count=tally.count,
        row_count=tally.row_count, rows=tuple(tally.rows), spans=tuple(tally.spans),
        examples=tuple(tally.examples), max_score=tally.max_score,
        blocking=_is_blocking(entity_type, tally.max_score),
    )


def scan_table(
    columns: list[str], rows: Iterable[Sequence[object]], max_rows: int | None = None
) -> ScanReport:
    """Scan a table (a header and data rows, e.g. from ``csv.reader``) for personal data.

    Rows may be shorter than the header (missing cells are empty) or longer (extra cells are
    reported as ``column N``). ``max_rows`` stops after that many data rows.
    """
    names = [str(c) if c is not None else "" for c in columns]
    hints = [column_hints(n) for n in names]
    tallies: dict[tuple[int, str], _Tally] = {}
    scanned = 0
    truncated = False
    for row_number, row in enumerate(rows, start=1):
        if max_rows is not None and scanned >= max_rows:
            truncated = True
            break
        scanned += 1
        for index, value in enumerate(row):
            text = _cell_text(value)
            if text is None:
                continue
            if index >= len(names):
                names.append(f"column {index + 1}")
                hints.append(frozenset())
            # only names/addresses can hide in a cell without a digit or an "@"
            if not hints[index] & {PERSON, ADDRESS} and not _MAYBE_PII.search(text):
                continue
            seen: set[str] = set()
            for entity in analyze(text, column=names[index]):
                tally = tallies.setdefault((index, entity.type), _Tally())
                tally.count += 1
                tally.max_score = max(tally.max_score, entity.score)
                if entity.type not in seen:
                    seen.add(entity.type)
                    tally.row_count += 1
                    if len(tally.rows) < MAX_SAMPLE_ROWS:
                        tally.rows.append(row_number)
                if len(tally.examples) < MAX_EXAMPLES:
                    tally.examples.append(mask(entity.type, entity.text))
    order = {t: i for i, t in enumerate(ALL_TYPES)}
    findings = tuple(
        _finding(names[index], index + 1, entity_type, tally)
        for (index, entity_type), tally in sorted(
            tallies.items(), key=lambda item: (item[0][0], order[item[0][1]]))
    )
    found_types: dict[int, set[str]] = {}
    for f in findings:
        found_types.setdefault((f.column_number or 0) - 1, set()).add(f.entity_type)
    column_hint_list = tuple(
        ColumnHint(names[i], i + 1, tuple(t for t in ALL_TYPES if t in hints[i]),
                   confirmed=bool(hints[i] & found_types.get(i, set())))
        for i in range(len(names)) if hints[i]
    )
    return ScanReport("table", tuple(names), scanned, truncated, findings, column_hint_list)


def scan_text(text: str, field: str = "description") -> ScanReport:
    """Scan one free-text field (a dataset's title, description, notes...).

    Free text gets HKID, phone, email, card and passport detection; names and addresses in
    prose are out of reach of this deterministic scanner (no NER model).
    """
    tallies: dict[str, _Tally] = {}
    for entity in analyze(text or ""):
        tally = tallies.setdefault(entity.type, _Tally())
        tally.count += 1
        tally.max_score = max(tally.max_score, entity.score)
        if len(tally.spans) < MAX_SAMPLE_ROWS:
            tally.spans.append((entity.start, entity.end))
        if len(tally.examples) < MAX_EXAMPLES:
            tally.examples.append(mask(entity.type, entity.text))
    findings = tuple(_finding(field, None, t, tallies[t]) for t in ALL_TYPES if t in tallies)
    return ScanReport("text", (field,), 0, False, findings)


# --- the steward's summary ------------------------------------------------------------------

def _rows_en(f: Finding) -> str:
    shown = ", ".join(str(r) for r in f.rows)
    more = f.row_count - len(f.rows)
    word = "row" if f.row_count == 1 else "rows"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


def _rows_zh(f: Finding) -> str:
    shown = "、".join(str(r) for r in f.rows)
    more = f.row_count - len(f.rows)
    return f"第 {shown} 行" + (f"及另外 {more} 行" if more > 0 else "")


def _spans_en(f: Finding) -> str:
    parts = ", ".join(f"{s + 1}-{e}" for s, e in f.spans)
    more = f.count - len(f.spans)
    return f"characters {parts}" + (f" and {more} more" if more > 0 else "")


def _spans_zh(f: Finding) -> str:
    parts = "、".join(f"{s + 1}-{e}" for s, e in f.spans)
    more = f.count - len(f.spans)
    return f"第 {parts} 個字元" + (f"及另外 {more} 處" if more > 0 else "")


def _where(f: Finding) -> tuple[str, str]:
    if f.column_number is None:
        return f'Field "{f.column}"', f"「{f.column}」欄位"
    return (f'Column "{f.column}" (column {f.column_number})',
            f"「{f.column}」欄（第 {f.column_number} 欄）")


def _line(f: Finding) -> tuple[str, str]:
    where_en, where_zh = _where(f)
    label = TYPE_LABELS[f.entity_type]
    if f.column_number is None:
        at_en, at_zh = _spans_en(f), _spans_zh(f)
    else:
        at_en, at_zh = _rows_en(f), _rows_zh(f)
    noun = label["en"] + ("" if f.count == 1 else "s")
    examples = ", ".join(f.examples)
    return (f"{where_en}: {f.count} {noun} in {at_en} (e.g. {examples}).",
            f"{where_zh}：{at_zh}共有 {f.count} 個{label['zh-Hant']}（例如 {examples}）。")


def _summary(report: ScanReport) -> dict[str, str]:
    en: list[str] = []
    zh: list[str] = []
    if report.source == "table":
        size_en = f"{report.rows_scanned} rows × {len(report.columns)} columns"
        size_zh = f"{report.rows_scanned} 行 × {len(report.columns)} 欄"
    else:
        size_en, size_zh = f'field "{report.columns[0]}"', f"「{report.columns[0]}」欄位"
    if report.personal:
        en.append(f"Personal data found in {size_en}: this dataset cannot be published to "
                  "the open catalogue until it is removed.")
        zh.append(f"在{size_zh}中發現個人資料：移除前不可發佈到開放數據目錄。")
        for f in report.blocking_findings:
            line_en, line_zh = _line(f)
            en.append(line_en)
            zh.append(line_zh)
    else:
        en.append(f"No personal data found in {size_en}.")
        zh.append(f"在{size_zh}中未發現個人資料。")
    if report.review_findings:
        en.append("Please review (possibly personal, not blocking):")
        zh.append("請檢查（可能屬個人資料，不阻止發佈）：")
        for f in report.review_findings:
            line_en, line_zh = _line(f)
            en.append(line_en)
            zh.append(line_zh)
    for hint in report.hints:
        if hint.confirmed:
            continue
        kinds_en = ", ".join(TYPE_LABELS[t]["en"] for t in hint.entity_types)
        kinds_zh = "、".join(TYPE_LABELS[t]["zh-Hant"] for t in hint.entity_types)
        en.append(f'Column "{hint.column}" (column {hint.column_number}) is named like '
                  f"{kinds_en} data, but no such value was recognised: please check it.")
        zh.append(f"「{hint.column}」欄（第 {hint.column_number} 欄）的名稱顯示可能載有"
                  f"{kinds_zh}，但未能辨認到相關數值：請核實。")
    if report.truncated:
        en.append(f"Only the first {report.rows_scanned} rows were scanned.")
        zh.append(f"只掃描了首 {report.rows_scanned} 行。")
    return {"en": " ".join(en), "zh-Hant": "".join(zh)}
