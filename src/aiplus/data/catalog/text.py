"""Search text for English and Chinese: one normaliser for documents and queries alike.

jieba segments Simplified Chinese far better than Traditional, so Chinese is converted with
OpenCC ``t2s`` first and segmented in search mode (overlapping words: 天文台 → 天文, 文台,
天文台). Latin text is lower-cased and split on non-word characters. The same function runs
on documents and on queries, so a Traditional query finds a Traditional title and a
Simplified query finds it too.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import jieba
import opencc

_WORD = re.compile(r"[0-9a-z]+(?:['._-][0-9a-z]+)*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_STOP = frozenset({"的", "及", "和", "与", "或", "在", "了", "the", "and", "of", "a", "an",
                   "to", "in", "for", "on", "by", "with", "is"})
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    with _lock:
        tokenizer.initialize()
    return tokenizer


def tokens(text: str) -> list[str]:
    """Search tokens of ``text``: lower-case words and segmented (Simplified) Chinese."""
    if not text:
        return []
    simplified = _converter().convert(text.lower())
    found: list[str] = []
    position = 0
    for match in _CJK.finditer(simplified):
        found.extend(_WORD.findall(simplified[position:match.start()]))
        found.extend(w for w in _jieba().cut_for_search(match.group()) if w.strip())
        position = match.end()
    found.extend(_WORD.findall(simplified[position:]))
    return [token for token in found if token not in _STOP]


def document(*parts: str) -> str:
    """The indexed body for a dataset: every part's tokens joined by spaces."""
    return " ".join(token for part in parts for token in tokens(part))
