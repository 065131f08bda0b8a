"""Simplified conversion and word segmentation of Chinese runs.

jieba's dictionary is Simplified and cuts Traditional text badly, so Chinese is converted with
OpenCC ``t2s`` first. The tokenizer is private (the global jieba one is shared with whatever
else imports jieba) and its dictionary also holds the multi-character words of the HKCanCor
corpus that ships with pycantonese, so Cantonese words such as 「唔見」「點樣」 stay whole
instead of falling apart into single characters. Neither OpenCC nor jieba is documented as
thread-safe, hence the locks."""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from aiplus.models.text.script import HAN_RE

# A HKCanCor word joins the dictionary when seen at least this often (rarer ones are mostly
# transcription noise), with a frequency that lets it beat jieba's single characters.
_MIN_COUNT = 2
_FREQ_PER_COUNT, _MIN_FREQ = 50, 100

_converter_lock = threading.Lock()
_jieba_lock = threading.Lock()


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to Simplified characters."""
    with _converter_lock:
        return str(_converter().convert(text))


@cache
def _jieba() -> Any:
    import logging

    import jieba
    import pycantonese

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    counts: dict[str, int] = {}
    for word in pycantonese.hkcancor().words():
        if len(word) > 1 and HAN_RE.match(word[0]):
            counts[word] = counts.get(word, 0) + 1
    for word, count in counts.items():
        if count >= _MIN_COUNT:
            tokenizer.add_word(to_simplified(word), freq=max(count * _FREQ_PER_COUNT, _MIN_FREQ))
    return tokenizer


def chinese_words(simplified: str) -> list[str]:
    """jieba's words of a Chinese run already in Simplified characters (blanks dropped)."""
    with _jieba_lock:
        words = _jieba().lcut(simplified)
    return [w for w in words if w.strip()]
