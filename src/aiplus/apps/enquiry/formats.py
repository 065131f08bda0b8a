"""FAQ files in and out: JSON (a list of objects), JSON Lines and CSV, one FAQ per record.

Reading checks every row and reports every problem with its row number, so an officer fixes
a file in one pass; the knowledge-base service writes nothing unless every row is valid.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from aiplus.core.errors import BadRequest, ValidationFailed
from aiplus.core.i18n import N_

FORMATS = ("json", "jsonl", "csv")
FAQ_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
TEXT_FIELDS = ("question", "answer", "question_zh", "answer_zh")
COLUMNS = ("id", "question", "answer", "question_zh", "answer_zh", "phrasings", "category",
           "department", "source_url", "valid_from", "valid_to")
PHRASING_SEPARATOR = " | "
MAX_TEXT = 5000
MAX_ROWS = 20000


@dataclass(frozen=True)
class FaqRecord:
    """One FAQ as files carry it; ``question``/``answer`` are English, ``*_zh`` Chinese."""

    id: str
    question: str | None = None
    answer: str | None = None
    question_zh: str | None = None
    answer_zh: str | None = None
    phrasings: tuple[str, ...] = ()
    category: str | None = None
    department: str | None = None
    source_url: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["phrasings"] = list(self.phrasings)
        row["valid_from"] = self.valid_from.isoformat() if self.valid_from else None
        row["valid_to"] = self.valid_to.isoformat() if self.valid_to else None
        return row


@dataclass
class RowProblems:
    problems: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int, field_name: str, message: str) -> None:
        self.problems.append({"row": row, "field": field_name, "message": message})


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _date(value: Any, row: int, name: str, problems: RowProblems) -> date | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(row, name, N_("Not a date in the form YYYY-MM-DD."))
        return None


def _phrasings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split("|")
    return tuple(t for t in (str(item).strip() for item in items) if t)


def record_from(raw: Any, row: int, problems: RowProblems) -> FaqRecord | None:
    """One validated record, or ``None`` with the row's problems added."""
    if not isinstance(raw, dict):
        problems.add(row, "", N_("Each row must be an object with the fields id, question and answer."))
        return None
    before = len(problems.problems)
    key = _text(raw.get("id"))
    if key is None or not FAQ_ID.match(key):
        problems.add(row, "id", N_("An FAQ id of letters, digits, dots, hyphens or underscores is required."))
    texts = {name: _text(raw.get(name)) for name in TEXT_FIELDS}
    for name, text in texts.items():
        if text is not None and (len(text) > MAX_TEXT or "\x00" in text):
            problems.add(row, name, N_("Text must be at most 5,000 characters, without control characters."))
    if not any(texts.values()):
        problems.add(row, "question", N_("A question and its answer are required, in English or Chinese."))
    for question, answer in (("question", "answer"), ("question_zh", "answer_zh")):
        if bool(texts[question]) != bool(texts[answer]):
            problems.add(row, answer if texts[question] else question,
                         N_("A question needs its answer in the same language, and an answer its question."))
    valid_from = _date(raw.get("valid_from"), row, "valid_from", problems)
    valid_to = _date(raw.get("valid_to"), row, "valid_to", problems)
    if valid_from and valid_to and valid_to < valid_from:
        problems.add(row, "valid_to", N_("The end of validity is before its start."))
    if len(problems.problems) > before:
        return None
    return FaqRecord(
        id=key or "", **texts, phrasings=_phrasings(raw.get("phrasings")),
        category=_text(raw.get("category")), department=_text(raw.get("department")),
        source_url=_text(raw.get("source_url")), valid_from=valid_from, valid_to=valid_to)


def _raw_rows(data: bytes, fmt: str) -> list[Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(N_("The file is not UTF-8 text.")) from exc
    try:
        if fmt == "json":
            rows = json.loads(text)
            if not isinstance(rows, list):
                raise BadRequest(N_("A JSON file must hold a list of FAQs."))
            return rows
        if fmt == "jsonl":
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        return list(csv.DictReader(io.StringIO(text)))
    except (json.JSONDecodeError, csv.Error) as exc:
        raise BadRequest(N_("The file could not be read as {format}: {problem}"),
                         format=fmt.upper(), problem=str(exc)) from exc


def format_of(filename: str, given: str | None = None) -> str:
    fmt = (given or filename.rsplit(".", 1)[-1]).lower()
    if fmt not in FORMATS:
        raise BadRequest(N_("Use a JSON, JSONL or CSV file."))
    return fmt


def read_records(data: bytes, fmt: str) -> list[FaqRecord]:
    """Every record of the file, or :class:`ValidationFailed` listing each bad row."""
    rows = _raw_rows(data, fmt)
    if not rows:
        raise ValidationFailed(N_("The file holds no FAQs."))
    if len(rows) > MAX_ROWS:
        raise ValidationFailed(N_("A file may hold at most 20,000 FAQs."))
    problems = RowProblems()
    records = [record_from(raw, number, problems) for number, raw in enumerate(rows, start=1)]
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        if record is not None:
            if record.id in seen:
                problems.add(number, "id", N_("This FAQ id appears twice in the file."))
            seen.add(record.id)
    if problems.problems:
        raise ValidationFailed(N_("Some rows of the file are invalid; nothing was imported."),
                               details=problems.problems)
    return [r for r in records if r is not None]


def write_records(records: list[FaqRecord], fmt: str) -> str:
    rows = [record.as_row() for record in records]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "phrasings": PHRASING_SEPARATOR.join(row["phrasings"])})
    return buffer.getvalue()
