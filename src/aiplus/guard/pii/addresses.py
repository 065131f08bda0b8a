"""Hong Kong addresses in prose, English and Chinese, by a small grammar of address parts.

English addresses are read as a run of parts separated by commas or spaces - unit (``Flat
3A``, ``Rm 1203``), floor (``12/F``, ``3rd Floor``), block (``Block B``, ``Tower 2``), building
or estate (``Kornhill``-style names need a building word: ``Mei Foo Sun Chuen``, ``Lek Yuen
Estate``), street (``88 Nathan Road``) and area (the 18 districts and common areas, then
``Kowloon``/``Hong Kong``/``N.T.``). A run is an address when it has a street with a number,
or a unit/floor plus a building or street, or a building plus an area. Chinese addresses read
big to small: region, district, street + 號, building/estate (大廈, 中心, 邨, 苑, 花園...), 座,
樓, 室; two parts or more make an address. A lone district (``住喺沙田``) is a place, not an
address, and is not reported.
"""

from __future__ import annotations

import re

from aiplus.guard.pii.base import Recogniser
from aiplus.guard.pii.entities import ADDRESS, Entity
from aiplus.guard.pii.lexicon import AREAS_EN, AREAS_ZH, HAN
from aiplus.guard.pii.text import fold

_W = r"[A-Z][A-Za-z'’]+"
_EN_PARTS = {
    "unit": r"(?:Flat|Flt|Room|Rm|Unit|Shop|Suite)\.?\s*[A-Z0-9]{1,5}\b",
    "floor": r"(?:(?:[0-9]{1,3}|G|LG|UG)/F\b\.?|[0-9]{1,3}(?:st|nd|rd|th)\s+Floor\b|"
             r"(?:Ground|Upper Ground|Lower Ground)\s+Floor\b|Floor\s+[0-9]{1,3}\b)",
    "block": r"(?:Block|Blk|Tower|Phase)\.?\s*[A-Z0-9]{1,3}\b",
    "street": rf"(?:[0-9]{{1,4}}[A-Z]?(?:-[0-9]{{1,4}}[A-Z]?)?\s+)?(?:{_W}\s+){{0,3}}"
              r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Path|Drive|Terrace|Crescent|Square|"
              r"Praya|Circuit|Boulevard)\b\.?(?:\s+(?:North|South|East|West|Central)\b)?",
    "building": rf"(?:{_W}\s+){{1,4}}(?:Building|Bldg|House|Court|Mansion|Mansions|Centre|"
                r"Center|Tower|Towers|Plaza|Gardens?|Estate|Villa|Villas|Heights|Place|Lodge|"
                r"Chuen|Hall|Garden|Square|City|Park|Court)\b\.?",
    "area": "(?:" + "|".join(sorted((re.escape(a) for a in AREAS_EN), key=len, reverse=True))
            + r")\b(?:,?\s*(?:N\.?T\.?|Kowloon|Hong Kong|New Territories)\b)?",
    # a building name without a building word ("Metro Harbour View"): counts only between
    # other parts, never at either end of a run
    "name": rf"{_W}(?:\s+{_W}){{0,3}}",
}
_EN_PART = re.compile("|".join(f"(?P<{kind}>{p})" for kind, p in _EN_PARTS.items()))
_EN_GAP = re.compile(r"[ ,]{0,3}")

_NUM = "[0-9一二三四五六七八九十百]"
_ZH_ADDRESS = re.compile(
    r"(?P<region>香港|九龍|新界)?"
    rf"(?P<district>{'|'.join(sorted(AREAS_ZH, key=len, reverse=True))})?"
    rf"(?P<street>[{HAN}]{{1,5}}?(?:道|街|路|里|徑|坊|圍)(?:[東南西北中])?)?"
    r"(?P<number>[0-9]{1,4}(?:-[0-9]{1,4})?號)?"
    rf"(?P<building>(?:[{HAN}A-Za-z]{{1,8}}?(?:大廈|中心|廣場|花園|苑|邨|閣|軒|城|大樓|商場|村|山莊|樓))+)?"
    rf"(?P<block>第?[A-Z0-9一二三四五六七八九十]{{1,3}}座)?"
    rf"(?P<floor>{_NUM}{{1,3}}樓|地下|地庫)?"
    r"(?P<room>[A-Z0-9]{1,4}(?:室|號室|號舖|舖)|[A-Z]座)?"
)
_ZH_CORE = ("street", "building")
_ZH_DETAIL = ("number", "block", "floor", "room")


class AddressTextRecogniser(Recogniser):
    """Hong Kong addresses in free text (English and Chinese)."""

    entity_type = ADDRESS
    prose = True
    context_words = ("address", "live", "lives", "living", "located", "deliver", "地址", "住址",
                     "住", "搬", "寄", "送")

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        folded = fold(text)
        return self._english(text, folded) + self._chinese(text, folded)

    def _english(self, text: str, folded: str) -> list[Entity]:
        found = []
        run: list[re.Match[str]] = []
        for match in [*_EN_PART.finditer(folded), None]:
            if match is not None and run and _EN_GAP.fullmatch(folded[run[-1].end():match.start()]):
                run.append(match)
                continue
            if run:
                found.extend(self._english_run(text, folded, run))
            run = [match] if match is not None else []
        return found

    def _english_run(self, text: str, folded: str, run: list[re.Match[str]]) -> list[Entity]:
        while run and run[0].lastgroup == "name":
            run = run[1:]
        while run and run[-1].lastgroup == "name":
            run = run[:-1]
        if not run:
            return []
        kinds = [m.lastgroup for m in run]
        numbered_street = any(k == "street" and m.group(0)[0].isdigit()
                              for k, m in zip(kinds, run, strict=True))
        detail = {"unit", "floor", "block"} & set(kinds)
        place = {"street", "building"} & set(kinds)
        if numbered_street and len(run) >= 2 or detail and place or (
                "building" in kinds and "area" in kinds):
            score = 0.85 if detail else 0.75
        elif numbered_street and self.has_context(folded, run[0].start(), None, size=40):
            score = 0.7
        else:
            return []
        return [self._entity(text, run[0].start(), run[-1].end(), score)]

    def _chinese(self, text: str, folded: str) -> list[Entity]:
        """Tried at every Han position (a failed attempt must not swallow the real start, as
        in ``住喺沙田瀝源邨``); the first address found is kept and the search goes on after it."""
        found, position = [], 0
        while position < len(folded):
            match = _ZH_ADDRESS.match(folded, position)
            parts = {k for k, v in match.groupdict().items() if v} if match else set()
            core, detail = parts & set(_ZH_CORE), parts & set(_ZH_DETAIL)
            if not core or len(parts) < 2 or not (detail or parts & {"region", "district"}):
                position += 1
                continue
            start = match.start()
            if "region" not in parts and "district" not in parts:
                start = self._core_start(match)
            score = 0.85 if parts & {"floor", "room", "block"} else 0.75
            found.append(self._entity(text, start, match.end(), score))
            position = match.end()
        return found

    @staticmethod
    def _core_start(match: re.Match[str]) -> int:
        """Where a street or building name without a district in front really starts: after a
        context word or grammar character that the lazy pattern swallowed (``我住喺彌敦道`` ->
        ``彌敦道``)."""
        core = "street" if match.group("street") else "building"
        head = match.string[match.start():match.end(core)]
        cut = 0
        for marker in ("地址", "住址", "住喺", "住在", "喺", "在", "於", "係", "是", "到", "去", "我", "住"):
            at = head.rfind(marker)
            if at >= 0 and at + len(marker) < len(head) - 1:
                cut = max(cut, at + len(marker))
        return match.start() + cut
