"""The FAQ sets that retrieval is tuned and judged on, each with a dev and a held-out split.

One set is not enough: the first fusion was fitted on the team's own dev set alone (136
in-scope queries) and gained little over plain dense retrieval on real users' wording (see
:mod:`.selection`). Fusion is therefore chosen by cross-validation over every set's dev split
(see :mod:`.selection`), and every figure is reported on each set's held-out split too.

* ``team``: the demo 1823 knowledge base with ``eval/dev.jsonl`` and ``eval/test.jsonl``
  (bilingual, Cantonese, cross-lingual, out-of-scope and follow-up queries).
* ``stackfaq``: StackFAQ (``eval/stackfaq.json``, CC BY-SA, see ``stackfaq.LICENSE``): 125
  StackExchange threads as FAQs (question and first answer) and 1,249 human rephrasings
  written by people outside the team. Split by FAQ, not by query: the queries of the
  even-numbered FAQs are dev, those of the odd-numbered ones held out, so no held-out query
  asks for an FAQ whose wording the tuning has seen queries for. Both splits search the whole
  125-FAQ collection."""

from __future__ import annotations

import json
from dataclasses import dataclass

from aiplus.apps.enquiry.retrieval.kb import (
    DEV_PATH,
    ENQUIRY_DIR,
    TEST_PATH,
    EvalQuery,
    load_demo_kb,
    load_eval,
)
from aiplus.apps.enquiry.retrieval.model import FaqEntry

STACKFAQ_PATH = ENQUIRY_DIR / "eval" / "stackfaq.json"


@dataclass(frozen=True)
class FaqSet:
    """A knowledge base and its queries: ``dev`` may be tuned on, ``test`` never."""

    name: str
    kb: list[FaqEntry]
    dev: list[EvalQuery]
    test: list[EvalQuery]


def team_set() -> FaqSet:
    return FaqSet("team", load_demo_kb(), load_eval(DEV_PATH), load_eval(TEST_PATH))


def stackfaq_set() -> FaqSet:
    faqs = json.loads(STACKFAQ_PATH.read_text(encoding="utf-8"))["faqs"]
    kb = [FaqEntry(id=f["id"], question_en=f["question"], answer_en=f["answer"]) for f in faqs]
    dev: list[EvalQuery] = []
    test: list[EvalQuery] = []
    for number, faq in enumerate(faqs):
        split = dev if number % 2 == 0 else test
        split.extend(EvalQuery(text, "en", faq["id"], "paraphrase") for text in faq["rephrasings"])
    return FaqSet("stackfaq", kb, dev, test)


def faq_sets() -> list[FaqSet]:
    """Every set fusion is selected on, in a fixed order (selection is deterministic)."""
    return [team_set(), stackfaq_set()]
