"""Masking what callers say about themselves (HKID, phone, email...) before it is stored."""

from __future__ import annotations

import re

from aiplus.apps.enquiry.voice import redact
from aiplus.guard.pii import analyze, mask

# Speech recognition writes numbers its own way ("A123456 three", "9123.4567"), which the
# recognisers do not always accept; any run of six or more digits left in a transcript (single
# separators allowed) is masked anyway.
_LONG_DIGIT_RUN = re.compile(r"\d(?:[ .,\-]?\d){5,}")


def mask_personal_data(text: str) -> str:
    """``text`` with every personal-data span replaced by its masked form (``A12****(3)``)."""
    masked = text
    for entity in sorted(analyze(text), key=lambda e: e.start, reverse=True):
        masked = masked[:entity.start] + mask(entity.type, entity.text) + masked[entity.end:]
    return masked


def mask_transcript(text: str) -> str:
    """A transcript masked for storage: recognised personal data first (digit groups joined,
    as callers read numbers out), then whatever long digit runs remain."""
    return _LONG_DIGIT_RUN.sub(lambda m: m.group()[:2] + re.sub(r"\d", "*", m.group()[2:]),
                               redact(text))
