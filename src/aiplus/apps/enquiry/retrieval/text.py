"""Language detection, normalisation and segmentation for bilingual, colloquial queries.

Citizens write English, Traditional Chinese, colloquial Cantonese and mixtures of the three
(「renew 身份證要幾錢」). Lexical matching only works if all of them land in one token space:

* Colloquial Cantonese is first mapped to standard written Chinese (「點樣」->「怎樣」, see
  :mod:`.cantonese`) so that a spoken-style query meets the written FAQ on the same words.
* Chinese runs are then converted to Simplified with OpenCC ``t2s`` because jieba's dictionary is
  Simplified and segments Traditional text badly; jieba's dictionary is enriched with the
  multi-character words of the HKCanCor corpus that ships with pycantonese, so Cantonese words
  such as 「唔見」「點樣」 stay whole instead of falling apart into single characters.
* Chinese runs also contribute character bigrams: a query and an FAQ often share 「身份」「份證」
  even when jieba cuts the two differently (the standard trick of Chinese IR).
* English words are lower-cased, stop words dropped and a light suffix stemmer folds
  "renewing/renewed/renews" together (no stemming library ships offline here).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache

from aiplus.apps.enquiry.retrieval.cantonese import to_written_chinese

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_RUN_RE = re.compile(f"[{_HAN}]+|[a-z0-9]+(?:'[a-z]+)?")
_LETTER_RE = re.compile(f"[a-zA-Z{_HAN}]")
# Function words and sentence particles of written Chinese and Cantonese (in Simplified, as
# compared after t2s): they carry no subject, and Cantonese uses many of them.
_ZH_STOP = frozenset(
    "的 了 吗 呢 吧 啊 呀 嘅 咗 㗎 啦 喇 嘢 咩 嗎 喎 噃 咁 就 都 我 你 佢 我们 你们 要 想 是 系 有 和 及 "
    "或 在 喺 去 请 问 可以 可唔可以 能 会 唔 不 冇 没有 点 怎样 怎么 如何 点样 什么 甚么 乜 哪 边度 "
    "吗 么 啲 个 嗰 呢个 这 这个 那 一 些 多 几 为 之 与 着 过 而 等 对 到 从".split()
)
# Function words only: scikit-learn's list also drops content words a citizen needs ("bill",
# "fire", "move", "call", "system").
_EN_STOP = frozenset(
    "a an the and or but if of to in on at by for from with about as into than then so "
    "i me my we our you your he she it its they them their this that these those there here "
    "is am are was were be been being do does did doing have has had having can could will "
    "would shall should may might must not no yes what which who whom whose when where why how "
    "any some all each also just only very too again please want need i'm it's hk hong kong".split()
)
_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("sses", "ss"), ("xes", "x"), ("ches", "ch"),
             ("shes", "sh"), ("s", ""))


def detect_language(text: str) -> str:
    """``"zh-Hant"`` when Han characters make up at least a fifth of the letters, else ``"en"``.

    A fifth, not a half: code-mixed Cantonese («renew 身份證要幾錢») is mostly Latin letters by
    count yet is a Chinese sentence, and the reply should come back in Chinese."""
    letters = _LETTER_RE.findall(text)
    if not letters:
        return "en"
    han = sum(1 for ch in letters if _HAN_RE.match(ch))
    return "zh-Hant" if han / len(letters) >= 0.2 else "en"


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII), lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


@cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


_converter_lock = threading.Lock()


def to_simplified(text: str) -> str:
    """Traditional to Simplified characters (OpenCC is not documented as thread-safe)."""
    with _converter_lock:
        return _converter().convert(text)


def matching_form(text: str) -> str:
    """The form of ``text`` that the embedding model sees: colloquial Cantonese in written
    Chinese, in Simplified characters. Multilingual E5 saw far more Simplified than Traditional
    and far more written than spoken Chinese; on the dev set this lifts cross-lingual P@1 from
    0.74 to 0.86 (both sides of every comparison get the same form, so nothing is lost)."""
    return to_simplified(to_written_chinese(text)) if _HAN_RE.search(text) else text


@cache
def _jieba():  # type: ignore[no-untyped-def]
    """A private jieba tokenizer (the global one is shared with other code) whose dictionary
    also holds HKCanCor's multi-character Cantonese words."""
    import logging

    import jieba
    import pycantonese

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    counts: dict[str, int] = {}
    for word in pycantonese.hkcancor().words():
        if len(word) > 1 and _HAN_RE.match(word[0]):
            counts[word] = counts.get(word, 0) + 1
    for word, count in counts.items():
        if count >= 2:
            tokenizer.add_word(to_simplified(word), freq=max(count * 50, 100))
    return tokenizer


_jieba_lock = threading.Lock()


def stem(word: str) -> str:
    """Strip one common English suffix (keeping a stem of three letters or more), then a
    final silent "e", so licence/licences/licensed-style variants meet."""
    if not word.endswith("ss"):
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 3:
                word = word[: -len(suffix)] + replacement
                break
    return word[:-1] if word.endswith("e") and not word.endswith("ee") and len(word) >= 4 else word


def segment(text: str) -> list[str]:
    """Lexical tokens of ``text`` in any of the supported languages (see the module doc)."""
    tokens: list[str] = []
    for run in _RUN_RE.findall(normalise(text)):
        if _HAN_RE.match(run):
            simplified = to_simplified(to_written_chinese(run))
            if not simplified:
                continue
            with _jieba_lock:
                words = _jieba().lcut(simplified)
            tokens.extend(w for w in words if w not in _ZH_STOP)
            tokens.extend(simplified[i : i + 2] for i in range(len(simplified) - 1))
            if len(simplified) == 1 and simplified not in _ZH_STOP:
                tokens.append(simplified)
        elif run not in _EN_STOP:
            tokens.append(stem(run))
    return tokens
