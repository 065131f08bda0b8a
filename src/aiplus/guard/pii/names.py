"""Personal names in prose, by rule: Chinese names next to a title or an introduction,
confirmed by jieba's part-of-speech tags, and Hong Kong romanised names in English.

What a rule can and cannot do, honestly:

* Chinese - a common surname (``陳``, ``歐陽``...) plus one or two given characters is reported
  when a title follows (``陳大文先生``, ``李小姐``) or an introduction comes before (``我叫``,
  ``姓名：``, ``聯絡人``); with neither, only when jieba tags the word a personal name
  (``nr``), at a lower score. Names without a listed surname, or written without context in
  sentences jieba mis-segments, are missed.
* English - a title (``Mr``, ``Ms``, ``Dr``...) or "my name is" before capitalised words, and
  Hong Kong romanisations (``Chan Tai-man``, ``WONG Siu Ming``, ``Peter Lee``). Other names are
  left to the spaCy model (:mod:`aiplus.guard.pii.ner`). District names (``Wong Tai Sin``,
  ``Ho Man Tin``) look exactly like romanised names and are excluded by the area list.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from aiplus.guard.pii.base import Recogniser
from aiplus.guard.pii.entities import PERSON, Entity
from aiplus.guard.pii.lexicon import (
    AREA_WORDS_EN,
    AREAS_ZH,
    COMPOUND_SURNAMES,
    HAN,
    PLACE_WORDS,
    ROMAN_SURNAMES,
    SURNAMES,
)
from aiplus.guard.pii.text import fold

_ZH_TITLES = ("先生", "女士", "小姐", "太太", "醫生", "教授", "博士", "校長", "老師", "姑娘",
              "同學", "經理", "主任", "議員", "律師", "師傅")
_ZH_SURNAME_TITLES = ("先生", "女士", "小姐", "太太", "姑娘")  # "陳小姐"; not "區議員"
_ZH_INTROS = ("我叫", "我係", "我是", "本人", "叫做", "名叫", "姓名", "名字", "聯絡人", "申請人", "負責人", "病人", "客戶",
              "收件人", "投訴人", "持證人", "同事", "患者", "學生", "家長", "租客", "業主")
# characters that end a given name: grammar words and the first characters of common words
_ZH_STOPS = frozenset("的嘅係是已會同和及與話住今喺在於電身手想要將把被就也都又再嚟去來有冇無唔不"
                      "，。、：:；;（）() ")
_SURNAME = "|".join(COMPOUND_SURNAMES) + "|[" + "".join(sorted(SURNAMES)) + "]"
_TITLED = re.compile(rf"({_SURNAME})([{HAN}]{{0,2}}?)(?:{'|'.join(_ZH_TITLES)})")
_INTRO = re.compile(rf"(?:{'|'.join(_ZH_INTROS)})\s*[:：]?\s*(?:係|是|為|：)?\s*"
                    rf"({_SURNAME})([{HAN}]{{1,2}})")


def _given(chars: str) -> str:
    """The given name: up to the first character that cannot be part of one."""
    for index, char in enumerate(chars):
        if char in _ZH_STOPS or chars.startswith(_ZH_TITLES, index):
            return chars[:index]
    return chars


@cache
def _jieba() -> Any:
    """jieba's POS tagger, loaded once per process (about a second: it builds its dictionary)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg


class ChineseNameRecogniser(Recogniser):
    """Chinese personal names in free text (see the module docstring for the limits)."""

    entity_type = PERSON
    prose = True

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        if not re.search(f"[{HAN}]", text):
            return []
        folded = fold(text)
        found: list[Entity] = []
        for match in _TITLED.finditer(folded):
            given = match.group(2)
            if given and _given(given) != given:
                continue
            if not given and not folded.startswith(_ZH_SURNAME_TITLES, match.end(1)):
                continue
            score = 0.85 if given else 0.6  # "陳先生": a surname with a title
            found.append(self._entity(text, match.start(), match.end(2), score))
        for match in _INTRO.finditer(folded):
            given = _given(match.group(2))
            if given:
                found.append(self._entity(text, match.start(1), match.end(1) + len(given), 0.85))
        found.extend(self._tagged(text, folded))
        return found

    def _tagged(self, text: str, folded: str) -> list[Entity]:
        """Words jieba tags ``nr`` that start with a listed surname (``梁`` + ``美玲`` joined)."""
        found = []
        words = [(w, tag) for w, tag in _jieba().cut(folded)]
        position = 0
        for index, (word, tag) in enumerate(words):
            start, position = position, position + len(word)
            name = ""
            # two-character words tagged nr are too often a surname-like character plus a
            # noun ("張表": a form), so a tag alone needs three or four characters
            if tag == "nr" and 3 <= len(word) <= 4 and (
                    word[0] in SURNAMES or word.startswith(COMPOUND_SURNAMES)):
                name = word
            elif (word in SURNAMES or word in COMPOUND_SURNAMES) and index + 1 < len(words):
                following, following_tag = words[index + 1]
                if following_tag == "nr" and len(following) == 2:
                    name = word + following
            name = _given(name[:1]) and name[:1] + _given(name[1:])
            if len(name) >= 3 and name not in AREAS_ZH and not any(a in name for a in AREAS_ZH):
                found.append(self._entity(text, start, start + len(name), 0.6))
        return found


_CAP = r"(?:[A-Z][a-z'’]+(?:-[A-Za-z][a-z]+)?|[A-Z]{2,})"
_TITLE_EN = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mdm|Madam|Dr|Prof|Professor)\.?\s+"
                       rf"({_CAP}(?:\s+{_CAP}){{0,3}})")
_INTRO_EN = re.compile(
    rf"\b(?:[Mm]y name is|I am|I'm|[Nn]ame\s*:|[Cc]ontact person\s*:?|[Aa]pplicant\s*:?)\s+"
    rf"({_CAP}(?:\s+{_CAP}){{1,3}})")
_ROMAN = re.compile(rf"\b(?:({_CAP})\s+)?({_CAP})((?:\s+{_CAP}){{1,2}})?")


def _trim(words: list[str]) -> list[str]:
    """Drop trailing place/organisation words ("Chan Tai Man Sha Tin" keeps the person)."""
    while words and (words[-1].lower() in PLACE_WORDS or words[-1].lower() in AREA_WORDS_EN):
        words = words[:-1]
    return words


class EnglishNameRecogniser(Recogniser):
    """Titled, introduced and Hong Kong romanised names in English prose."""

    entity_type = PERSON
    prose = True

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        found: list[Entity] = []
        for pattern, score in ((_TITLE_EN, 0.85), (_INTRO_EN, 0.85)):
            for match in pattern.finditer(folded):
                found.extend(self._name(text, match.start(1), match.group(1), score))
        for match in _ROMAN.finditer(folded):
            found.extend(self._roman(text, match))
        return found

    def _name(self, text: str, start: int, value: str, score: float) -> list[Entity]:
        words = _trim(value.split())
        if not words or " ".join(words).lower() in AREA_WORDS_EN:
            return []
        end = start + len(" ".join(words))
        if text[start:end].split() != words:  # words were separated by more than one space
            return []
        return [self._entity(text, start, end, score)]

    def _roman(self, text: str, match: re.Match[str]) -> list[Entity]:
        """``Chan Tai-man``, ``WONG Siu Ming``, ``Peter Lee``: a romanised surname and at
        least one more capitalised word, none of them a place."""
        first, second, rest = match.group(1), match.group(2), match.group(3) or ""
        words = [w for w in (first, second, *rest.split()) if w]
        surname_at = next((i for i, w in enumerate(words) if w.lower() in ROMAN_SURNAMES), -1)
        if surname_at < 0 or len(words) < 2:
            return []
        lowered = " ".join(words).lower()
        if any(area in lowered for area in AREA_WORDS_EN if " " in area or area == lowered):
            return []
        if any(w.lower() in PLACE_WORDS for w in words) or words[0] in {
                "The", "Dear", "In", "On", "At", "To", "From", "For", "Please", "Call", "Tel", "Mr",
                "Mrs", "Ms", "Miss", "Dr", "Prof", "Madam", "Mdm"}:
            return []
        start = match.start(1) if first else match.start(2)
        return self._name(text, start, " ".join(words), 0.7)
