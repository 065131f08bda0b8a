"""Translation between English and Traditional Chinese that keeps the document's structure.

The text is cut into segments at its structure: Markdown-style headings (``#``), list items
(``-``, ``•``, ``1.``) and table rows (``|`` between cells) keep their markers, and only their
words go to the model, one segment per call, with the glossary terms that occur in that
segment. Afterwards each glossary term is checked in the output, and misses are reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from aiplus.apps.copilot.glossary import Term, relevant
from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_

TEMPLATE_VERSION = "1"
LANGS = {"en": "English", "zh-Hant": "Traditional Chinese as written in Hong Kong"}
_MARKER = re.compile(r"^(\s*(?:#{1,6}\s+|[-•*]\s+|\d+[.)]\s+)?)(.*)$")
_WORDLESS = re.compile(r"^[\W\d_]*$")


@dataclass
class Translation:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""
    glossary_used: list[dict[str, str]] = field(default_factory=list)
    glossary_missed: list[dict[str, str]] = field(default_factory=list)


def check_langs(source: str, target: str) -> None:
    if source not in LANGS or target not in LANGS or source == target:
        raise ValidationFailed(N_("Translate between en and zh-Hant, from one to the other."))


def prompt(text: str, source: str, target: str, terms: list[Term]) -> tuple[str, str]:
    system = (f"Translate this text from {LANGS[source]} into {LANGS[target]}. Keep names, "
              "numbers and dates as they are.")
    if terms:
        pairs = "; ".join(f"{t.en} = {t.zh}" for t in terms)
        system += f" Official translations of terms: {pairs}."
    return system, text


Translator = Callable[[str, str], tuple[str, int, int, str]]
"""``(system, user) -> (text, prompt_tokens, completion_tokens, model)``"""


def translate(text: str, source: str, target: str, glossary: list[Term],
              call: Translator) -> Translation:
    check_langs(source, target)
    result = Translation("")
    lines: list[str] = []
    used: dict[str, Term] = {}
    for line in text.splitlines():
        marker, words = _MARKER.match(line).groups()  # type: ignore[union-attr]
        if _WORDLESS.match(words):
            lines.append(line)
            continue
        terms = relevant(glossary, words, source)
        used.update({t.en: t for t in terms})
        system, user = prompt(words, source, target, terms)
        translated, prompt_tokens, completion_tokens, model = call(system, user)
        result.prompt_tokens += prompt_tokens
        result.completion_tokens += completion_tokens
        result.model = model
        lines.append(marker + " ".join(translated.split("\n")).strip())
    result.text = "\n".join(lines)
    for term in used.values():
        wanted = term.zh if target == "zh-Hant" else term.en
        pair = {"en": term.en, "zh-Hant": term.zh}
        hit = wanted in result.text if target == "zh-Hant" else \
            wanted.lower() in result.text.lower()
        (result.glossary_used if hit else result.glossary_missed).append(pair)
    return result
