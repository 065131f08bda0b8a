"""Summaries in three styles and three lengths, with or without a model.

Extractive (no model): LexRank (sumy) picks the most central sentences, in document order, in
English or Chinese; it cannot invent anything. Abstractive (a model through the gateway):
map-reduce, as Redbox does for documents longer than the model's context: each part is
summarised, then the part summaries are summarised in the chosen style.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.models.text import language_of, sentences, tokens

STYLES = ("bullet", "executive", "minutes")
LENGTHS = {"short": 3, "medium": 5, "long": 8}
TEMPLATE_VERSION = "1"
ASSISTANT = "You are a careful assistant to Hong Kong civil servants. "
STYLE_PROMPTS = {
    "bullet": "a bullet brief: one short line per point, each starting with '- '",
    "executive": "an executive summary: one paragraph for a senior officer, decisions first",
    "minutes": "minutes style: numbered points, each saying what was decided or reported",
}


class _Tokenizer:
    """The two things sumy asks of a tokenizer, for both languages (:mod:`aiplus.models.text`)."""

    language = "copilot"

    @staticmethod
    def to_sentences(paragraph: str) -> list[str]:
        return sentences(paragraph)

    @staticmethod
    def to_words(sentence: str) -> list[str]:
        return tokens(sentence)


def check_options(style: str, length: str) -> None:
    if style not in STYLES:
        raise ValidationFailed(N_("The style must be bullet, executive or minutes."))
    if length not in LENGTHS:
        raise ValidationFailed(N_("The length must be short, medium or long."))


def lexrank(text: str, count: int) -> list[str]:
    """The ``count`` most central sentences of ``text``, in the order they appear."""
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    all_sentences = [s for s in sentences(text) if _worded(s)]
    if len(all_sentences) <= count:
        return all_sentences
    # One paragraph per sentence: sumy joins the lines of a paragraph before splitting it.
    parser = PlaintextParser.from_string("\n\n".join(all_sentences), _Tokenizer())
    picked = LexRankSummarizer()(parser.document, count)
    return [str(sentence) for sentence in picked]


def lead(text: str, count: int) -> list[str]:
    """The first ``count`` sentences: the baseline every summariser must beat."""
    return [s for s in sentences(text) if _worded(s)][:count]


def _worded(sentence: str) -> bool:
    """Whether a "sentence" holds a word: a list number the splitter cut off on its own
    ("2.") or a lone bullet is no sentence to put in a summary."""
    return any(ch.isalpha() for ch in sentence)


def styled(picked: list[str], style: str, lang: str) -> str:
    if style == "bullet":
        return "\n".join(f"- {s}" for s in picked)
    if style == "minutes":
        return "\n".join(f"{i}. {s}" for i, s in enumerate(picked, start=1))
    return ("" if lang == "zh-Hant" else " ").join(picked)


def extractive(text: str, style: str, length: str) -> str:
    check_options(style, length)
    return styled(lexrank(text, LENGTHS[length]), style, language_of(text) or "en")


@dataclass(frozen=True)
class Prompt:
    system: str
    user: str
    max_tokens: int


def map_prompt(part: str, lang: str) -> Prompt:
    language = "Traditional Chinese" if lang == "zh-Hant" else "English"
    return Prompt(f"{ASSISTANT}Please summarise the text in {language} in at most four "
                  "sentences, using facts in the text.", part, 200)


def reduce_prompt(parts: list[str], style: str, length: str, lang: str) -> Prompt:
    language = "Traditional Chinese" if lang == "zh-Hant" else "English"
    return Prompt(f"{ASSISTANT}Please write {STYLE_PROMPTS[style]}, in {language}, of at most "
                  f"{LENGTHS[length]} points or sentences, using facts in the text.",
                  "\n\n".join(parts),
                  60 * LENGTHS[length] + 60)


def split_for_context(paragraphs: list[str], limit: int) -> list[str]:
    """Consecutive paragraphs grouped into parts of at most ``limit`` characters."""
    parts: list[str] = []
    current = ""
    for paragraph in paragraphs:
        if current and len(current) + len(paragraph) + 2 > limit:
            parts.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph[:limit]
    if current:
        parts.append(current)
    return parts
