"""Personal data leaking out of a model's answer (HKID, phones, emails, cards, passports),
found by :func:`aiplus.guard.pii.analyze` and masked with :func:`aiplus.guard.pii.mask`."""

from __future__ import annotations

from aiplus.guard.contract import Direction, Finding, ScanResult
from aiplus.guard.pii import analyze, mask
from aiplus.guard.pii.entities import Entity

NAME = "pii_leak"
# PERSON and ADDRESS need a column hint to be reliable; free text uses the structured types.
TYPES = ("HKID", "PHONE", "EMAIL", "CREDIT_CARD", "PASSPORT")


def masked(text: str, entities: list[Entity]) -> str:
    """``text`` with each entity replaced by its masked rendering."""
    out, last = [], 0
    for entity in entities:
        out += [text[last:entity.start], mask(entity.type, entity.text)]
        last = entity.end
    return "".join(out) + text[last:]


def redact_pii(text: str) -> str:
    """The text with every structured personal-data value masked (for incidents and logs)."""
    return masked(text, analyze(text, TYPES))


class PiiLeakScanner:
    name = NAME
    directions = frozenset({Direction.OUTPUT})

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    def scan(self, text: str) -> ScanResult:
        entities = analyze(text, TYPES, min_score=self.threshold)
        if not entities:
            return ScanResult(text, True, 0.0)
        findings = tuple(Finding(NAME, e.type, round(e.score, 3), f"{e.type} in output",
                                 e.start, e.end) for e in entities)
        return ScanResult(masked(text, entities), False, max(e.score for e in entities), findings)
