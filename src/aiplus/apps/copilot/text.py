"""Language, sentences and lexical tokens for English and Chinese documents.

English sentences come from nupunkt (a Punkt model that ships with the package: sumy's own
English splitter needs NLTK data that cannot be downloaded offline); Chinese sentences end at
full-width stops. Lexical tokens: lower-cased English words, and jieba words of Chinese after
OpenCC ``t2s`` (jieba's dictionary is Simplified and cuts Traditional text badly).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_ZH_SENTENCE = re.compile(r"[^。！？；!?\n]+[。！？；!?]*[」』）)]*")
_TOKEN = re.compile(f"[{_HAN}]+|[a-z0-9]+(?:'[a-z]+)?")


def letters(text: str) -> tuple[int, int, int]:
    """Counts of Han characters, Latin letters and letters of any other script."""
    han = latin = other = 0
    for char in text:
        if _HAN_RE.match(char):
            han += 1
        elif char.isalpha():
            if "LATIN" in unicodedata.name(char, ""):
                latin += 1
            else:
                other += 1
    return han, latin, other


def language_of(text: str) -> str | None:
    """``zh-Hant``, ``en`` or None when the text is mostly in another script (unsupported).
    A Chinese character carries about as much as an English word, hence the weight of 4."""
    han, latin, other = letters(text)
    if other > (han + latin):
        return None
    if han == 0 and latin == 0:
        return None
    return "zh-Hant" if han * 4 >= latin else "en"


@cache
def _to_simplified() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, whichever of the two languages it is in."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if _HAN_RE.search(line):
            out.extend(s.strip() for s in _ZH_SENTENCE.findall(line) if s.strip())
        else:
            import nupunkt

            out.extend(s.strip() for s in nupunkt.sent_tokenize(line) if s.strip())
    return out


def tokens(text: str) -> list[str]:
    """Lexical tokens for BM25 and LexRank: English words and jieba's Chinese words."""
    import jieba

    out: list[str] = []
    for run in _TOKEN.findall(text.lower()):
        if _HAN_RE.match(run):
            out.extend(w for w in jieba.lcut(_to_simplified().convert(run)) if w.strip())
        else:
            out.append(run)
    return out
