"""The demo knowledge base and the evaluation sets shipped with the enquiry app."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from aiplus.apps.enquiry.retrieval.model import FaqEntry

ENQUIRY_DIR = Path(__file__).resolve().parent.parent
DEMO_KB_PATH = ENQUIRY_DIR / "demo_kb" / "faqs.json"
# machine translations of the demo KB's single-language questions, {faq_id: {lang: text}}
DEMO_TRANSLATIONS_PATH = ENQUIRY_DIR / "demo_kb" / "question_translations.json"
DEV_PATH = ENQUIRY_DIR / "eval" / "dev.jsonl"
TEST_PATH = ENQUIRY_DIR / "eval" / "test.jsonl"
KINDS = ("paraphrase", "colloquial", "cross-lingual", "out-of-scope", "follow-up")


def entry_from_record(record: dict, machine_questions: tuple[str, ...] = ()) -> FaqEntry:
    """A KB record (the JSON shape of ``faqs.json``) as a FaqEntry."""
    return FaqEntry(id=record["id"], question_en=record.get("question"),
                    question_zh=record.get("question_zh"), answer_en=record.get("answer"),
                    answer_zh=record.get("answer_zh"),
                    phrasings=tuple(record.get("phrasings") or ()),
                    machine_questions=machine_questions,
                    category=record.get("category"), department=record.get("department"))


def demo_translations() -> dict[str, dict[str, str]]:
    if not DEMO_TRANSLATIONS_PATH.exists():
        return {}
    return json.loads(DEMO_TRANSLATIONS_PATH.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def load_demo_kb(*, translated: bool = True) -> list[FaqEntry]:
    """The demo KB; ``translated`` adds the shipped machine translations of its
    single-language questions, as the service's translation job would."""
    records = json.loads(DEMO_KB_PATH.read_text(encoding="utf-8"))
    made = demo_translations() if translated else {}
    return [entry_from_record(r, tuple(made.get(r["id"], {}).values())) for r in records]


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
