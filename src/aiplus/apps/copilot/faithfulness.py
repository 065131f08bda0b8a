"""Is each sentence of an answer or summary supported by the passages it rests on?

Each output sentence is embedded (multilingual E5) and compared with the source passages;
its support is the best cosine. A sentence below the threshold is flagged for the officer to
check. Embedding similarity is a screen, not proof: it catches sentences about something the
sources never mention, not a wrong number in an otherwise on-topic sentence; the citation
check (:mod:`.citations`) catches those and :func:`overrule` carries its verdict here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from aiplus.models import embeddings
from aiplus.models.text import sentences

_CITATION = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Check:
    sentence: str
    support: float
    supported: bool

    def as_dict(self) -> dict[str, object]:
        return {"sentence": self.sentence, "support": round(self.support, 4),
                "supported": self.supported}


def check(output: str, sources: np.ndarray, threshold: float) -> list[Check]:
    """One verdict per sentence of ``output`` against source passage vectors (rows)."""
    said = [s for s in (_CITATION.sub("", line).strip(" •-\t") for line in sentences(output))
            if len(s) > 3]
    if not said or sources.size == 0:
        return [Check(s, 0.0, False) for s in said]
    best = similarities(said, sources).max(axis=1)
    return [Check(s, float(b), bool(b >= threshold)) for s, b in zip(said, best, strict=True)]


def similarities(said: list[str], sources: np.ndarray) -> np.ndarray:
    """Cosine of each sentence (rows) to each source passage vector (columns)."""
    if not said or sources.size == 0:
        return np.zeros((len(said), len(sources)))
    return embeddings.encode(said, is_query=True) @ sources.T  # type: ignore[no-any-return]


def overrule(checks: list[Check], unsupported: list[str]) -> list[Check]:
    """The checks with every sentence another test found unsupported (a figure no cited
    passage states) marked so, whatever its similarity."""
    def doubted(sentence: str) -> bool:
        return any(u in sentence or sentence in u for u in unsupported)

    return [Check(c.sentence, c.support, c.supported and not doubted(c.sentence))
            for c in checks]


def summary(checks: list[Check]) -> dict[str, object]:
    supported = sum(c.supported for c in checks)
    return {"sentences": len(checks), "supported": supported,
            "share": round(supported / len(checks), 4) if checks else None,
            "checks": [c.as_dict() for c in checks]}
