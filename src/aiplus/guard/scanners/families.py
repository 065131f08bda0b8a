"""Template families: the ordinary requests an assistant receives, and Chinese/Cantonese attacks.

The packaged injection corpora teach a classifier that imperative phrasing means attack: their
benign side is mostly questions, their attack side mostly commands. A gateway, though, mostly
receives commands ("Summarise this", "Reply with one word", 「請翻譯成英文」). Each
:class:`Family` is one kind of request written as a few templates with slots; filling the
slots from varied fillers gives many distinct rows per family. The templates and fillers are
data, in ``families.yaml`` beside this module, read once and checked: a template naming a
slot without fillers fails when the file is read, not in the middle of building a corpus.

Families, not rows, are the unit of the train/validation/test split (see :mod:`corpus`):
a held-out family's phrasing is never seen in training, so the held-out figures measure
whether the model generalises to a kind of request, not whether it remembers a template.
All their text is written by the AI Plus team (CC0).
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from aiplus.core.datafiles import load_yaml

SEED = 2026
PER_FAMILY = 60
LANGUAGES = ("en", "zh-Hant", "yue")


@dataclass(frozen=True)
class Family:
    name: str
    label: int  # 1 = attack, 0 = benign
    lang: str  # en, zh-Hant or yue
    templates: tuple[str, ...]
    # Families are split within their stratum; a new stratum leaves older splits unchanged.
    stratum: str = "request"


Words = Annotated[tuple[Annotated[str, StringConstraints(strict=True, min_length=1)], ...],
                  Field(min_length=1)]
Named = dict[str, dict[str, Words]]
"""Per language, named lists: of fillers (by slot) or of templates (by family)."""


class FamilyFile(BaseModel):
    """``families.yaml``: the templates of each section and the fillers their slots take."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fillers: Named
    benign: Named
    chat_fillers: Named
    chat: Named
    attack_fillers: Named
    attacks: Named
    payloads: Words

    def families(self) -> tuple[Family, ...]:
        """Every benign and attack family, in a fixed order."""
        found = [Family(f"{lang}/{name}", 0, lang, templates)
                 for lang, named in self.benign.items() for name, templates in named.items()]
        found += [Family(f"{lang}/chat_{name}", 0, lang, templates, "chat")
                  for lang, named in self.chat.items() for name, templates in named.items()]
        found += [Family(f"{lang}/attack_{name}", 1, lang, templates)
                  for lang, named in self.attacks.items() for name, templates in named.items()]
        return tuple(found)

    def fillers_of(self, family: Family) -> dict[str, tuple[str, ...]]:
        """The fillers a family's slots take: its stratum's, and for attacks also what the
        attacker wants and the payloads, base64-encoded as ``{b64}``."""
        if family.stratum == "chat":
            return dict(self.chat_fillers.get(family.lang, {}))
        fillers = dict(self.fillers.get(family.lang, {}))
        if family.label == 1:
            fillers.update(self.attack_fillers.get(family.lang, {}))
            fillers["b64"] = tuple(base64.b64encode(p.encode()).decode() for p in self.payloads)
        return fillers

    @model_validator(mode="after")
    def _every_slot_has_fillers(self) -> FamilyFile:
        """Languages are known, and every slot a template names has fillers."""
        problems = [f"{section}.{lang}: not one of {', '.join(LANGUAGES)}"
                    for section, named in self if isinstance(named, dict)
                    for lang in named if lang not in LANGUAGES]
        for family in self.families():
            fillers = self.fillers_of(family)
            for template in family.templates:
                try:
                    missing = sorted(set(_slots(template)) - set(fillers))
                except ValueError as bad:
                    problems.append(f"{family.name}: template {template!r}: {bad}")
                    continue
                if missing:
                    problems.append(f"{family.name}: template {template!r} names slots "
                                    f"without fillers: {', '.join(missing)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


@cache
def _loaded() -> FamilyFile:
    return load_yaml(__package__ or __name__, "families.yaml", FamilyFile)


def families() -> tuple[Family, ...]:
    """Every benign and attack family, in a fixed order."""
    return _loaded().families()


def _slots(template: str) -> list[str]:
    return [field for _, field, _, _ in string.Formatter().parse(template) if field]


def expand(family: Family, limit: int = PER_FAMILY) -> Iterator[str]:
    """Up to ``limit`` distinct texts of ``family``, the same ones on every run."""
    rng = random.Random(f"{SEED}:{family.name}")
    fillers = _loaded().fillers_of(family)
    seen: set[str] = set()
    for _ in range(limit * 20):
        template = rng.choice(family.templates)
        text = template.format(**{slot: rng.choice(fillers[slot]) for slot in _slots(template)})
        if text not in seen:
            seen.add(text)
            yield text
            if len(seen) >= limit:
                return
