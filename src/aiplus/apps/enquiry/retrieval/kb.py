"""The demo knowledge base and the evaluation sets shipped with the enquiry app."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from aiplus.apps.enquiry.retrieval.model import FaqEntry

ENQUIRY_DIR = Path(__file__).resolve().parent.parent
DEMO_KB_PATH = ENQUIRY_DIR / "demo_kb" / "faqs.json"
DEV_PATH = ENQUIRY_DIR / "eval" / "dev.jsonl"
TEST_PATH = ENQUIRY_DIR / "eval" / "test.jsonl"
KINDS = ("paraphrase", "colloquial", "cross-lingual", "out-of-scope", "follow-up")


def entry_from_record(record: dict) -> FaqEntry:
    """A KB record (the JSON shape of ``faqs.json``) as a FaqEntry."""
    return FaqEntry(id=record["id"], question_en=record.get("question"),
                    question_zh=record.get("question_zh"), answer_en=record.get("answer"),
                    answer_zh=record.get("answer_zh"),
                    phrasings=tuple(record.get("phrasings") or ()),
                    category=record.get("category"), department=record.get("department"))


def load_demo_kb() -> list[FaqEntry]:
    records = json.loads(DEMO_KB_PATH.read_text(encoding="utf-8"))
    return [entry_from_record(r) for r in records]


@dataclass(frozen=True)
class EvalQuery:
    query: str
    lang: str  # "en" | "zh-Hant" | "yue"
    faq_id: str | None  # None: out of scope, must be handed over
    kind: str
    context: tuple[str, ...] = ()


def load_eval(path: Path) -> list[EvalQuery]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            queries.append(EvalQuery(r["query"], r["lang"], r["faq_id"], r["kind"],
                                     tuple(r.get("context") or ())))
    return queries
