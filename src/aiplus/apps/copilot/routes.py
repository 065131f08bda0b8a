"""The copilot as an explicit route graph (after Redbox): each request names or implies one
route, and each route is a plain function from a :class:`Task` to a stream of events ending
in an :class:`Outcome`. The graph is a dict, so tests can walk it and each route can be run
alone.

- ``chat``: the model, nothing else;
- ``documents``: hybrid retrieval over the chosen documents, then the model answers from the
  numbered passages only and cites them; below the relevance threshold, or when the model
  says so, the answer is that the documents do not contain it (no guess);
- ``summarise``: extractive LexRank (no model) or map-reduce through the model;
- ``translate``: structure-preserving, glossary-aware translation through the model;
- ``draft``: a government-writing template filled from the officer's facts and documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

from aiplus.apps.copilot import (citations, drafting, faithfulness, glossary, retrieval,
                                 summarise)
from aiplus.apps.copilot import translate as translation
from aiplus.apps.copilot.chunking import chunk
from aiplus.apps.copilot.extract import Block
from aiplus.apps.copilot.library import Library
from aiplus.apps.copilot.llm import Llm
from aiplus.apps.copilot.settings import CopilotSettings
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_, translator
from aiplus.core.identity import Principal
from aiplus.models import embeddings
from aiplus.models.text import language_of
from aiplus.platform.services import Platform

NOT_IN_DOCUMENTS = N_("The selected documents do not contain an answer to this question.")
NOT_FOUND = "Not in the documents"
ASSISTANT = "You are a careful assistant to Hong Kong civil servants. "
EXTRACTIVE_MODEL = N_("lexrank (extractive, no model)")
TEMPLATE_MODEL = N_("template (no model)")
MAX_TEXT_CHARS = 60_000
LANGUAGE_NAMES = {"en": "English", "zh-Hant": "Traditional Chinese"}


class Route(StrEnum):
    CHAT = "chat"
    DOCUMENTS = "documents"
    SUMMARISE = "summarise"
    TRANSLATE = "translate"
    DRAFT = "draft"


@dataclass
class Task:
    """One request to the copilot; which fields matter depends on the route."""

    route: Route | None = None
    text: str = ""
    document_ids: list[int] = field(default_factory=list)
    style: str = "bullet"
    length: str = "short"
    mode: str = "extractive"
    target: str | None = None
    template: str = "internal_memo"
    facts: dict[str, str] = field(default_factory=dict)
    org: str | None = None


@dataclass
class Outcome:
    """What a route produced and what it rests on (stored as the output's provenance)."""

    text: str
    model: str
    template: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    sources: list[dict[str, Any]] = field(default_factory=list)
    faithfulness: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


Event = tuple[str, Any]  # ("delta", str) while writing, then ("outcome", Outcome)


def choose(task: Task) -> Route:
    """The route of a task: the one it names, or chat with documents when it has some."""
    if task.route is not None:
        return task.route
    return Route.DOCUMENTS if task.document_ids else Route.CHAT


@dataclass
class Context:
    platform: Platform
    principal: Principal
    org: str
    settings: CopilotSettings

    @property
    def llm(self) -> Llm:
        return Llm(self.platform, self.org, self.principal.actor)

    @property
    def library(self) -> Library:
        return Library(self.platform, self.settings)


def _question(task: Task) -> str:
    text = " ".join(task.text.split())
    if not text:
        raise ValidationFailed(N_("Please type a question or some text."))
    if len(task.text) > MAX_TEXT_CHARS:
        raise ValidationFailed(N_("The text may be at most {limit} characters."),
                               limit=MAX_TEXT_CHARS)
    return text


def chat(ctx: Context, task: Task) -> Iterator[Event]:
    question = _question(task)
    lang = language_of(question) or "en"
    stream = ctx.llm.stream(f"{ASSISTANT}Reply in {LANGUAGE_NAMES[lang]}.", question, 400)
    yield from _streamed(stream)
    result = stream.result
    assert result is not None
    yield "outcome", Outcome(result.text, result.model, "chat@1", result.prompt_tokens,
                             result.completion_tokens)


def _streamed(stream: Any) -> Iterator[Event]:
    try:
        for piece in stream:
            yield "delta", piece
    finally:
        stream.close()


def documents_prompt(passages: list[retrieval.Passage], question: str,
                     lang: str) -> tuple[str, str, list[str]]:
    """The system and user messages of a question over numbered passages, and the documents
    the gateway judges as such: the passages and their labels, which are our scaffolding. Only
    the question is the officer's own words (a label such as "[5] (report.txt, page 1, Data
    Governance)" scanned as input read as an injection)."""
    # Plain, polite wording: the gateway's injection classifier scans system prompts too,
    # and scores terse imperative instructions ("reply exactly X") as injections.
    system = (f"{ASSISTANT}Please answer the question in {LANGUAGE_NAMES[lang]} from the "
              "passages, with citations like [1]. When the passages do not contain the answer, "
              f"the reply is '{NOT_FOUND}.'")
    labels = [f"[{i}] ({p.filename}, page {p.page}{', ' + p.heading if p.heading else ''})"
              for i, p in enumerate(passages, start=1)]
    blocks = [f"{label}\n{p.text}" for label, p in zip(labels, passages, strict=True)]
    # Each label and each passage is a document on its own: a passage is then judged exactly
    # as it was at upload, where a passage that hides instructions was already withheld.
    return (system, "\n\n".join(blocks) + f"\n\nQuestion: {question}",
            [*labels, *(p.text for p in passages)])


def relevant(passages: list[retrieval.Passage], settings: CopilotSettings) -> bool:
    """Whether the best passage is close enough to the question to answer from."""
    return bool(passages) and passages[0].dense >= settings.relevance_threshold


def cite(text: str, passages: list[retrieval.Passage], vectors: np.ndarray,
         settings: CopilotSettings) -> citations.Checked:
    """The answer with every citation re-checked against the passage it names."""
    return citations.check(text, [p.text for p in passages], vectors,
                           settings.support_threshold, settings.citation_floor)


def documents(ctx: Context, task: Task) -> Iterator[Event]:
    question = _question(task)
    lang = language_of(question) or "en"
    candidates = ctx.library.candidates(ctx.principal, task.document_ids)
    passages = retrieval.search(question, candidates, ctx.settings.retrieve_k)
    if not relevant(passages, ctx.settings):
        yield from _not_found(lang, passages)
        return
    system, user, blocks = documents_prompt(passages, question, lang)
    stream = ctx.llm.stream(system, user, 400, documents=blocks)
    yield from _streamed(stream)
    result = stream.result
    assert result is not None
    if NOT_FOUND.lower() in result.text.lower():
        yield from _not_found(lang, passages, result)
        return
    vectors = {c.chunk_id: c.vector for c in candidates}
    checked = cite(result.text, passages, np.vstack([vectors[p.chunk_id] for p in passages]),
                   ctx.settings)
    cited = sorted({n for v in checked.verdicts for n in v.kept + v.added})
    basis = [passages[n - 1] for n in cited] or passages
    checks = faithfulness.check(checked.text, np.vstack([vectors[p.chunk_id] for p in basis]),
                                ctx.settings.support_threshold)
    checks = faithfulness.overrule(checks, checked.unsupported())
    sources = [p.as_dict() | {"number": i, "cited": i in cited}
               for i, p in enumerate(passages, start=1)]
    yield "outcome", Outcome(checked.text, result.model, "documents@1", result.prompt_tokens,
                             result.completion_tokens, sources,
                             faithfulness.summary(checks) | {"citations": checked.summary()},
                             {"not_in_documents": False})


def _not_found(lang: str, passages: list[retrieval.Passage], result: Any = None) -> Iterator[Event]:
    message = translator(lang)(NOT_IN_DOCUMENTS)
    yield "delta", message
    yield "outcome", Outcome(
        message, result.model if result else "retrieval (no model)", "documents@1",
        result.prompt_tokens if result else 0, result.completion_tokens if result else 0,
        [p.as_dict() | {"number": i, "cited": False} for i, p in enumerate(passages, 1)],
        {}, {"not_in_documents": True})


def _source_text(ctx: Context, task: Task) -> tuple[str, str, np.ndarray, list[dict[str, Any]]]:
    """The text a summary or translation works on: the chosen document(s), or the text given;
    with its language, passage vectors (for the faithfulness check) and sources."""
    if task.document_ids:
        texts, vectors, sources = [], [], []
        for document_id in dict.fromkeys(task.document_ids):
            text, _lang, rows = ctx.library.text_of(ctx.principal, document_id)
            texts.append(text)
            vectors.append(rows)
            sources.append({"document_id": document_id})
        text = "\n\n".join(texts)
        stacked = np.vstack(vectors)
    else:
        text = task.text.strip()
        _question(task)
        pieces = chunk([Block(1, "paragraph", p) for p in text.split("\n\n") if p.strip()],
                       ctx.settings.chunk_chars)
        stacked = embeddings.encode([p.text for p in pieces], is_query=False)
        sources = []
    lang = language_of(text)
    if not text.strip() or lang is None:
        raise ValidationFailed(N_("There is no English or Chinese text to work on."))
    return text, lang, stacked, sources


def summary(ctx: Context, task: Task) -> Iterator[Event]:
    summarise.check_options(task.style, task.length)
    text, lang, vectors, sources = _source_text(ctx, task)
    template = f"summarise/{task.style}-{task.length}@{summarise.TEMPLATE_VERSION}"
    if task.mode == "extractive":
        written = summarise.extractive(text, task.style, task.length)
        model, prompt_tokens, completion_tokens, parts = EXTRACTIVE_MODEL, 0, 0, 1
    elif task.mode == "abstractive":
        written, model, prompt_tokens, completion_tokens, parts = _map_reduce(
            ctx, text, lang, task)
    else:
        raise ValidationFailed(N_("The mode must be extractive or abstractive."))
    yield "delta", written
    checks = faithfulness.check(written, vectors, ctx.settings.support_threshold)
    yield "outcome", Outcome(written, model, template, prompt_tokens, completion_tokens,
                             sources, faithfulness.summary(checks), {"parts": parts})


def _map_reduce(ctx: Context, text: str, lang: str,
                task: Task) -> tuple[str, str, int, int, int]:
    parts = summarise.split_for_context([p for p in text.split("\n\n") if p.strip()],
                                        ctx.settings.context_chars)
    llm, used = ctx.llm, [0, 0]
    model = ""

    def call(prompt: summarise.Prompt) -> str:
        nonlocal model
        result = llm.chat(prompt.system, prompt.user, prompt.max_tokens,
                          documents=(prompt.user,))
        used[0] += result.prompt_tokens
        used[1] += result.completion_tokens
        model = result.model
        return result.text.strip()

    mapped = [call(summarise.map_prompt(p, lang)) for p in parts] if len(parts) > 1 else parts
    written = call(summarise.reduce_prompt(mapped, task.style, task.length, lang))
    return written, model, used[0], used[1], len(parts)


def translate(ctx: Context, task: Task) -> Iterator[Event]:
    text, lang, _vectors, sources = _source_text(ctx, task)
    target = task.target or ("en" if lang == "zh-Hant" else "zh-Hant")
    translation.check_langs(lang, target)
    with ctx.platform.db.read() as session:
        terms = glossary.terms(session, ctx.org)
    llm = ctx.llm

    def call(system: str, user: str) -> tuple[str, int, int, str]:
        result = llm.chat(system, user, min(1024, 2 * len(user) + 50))
        return result.text.strip(), result.prompt_tokens, result.completion_tokens, result.model

    done = translation.translate(text, lang, target, terms, call)
    yield "delta", done.text
    yield "outcome", Outcome(done.text, done.model or "none", f"translate@"
                             f"{translation.TEMPLATE_VERSION}", done.prompt_tokens,
                             done.completion_tokens, sources, {},
                             {"source": text, "source_lang": lang, "target_lang": target,
                              "glossary_used": done.glossary_used,
                              "glossary_missed": done.glossary_missed})


def draft(ctx: Context, task: Task) -> Iterator[Event]:
    tpl = drafting.template(task.template)
    facts = drafting.clean_facts(tpl, task.facts)
    lang = language_of(facts["facts"]) or "en"
    passages: list[retrieval.Passage] = []
    if task.document_ids:
        candidates = ctx.library.candidates(ctx.principal, task.document_ids)
        query = f"{facts.get('subject', '')} {facts['facts']}"[:2000]
        passages = retrieval.search(query, candidates, 3)
    template = f"draft/{tpl.key}@{tpl.version}"
    sources = [p.as_dict() for p in passages]
    if not ctx.llm.available():
        text = drafting.skeleton(tpl, facts, lang)
        yield "delta", text
        yield "outcome", Outcome(text, TEMPLATE_MODEL, template, sources=sources)
        return
    system, user, documents = drafting.prompt(tpl, facts, [p.text for p in passages], lang)
    stream = ctx.llm.stream(system, user, 700, documents=documents)
    yield from _streamed(stream)
    result = stream.result
    assert result is not None
    yield "outcome", Outcome(result.text, result.model, template, result.prompt_tokens,
                             result.completion_tokens, sources)


GRAPH: dict[Route, Callable[[Context, Task], Iterator[Event]]] = {
    Route.CHAT: chat, Route.DOCUMENTS: documents, Route.SUMMARISE: summary,
    Route.TRANSLATE: translate, Route.DRAFT: draft,
}


def run(ctx: Context, task: Task) -> Iterator[Event]:
    """Run the task's route, timing it; the last event is ("outcome", Outcome, latency_ms)."""
    started = time.perf_counter()
    for kind, value in GRAPH[choose(task)](ctx, task):
        if kind == "outcome":
            value.extra["latency_ms"] = (time.perf_counter() - started) * 1000
        yield kind, value
