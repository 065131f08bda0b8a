"""The figures and names a sentence states, in a form that compares across languages and
number formats, so a citation check can ask "does the cited passage say this figure?".

Embedding similarity cannot tell "1.5 million" from "3 000" in an otherwise on-topic
sentence; this module can: "1.5 million", "1,500,000", "1 500 000", "150萬" and
"一百五十萬" are one value; "HK$3 billion" and "30億元" another; "38%", "38 per cent" and
"百分之三十八" one percentage; "October 1990" and "1990年10月" the same two numbers. Names are
acronyms ("HKGAI"), runs of capitalised words ("Quality Education Fund") and Chinese titles
in 「」 or 《》 quotes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

_MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_EN_SCALE = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
             "trillion": 1e12}
_ZH_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"萬": 1e4, "万": 1e4, "億": 1e8, "亿": 1e8}
_ZH_SCALE = re.compile(r"[十百千]?[萬万億亿]|[百千]")
_ZH_RUN = "[零〇一二兩两三四五六七八九十百千萬万億亿]"

# An Arabic number (with , or thin-space thousands) or a run of Chinese numerals; then an
# optional scale word and an optional percent sign. "百分之" before a number is a percentage.
_NUMBER = re.compile(
    r"(?P<pct_before>百分之)?"
    r"(?:(?P<arabic>(?<![\d.])\d{1,3}(?:(?:,| )\d{3})+(?:\.\d+)?(?!\d)|(?<![\d.])\d+(?:\.\d+)?)"
    rf"|(?P<chinese>{_ZH_RUN}{{2,}}))"
    r"(?:\s?(?P<scale_en>thousand|million|billion|trillion|mn|bn)\b"
    r"|(?P<scale_zh>[十百千]?[萬万億亿]|[百千](?![萬万億亿])))?"
    r"(?P<pct_after>\s?%|\s?per\s?cent\b|\s?percent\b)?",
    re.IGNORECASE)
_MONTH = re.compile(r"\b(January|February|March|April|June|July|August|September|October|"
                    r"November|December)\b|\b(May)\b(?=\s+\d)|(?<=\d\s)(May)\b")
_ENUMERATOR = re.compile(r"^\s*(?:\d{1,2}[.)]|\(\d{1,2}\))\s+", re.MULTILINE)
# The model pointing at its passages ("according to passage 2", 「根據第1段」) states no figure.
_POINTER = re.compile(r"\b(?:passages?|paragraphs?|pages?)\s+\d{1,2}\b|第\s?\d{1,2}\s?[段章頁页]",
                      re.IGNORECASE)
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*\b")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[ -](?:of|and|for|the|on)?\s?[A-Z][a-z]+)+\b")
_QUOTED = re.compile(r"[「《]([^」》]{2,30})[」》]")
_LEADING = {"The", "A", "An", "In", "By", "On", "At", "As", "Under", "According", "Since",
            "From", "For", "This", "These", "Its", "It", "To", "Yes", "No"}
_WORD = re.compile(r"[a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Figure:
    """A number as stated: its value (scale words applied) and whether it is a percentage."""

    value: float
    percent: bool = False

    def same(self, other: Figure) -> bool:
        return self.percent == other.percent and math.isclose(self.value, other.value,
                                                              rel_tol=1e-9, abs_tol=1e-9)


def chinese_number(run: str) -> float | None:
    """The value of a run of Chinese numerals ("一百五十萬" 1,500,000, "千萬" 10,000,000,
    "二零二四" 2024), or None when the run is not a number ("萬一")."""
    if run[0] in _ZH_BIG:
        return None
    if all(ch in _ZH_DIGIT for ch in run):
        return float("".join(str(_ZH_DIGIT[ch]) for ch in run))
    result, section, number = 0.0, 0.0, 0
    for ch in run:
        if ch in _ZH_DIGIT:
            number = _ZH_DIGIT[ch]
        elif ch in _ZH_SMALL:
            section += (number or 1) * _ZH_SMALL[ch]
            number = 0
        else:
            section += number
            number = 0
            if _ZH_BIG[ch] == 1e8:
                result, section = (result + section) * 1e8, 0.0
            else:
                result, section = result + section * 1e4, 0.0
    value = result + section + number
    return value or None


def _arabic(text: str) -> float:
    return float(re.sub(r"[, ]", "", text))


def _scale(match: re.Match[str]) -> float:
    if match["scale_en"]:
        return _EN_SCALE[match["scale_en"].lower()]
    if match["scale_zh"]:
        return chinese_number("一" + match["scale_zh"]) or 1.0
    return 1.0


def figures(text: str) -> list[Figure]:
    """Every figure ``text`` states, in order. List enumerators ("1. ") and pointers to a
    passage ("passage 2", 「第1段」) are not figures; the caller removes citation markers."""
    text = _POINTER.sub(" ", _ENUMERATOR.sub("", unicodedata.normalize("NFKC", text)))
    found: list[Figure] = []
    for match in _NUMBER.finditer(text):
        value = (_arabic(match["arabic"]) if match["arabic"]
                 else chinese_number(match["chinese"]))
        if value is None:
            continue
        percent = bool(match["pct_before"] or match["pct_after"])
        found.append(Figure(value * _scale(match), percent))
    for match in _MONTH.finditer(text):
        found.append(Figure(float(_MONTHS[next(g for g in match.groups() if g).lower()])))
    return found


def names(text: str) -> list[str]:
    """Proper names ``text`` states: acronyms, runs of capitalised words (not a sentence's
    first word alone) and Chinese titles in 「」/《》."""
    text = unicodedata.normalize("NFKC", text)
    found = [m.group(0) for m in _ACRONYM.finditer(text) if len(m.group(0)) >= 3]
    for match in _CAPITALISED.finditer(text):
        words = match.group(0).split()
        if words[0] in _LEADING:
            words = words[1:]
        if len(words) >= 2:
            found.append(" ".join(words))
    found += [m.group(1) for m in _QUOTED.finditer(text)]
    return list(dict.fromkeys(found))


def name_in(name: str, passage: str) -> bool | None:
    """Whether ``passage`` states ``name`` (every word of it, in any order, any case); None
    when the name is in the other script from the passage and cannot be compared."""
    passage = unicodedata.normalize("NFKC", passage)
    if _HAN.search(name):
        return name in passage if _HAN.search(passage) else None
    words = set(_WORD.findall(passage.lower()))
    if not words - set(re.findall(r"\d+", passage)):
        return None
    return all(word in words for word in _WORD.findall(name.lower()))


def missing(sentence: str, passage: str) -> list[str]:
    """The figures and names ``sentence`` states that ``passage`` does not (empty when the
    passage holds all of them)."""
    stated = figures(passage)
    absent = [_show(f) for f in figures(sentence) if not any(f.same(s) for s in stated)]
    return absent + [n for n in names(sentence) if name_in(n, passage) is False]


def _show(figure: Figure) -> str:
    value = f"{figure.value:,.6f}".rstrip("0").rstrip(".")
    return value + ("%" if figure.percent else "")
