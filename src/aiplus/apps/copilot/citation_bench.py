"""Do the copilot's citations hold, on documents the team did not write?

Questions in ``eval/citations.json`` were written from two public documents before any prompt
or threshold was looked at: the Government's January 2025 progress report to the Legislative
Council on the "AI Plus" motion (English; read from ``../shared/seed/`` beside the project,
skipped with a message when absent) and twelve Cantonese Wikipedia sentences from the CC0
Cantonese-Traditional Chinese Parallel Corpus (shipped in the file). Chinese questions about
the English report check the figure matching across languages ("150萬" for "1.5 million").

Each question goes through the documents route as an officer would use it (ingested,
retrieved, answered by the model through the gateway), and the same answer is scored twice in
the same run: as the model cited it (the baseline: the route before this check) and after
:func:`routes.cite`. A citation marker counts as correct when the passage it names contains
the question's evidence span (written with the question, not by the check); only markers on
sentences that state the expected figure are judged this way. ``correct_answers_cited``: of
the right answers, the share whose figure carries at least one correct marker.
``figures_hold``: the share of all markers whose passage states every figure and name of its
sentence (the check's own test, so not an independent measure). Answer accuracy: the answer states
every expected figure. ``dev`` questions may inform the check's settings; ``heldout`` ones
never do, and are reported apart.
"""

from __future__ import annotations

import json
import statistics
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from aiplus.apps.copilot import citations, figures, retrieval, routes
from aiplus.apps.copilot.settings import CopilotSettings
from aiplus.core.errors import Forbidden
from aiplus.models.text import language_of

SHARED_SEED = Path(__file__).resolve().parents[4].parent / "shared"
SYSTEMS = ("model as cited (baseline)", "after citation check")
Chat = Callable[[str, str, int, list[str]], str]  # system, user, max tokens, documents


def eval_set() -> dict[str, Any]:
    text = resources.files("aiplus.apps.copilot").joinpath("eval", "citations.json").read_text(
        encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def document_texts(data: dict[str, Any], shared: Path = SHARED_SEED) -> tuple[
        dict[str, str], list[str]]:
    """The text of each evaluation document that is here, and a note for each that is not."""
    texts, notes = {}, []
    for key, document in data["documents"].items():
        if "paragraphs" in document:
            texts[key] = "\n\n".join(document["paragraphs"])
            continue
        path = shared / document["file"]
        if path.is_file():
            texts[key] = path.read_text(encoding="utf-8")
        else:
            notes.append(f"skipped {key!r}: {path} is absent ({document['source']})")
    return texts, notes


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Answer:
    """One question's answer, as the model cited it and after the check."""

    question: dict[str, Any]
    passages: list[str]
    texts: dict[str, str]
    found: bool
    seconds: float
    checked: citations.Checked | None = None
    blocked: bool = False

    def correct(self, system: str) -> bool:
        expected = [f for e in self.question["expect"] for f in figures.figures(e)]
        stated = figures.figures(self.texts[system]) if self.found else []
        return all(any(e.same(s) for s in stated) for e in expected)

    def markers(self, system: str) -> list[tuple[bool, bool | None]]:
        """Per marker: whether the check accepts its passage, and whether the evidence span
        is in it (None when the sentence does not state the expected figure)."""
        if not self.found:
            return []
        expected = [f for e in self.question["expect"] for f in figures.figures(e)]
        evidence = _normal(self.question["evidence"])
        judged = []
        for sentence in citations.spans(self.texts[system]):
            said = figures.figures(citations.plain(sentence))
            answers = all(any(e.same(s) for s in said) for e in expected)
            for number in citations.markers(sentence):
                valid = 0 < number <= len(self.passages)
                holds = valid and not figures.missing(citations.plain(sentence),
                                                      self.passages[number - 1])
                gold = (valid and evidence in _normal(self.passages[number - 1])) \
                    if answers else None
                judged.append((holds, gold))
        return judged


def ask(library: Any, principal: Any, ids: list[int], question: dict[str, Any], chat: Chat,
        settings: CopilotSettings) -> Answer:
    """The documents route for one question, keeping the model's answer and the checked one."""
    candidates = library.candidates(principal, ids)
    passages = retrieval.search(question["question"], candidates, settings.retrieve_k)
    texts = [p.text for p in passages]
    started = time.perf_counter()
    if not routes.relevant(passages, settings):
        return Answer(question, texts, {s: "" for s in SYSTEMS}, False, 0.0)
    lang = language_of(question["question"]) or "en"
    try:
        system, user, blocks = routes.documents_prompt(passages, question["question"], lang)
        answer = chat(system, user, 400, blocks)
    except Forbidden:  # the gateway's guardrails refused the prompt or the answer
        return Answer(question, texts, {s: "" for s in SYSTEMS}, False, 0.0, blocked=True)
    seconds = time.perf_counter() - started
    if routes.NOT_FOUND.lower() in answer.lower():
        return Answer(question, texts, {s: answer for s in SYSTEMS}, False, seconds)
    vectors = {c.chunk_id: c.vector for c in candidates}
    checked = routes.cite(answer, passages, np.vstack([vectors[p.chunk_id] for p in passages]),
                          settings)
    return Answer(question, texts, dict(zip(SYSTEMS, (answer, checked.text), strict=True)),
                  True, seconds, checked)


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def score(answers: list[Answer], system: str, split: str) -> dict[str, Any]:
    judged = [m for a in answers for m in a.markers(system)]
    gold = [g for _, g in judged if g is not None]
    right = [a for a in answers if a.correct(system)]
    return {"part": "citations", "system": system, "split": split, "questions": len(answers),
            "answered": sum(a.found for a in answers),
            "blocked": sum(a.blocked for a in answers),
            "answer_accuracy": _share([a.correct(system) for a in answers]),
            "markers": len(judged), "answer_markers": len(gold),
            "citation_precision": _share(gold),
            "correct_answers_cited": _share([any(g for _, g in a.markers(system)) for a in right]),
            "figures_hold": _share([h for h, _ in judged])}


def run_citations(library: Any, principal: Any, chat: Chat | None, settings: CopilotSettings,
                  quick: bool) -> dict[str, Any]:
    data = eval_set()
    texts, notes = document_texts(data)
    if chat is None:
        return {"rows": [], "notes": [*notes, "skipped citations: no language model"]}
    ids = {key: library.ingest(principal, f"{key}.txt", text.encode("utf-8"))["id"]
           for key, text in texts.items()}
    questions = [q for q in data["questions"] if q["document"] in ids
                 and (not quick or q["split"] == "dev")]
    answers = [ask(library, principal, [ids[q["document"]]], q, chat, settings)
               for q in questions]
    rows = [score([a for a in answers if split == "all" or a.question["split"] == split],
                  system, split)
            for split in ("dev", "heldout", "all") for system in SYSTEMS
            if split != "heldout" or not quick]
    timed = [a.seconds for a in answers if a.seconds]
    return {"rows": rows, "notes": notes,
            "seconds_per_question": round(statistics.fmean(timed), 1) if timed else None,
            "answers": [{"id": a.question["id"], "split": a.question["split"],
                         "found": a.found, "blocked": a.blocked, "model": a.texts[SYSTEMS[0]],
                         "checked": a.texts[SYSTEMS[1]],
                         "citations": a.checked.summary() if a.checked else None}
                        for a in answers]}
