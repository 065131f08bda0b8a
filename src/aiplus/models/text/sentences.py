"""Sentences of English and Chinese text.

English sentences come from nupunkt (a Punkt model that ships with the package: NLTK's needs
data that cannot be downloaded offline); Chinese sentences end at full-width stops."""

from __future__ import annotations

import re

from aiplus.models.text.script import HAN_RE

_ZH_SENTENCE = re.compile(r"[^。！？；!?\n]+[。！？；!?]*[」』）)]*")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, whichever of the two languages each line is in."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if HAN_RE.search(line):
            out.extend(s.strip() for s in _ZH_SENTENCE.findall(line) if s.strip())
        else:
            import nupunkt

            out.extend(s.strip() for s in nupunkt.sent_tokenize(line) if s.strip())
    return out
