"""``aiplus bench copilot``: summarisation, translation and throughput, each beside a baseline
measured in the same run.

- Summaries: ROUGE-1/2/L (rouge-score; Chinese tokenised by character) of LexRank and of the
  model's map-reduce summary against reference summaries the AI Plus team wrote for eight
  short government-style documents (``eval/summaries.json``), beside lead-3; plus the share of
  summary sentences the faithfulness check supports.
- Translation: chrF and BLEU (sacrebleu) in both directions on sentences of the
  ``hsk-sentences-audio`` parallel set (zh-Hant/en), the copilot's glossary-aware model
  translation against a word-by-word dictionary built from the *other* sentences' word
  glosses (so no test sentence informs its own baseline).
- Throughput: pages per minute ingested (text PDF, DOCX), and the local model's time to first
  token and tokens per second through the gateway.
- Citations: on public documents the team did not write, the share of citation markers whose
  passage holds the evidence, and answer accuracy, as the model cited and after the citation
  check (:mod:`.citation_bench`).
"""

from __future__ import annotations

import io
import json
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from aiplus.apps.copilot import faithfulness, glossary, summarise, translate
from aiplus.apps.copilot.chunking import chunk
from aiplus.apps.copilot.extract import Block
from aiplus.models.text import sentences
from aiplus.platform.registry import Benchmark

SEED = 7
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_EN_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


# -- summarisation --------------------------------------------------------------------------
def eval_documents() -> list[dict[str, str]]:
    text = resources.files("aiplus.apps.copilot").joinpath("eval", "summaries.json").read_text(
        encoding="utf-8")
    return json.loads(text)["documents"]  # type: ignore[no-any-return]


class _Characters:
    """rouge-score's tokenizer interface, one token per Chinese character (and per word of
    any Latin text mixed in)."""

    @staticmethod
    def tokenize(text: str) -> list[str]:
        return re.findall(r"[\u3400-\u9fff]|[A-Za-z0-9]+", text)


def rouge(pairs: list[tuple[str, str, str]]) -> dict[str, float]:
    """Mean F1 of ROUGE-1/2/L over (system, reference, lang) triples."""
    from rouge_score import rouge_scorer

    english = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    chinese = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=_Characters())
    scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
    for system, reference, lang in pairs:
        scorer = chinese if lang == "zh-Hant" else english
        for name, value in scorer.score(reference, system).items():
            scores[name].append(value.fmeasure)
    return {name: round(statistics.fmean(values), 4) for name, values in scores.items()}


def _vectors(text: str) -> np.ndarray:
    from aiplus.models import embeddings

    pieces = chunk([Block(1, "paragraph", line) for line in text.splitlines() if line.strip()],
                   900)
    return embeddings.encode([p.text for p in pieces], is_query=False)


def run_summaries(llm: Any | None) -> dict[str, Any]:
    from aiplus.apps.copilot.settings import copilot_settings

    threshold = copilot_settings().support_threshold
    systems: dict[str, list[tuple[str, str, str]]] = {"lead-3 (baseline)": [], "lexrank": []}
    if llm is not None:
        systems["model map-reduce"] = []
    supported: dict[str, list[bool]] = {name: [] for name in systems}
    for document in eval_documents():
        text, lang, reference = document["text"], document["lang"], document["reference"]
        outputs = {"lead-3 (baseline)": "".join(summarise.lead(text, 3)) if lang == "zh-Hant"
                   else " ".join(summarise.lead(text, 3)),
                   "lexrank": summarise.styled(summarise.lexrank(text, 3), "executive", lang)}
        if llm is not None:
            prompt = summarise.reduce_prompt([text], "executive", "short", lang)
            outputs["model map-reduce"] = llm(prompt.system, prompt.user, prompt.max_tokens)[0]
        vectors = _vectors(text)
        for name, output in outputs.items():
            systems[name].append((output, reference, lang))
            supported[name] += [c.supported for c in faithfulness.check(output, vectors,
                                                                        threshold)]
    rows = []
    for name, pairs in systems.items():
        for lang in ("en", "zh-Hant"):
            subset = [p for p in pairs if p[2] == lang]
            rows.append({"part": "summary", "system": name, "lang": lang,
                         "documents": len(subset), **rouge(subset)})
        rows.append({"part": "summary", "system": name, "lang": "all", "documents": len(pairs),
                     **rouge(pairs),
                     "supported_share": round(statistics.fmean(supported[name]), 4)
                     if supported[name] else None})
    return {"rows": rows}


# -- translation ----------------------------------------------------------------------------
def _senses(gloss: str) -> list[str]:
    return [s.strip() for s in _PAREN.sub("", gloss).split(";") if s.strip()]


def split_sentences(test_size: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    import hsk_sentences_audio

    rows = list(hsk_sentences_audio.load_sentences())
    random.Random(SEED).shuffle(rows)
    return rows[:test_size], rows[test_size:]


class Dictionary:
    """Word-by-word translation from the word glosses of the training sentences."""

    def __init__(self, training: list[dict[str, Any]]) -> None:
        zh_en: dict[str, Counter[str]] = {}
        en_zh: dict[str, Counter[str]] = {}
        for row in training:
            for token in row.get("tokens", []):
                senses = _senses(token.get("gloss_en", ""))
                if not senses:
                    continue
                zh_en.setdefault(token["word"], Counter())[senses[0]] += 1
                for sense in senses:
                    if len(sense.split()) == 1:
                        en_zh.setdefault(sense.lower(), Counter())[token["word"]] += 1
        self.zh_en = {w: c.most_common(1)[0][0] for w, c in zh_en.items()}
        self.en_zh = {w: c.most_common(1)[0][0] for w, c in en_zh.items()}

    def to_english(self, traditional: str) -> str:
        import jieba
        import opencc

        simplified = opencc.OpenCC("t2s").convert(traditional)
        words: list[str] = []
        for word in jieba.lcut(simplified):
            if word in self.zh_en:
                words.append(self.zh_en[word])
            else:
                words += [self.zh_en[c] for c in word if c in self.zh_en]
        return " ".join(words)

    def to_chinese(self, english: str) -> str:
        import opencc

        found = []
        for word in _EN_WORD.findall(english.lower()):
            for form in (word, word.rstrip("s"), re.sub(r"(ed|ing)$", "", word)):
                if form in self.en_zh:
                    found.append(self.en_zh[form])
                    break
        return opencc.OpenCC("s2hk").convert("".join(found))


def scores(hypotheses: list[str], references: list[str], target: str) -> dict[str, float]:
    import sacrebleu

    tokenize = "zh" if target == "zh-Hant" else "13a"
    return {"chrF": round(sacrebleu.corpus_chrf(hypotheses, [references]).score, 2),
            "BLEU": round(sacrebleu.corpus_bleu(hypotheses, [references],
                                                tokenize=tokenize).score, 2)}


def run_translation(llm: Any | None, size: int) -> dict[str, Any]:
    test, training = split_sentences(size)
    dictionary = Dictionary(training)
    terms = [glossary.Term(en, zh) for en, zh in glossary.BUILT_IN.items()]
    rows = []
    for source, target in (("zh-Hant", "en"), ("en", "zh-Hant")):
        sources = [r["traditional"] if source == "zh-Hant" else r["translation"]["en"]
                   for r in test]
        references = [r["translation"]["en"] if target == "en" else r["traditional"]
                      for r in test]
        baseline = [dictionary.to_english(s) if target == "en" else dictionary.to_chinese(s)
                    for s in sources]
        rows.append({"part": "translation", "direction": f"{source}->{target}",
                     "system": "word-by-word dictionary (baseline)", "sentences": len(test),
                     **scores(baseline, references, target)})
        if llm is not None:
            started = time.perf_counter()
            outputs = [translate.translate(s, source, target, terms,
                                           lambda system, user: llm(system, user, 200)).text
                       for s in sources]
            rows.append({"part": "translation", "direction": f"{source}->{target}",
                         "system": "copilot (model + glossary)", "sentences": len(test),
                         **scores(outputs, references, target),
                         "seconds_per_sentence": round((time.perf_counter() - started)
                                                       / len(test), 2)})
    return {"rows": rows, "licence": "hsk-sentences-audio: CC-BY-SA-4.0"}


# -- throughput -----------------------------------------------------------------------------
def _pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    documents = eval_documents()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        document = documents[number % 4]  # the English ones: the base font has no Chinese
        pdf.drawString(60, 800, f"{number + 1}. {document['title']}")
        y = 770
        for line in sentences(document["text"]):
            pdf.drawString(60, y, line[:95])
            y -= 16
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def run_throughput(library: Any, principal: Any, llm_stream: Any | None,
                   pages: int) -> dict[str, Any]:
    data = _pdf(pages)
    started = time.perf_counter()
    library.ingest(principal, "bench.pdf", data)
    seconds = time.perf_counter() - started
    rows: list[dict[str, Any]] = [{"part": "throughput", "measure": "ingest text PDF",
                                   "pages": pages, "seconds": round(seconds, 2),
                                   "pages_per_minute": round(60 * pages / seconds, 1)}]
    if llm_stream is not None:
        result = llm_stream()
        generating = max(result.latency_ms - (result.ttft_ms or 0), 1.0) / 1000
        rows.append({"part": "throughput", "measure": "local model via gateway",
                     "model": result.model, "ttft_ms": round(result.ttft_ms or 0, 1),
                     "completion_tokens": result.completion_tokens,
                     "tokens_per_second": round(result.completion_tokens / generating, 2)})
    return {"rows": rows}


@contextmanager
def workspace() -> Iterator[tuple[Any, Any, Any]]:
    """A throw-away platform with one officer: (library, principal, model or None)."""
    from aiplus.apps.copilot.library import Library
    from aiplus.apps.copilot.llm import Llm
    from aiplus.core import identity
    from aiplus.core.identity import Principal
    from aiplus.core.settings import Settings
    from aiplus.platform.services import Platform

    with tempfile.TemporaryDirectory(prefix="aiplus-bench-copilot-") as home:
        platform = Platform.build(Settings(home=Path(home), json_logs=False,
                                           log_level="WARNING"))
        try:
            platform.migrate()
            with platform.db.transaction() as session:
                identity.create_org(session, "bench", "Bench", "基準", "department")
                user = identity.create_user(session, "bench-officer", org="bench",
                                            role="officer", password=None)
                principal = Principal.of(user, via="token")
            model = Llm(platform, "bench", "bench-officer")
            yield Library(platform), principal, model if model.available() else None
        finally:
            platform.close()


def _citations(library: Any, principal: Any, model: Any, quick: bool) -> dict[str, Any]:
    from aiplus.apps.copilot.citation_bench import run_citations
    from aiplus.apps.copilot.settings import copilot_settings

    def answer(system: str, user: str, max_tokens: int, documents: list[str]) -> str:
        return str(model.chat(system, user, max_tokens, documents=documents).text)

    return run_citations(library, principal, answer if model else None, copilot_settings(),
                         quick)


def run(quick: bool = False, **_: Any) -> dict[str, Any]:
    with workspace() as (library, principal, model):
        available = model is not None

        def call(system: str, user: str, max_tokens: int) -> tuple[str, int, int, str]:
            result = model.chat(system, user, max_tokens)
            return (result.text.strip(), result.prompt_tokens, result.completion_tokens,
                    result.model)

        def stream() -> Any:
            return model.chat("You are a careful assistant to Hong Kong civil servants.",
                              "Please describe the work of a district council in about "
                              "eighty words.", 128)

        summaries = run_summaries(call if available else None)
        translation = run_translation(call if available else None, 10 if quick else 40)
        throughput = run_throughput(library, principal, stream if available else None,
                                    5 if quick else 20)
        cited = _citations(library, principal, model, quick)
    rows = summaries["rows"] + translation["rows"] + throughput["rows"] + cited["rows"]
    lexrank = next(r for r in rows if r.get("system") == "lexrank" and r.get("lang") == "all")
    lead = next(r for r in rows if r.get("system") == "lead-3 (baseline)"
                and r.get("lang") == "all")
    return {"rows": rows, "model_available": available,
            "goal": "LexRank ROUGE-L >= lead-3; model translation chrF > dictionary both ways; "
                    + CITATION_GOAL,
            "passed": citations_hold(cited["rows"]) and lexrank["rougeL"] >= lead["rougeL"]
            and (not available or all(
                model_row["chrF"] > base_row["chrF"] for model_row, base_row in
                zip(rows_of(rows, "copilot (model + glossary)"),
                    rows_of(rows, "word-by-word dictionary (baseline)"), strict=True))),
            "translation_licence": translation["licence"],
            "citations": {key: cited[key] for key in ("notes", "seconds_per_question", "answers")
                          if key in cited}}


def rows_of(rows: list[dict[str, Any]], system: str) -> list[dict[str, Any]]:
    return [r for r in rows if r.get("part") == "translation" and r["system"] == system]


benchmark = Benchmark(
    name="copilot",
    description="Document copilot: ROUGE of LexRank and the model against lead-3 on reference "
                "summaries, faithfulness share; chrF/BLEU of model translation against a "
                "word-by-word dictionary (HSK sentences); ingest pages/min, model TTFT, tok/s; "
                "citation precision before/after the citation check on public documents",
    run=run,
)


CITATION_GOAL = ("after the citation check, held-out citation precision >= the model's own "
                 "and answer accuracy unchanged")


def citations_hold(rows: list[dict[str, Any]]) -> bool:
    """The citation goal on the held-out split (met vacuously when it did not run)."""
    held = {r["system"]: r for r in rows if r.get("part") == "citations"
            and r["split"] == "heldout"}
    if len(held) < 2:
        return True
    before, after = (held[name] for name in sorted(held, key=lambda n: "after" in n))
    return ((after["citation_precision"] or 0) >= (before["citation_precision"] or 0)
            and after["answer_accuracy"] == before["answer_accuracy"])


def run_citation_bench(quick: bool = False, **_: Any) -> dict[str, Any]:
    with workspace() as (library, principal, model):
        cited = _citations(library, principal, model, quick)
    return {"rows": cited["rows"], "model_available": model is not None,
            "goal": CITATION_GOAL, "passed": citations_hold(cited["rows"]),
            **{key: cited[key] for key in ("notes", "seconds_per_question", "answers")
               if key in cited}}


citation_benchmark = Benchmark(
    name="copilot-citations",
    description="Copilot citations on public documents the team did not write: share of "
                "markers whose passage holds the evidence, and answer accuracy, as the model "
                "cited and after the citation check (the citation part of 'copilot', alone)",
    run=run_citation_bench,
)
