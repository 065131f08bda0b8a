"""Citations that hold: every passage an answer cites must support the sentence citing it.

The model cites passages by number ("[2]"), and a small model often cites the passage it read
last rather than the one holding the figure it states. Each sentence of the answer is checked
against each passage it cites, by two tests that catch different failures:

* the figures and names it states (:mod:`.figures`: "1.5 million" = "150萬", "HK$3 billion"
  = "30億元", "38%" = "百分之三十八") must all appear in the cited passages;
* its embedding must be close to the passage's (the faithfulness screen), so a passage that
  merely shares a year with the sentence does not count.

A cited passage that fails is replaced by the retrieved passage that passes (the closest one
when several do); when none does, the sentence loses its markers and is marked unsupported for
the officer to check. A sentence that states a figure without citing anything gets the
passage that holds it, or is marked unsupported when no passage does: a wrong figure in an
on-topic sentence is the error the embedding screen alone misses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from aiplus.apps.copilot import faithfulness, figures

_HAN = re.compile(r"[\u3400-\u9fff]")
_ENUMERATOR = re.compile(r"\s*\d{1,2}[.)]")
_MARKER = re.compile(r"\s?\[(\d{1,2}(?:\s*[,，]\s*\d{1,2})*)\]")
# A sentence ends at . ! ? (not a decimal point), a Chinese full stop or a line break, and
# takes with it closing quotes and the markers written right after it ("…2026. [1]").
_END = re.compile(r"(?:[.!?](?!\d)|[。！？]|\n)[\"'」』）)]*(?:\s?\[\d{1,2}(?:\s*[,，]\s*\d{1,2})*\])*")


@dataclass(frozen=True)
class Verdict:
    """What the check found for one sentence that cites passages or states a figure."""

    sentence: str
    cited: list[int]
    kept: list[int]
    added: list[int]
    supported: bool
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"sentence": self.sentence, "cited": self.cited, "kept": self.kept,
                "added": self.added, "supported": self.supported, "missing": self.missing}


@dataclass(frozen=True)
class Checked:
    text: str
    verdicts: list[Verdict]

    def unsupported(self) -> list[str]:
        return [v.sentence for v in self.verdicts if not v.supported]

    def summary(self) -> dict[str, object]:
        """Counts of the model's markers kept, replaced (re-cited) and dropped, and of
        markers added to sentences that cited nothing."""
        verdicts = self.verdicts
        return {"markers": sum(len(v.cited) for v in verdicts),
                "kept": sum(len(v.kept) for v in verdicts),
                "recited": sum(len(v.added) for v in verdicts if v.cited),
                "added": sum(len(v.added) for v in verdicts if not v.cited),
                "dropped": sum(len(set(v.cited)) - len(v.kept) for v in verdicts
                               if not v.added),
                "unsupported": self.unsupported(),
                "checks": [v.as_dict() for v in self.verdicts]}


def spans(text: str) -> list[str]:
    """``text`` cut into sentences that keep their markers; joined, they give ``text`` back."""
    pieces, start = [], 0
    for match in _END.finditer(text):
        if _ENUMERATOR.fullmatch(text[start:match.end()]):
            continue  # "1." opening a list item is not a sentence
        pieces.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def markers(sentence: str) -> list[int]:
    return [int(n) for group in _MARKER.findall(sentence) for n in re.split(r"[,，]", group)]


def plain(sentence: str) -> str:
    """The sentence without its citation markers or list bullets."""
    return _MARKER.sub("", sentence).strip(" •-*\t\n")


@dataclass(frozen=True)
class Support:
    """How well each retrieved passage supports one sentence."""

    gaps: list[list[str]]  # per passage: the sentence's figures and names it lacks
    similarity: np.ndarray  # per passage: cosine to the sentence
    stated: bool  # whether the sentence states any figure or name at all

    def holds(self, number: int, floor: float, threshold: float) -> bool:
        if not 0 < number <= len(self.gaps):
            return False
        similarity = float(self.similarity[number - 1])
        if self.stated:
            return not self.gaps[number - 1] and similarity >= floor
        return similarity >= threshold

    def jointly(self, numbers: list[int], floor: float) -> bool:
        """Whether several cited passages together hold every figure and name (a sentence
        may join facts from two passages), each of them close enough to the sentence."""
        valid = [n for n in dict.fromkeys(numbers) if 0 < n <= len(self.gaps)]
        if len(valid) < 2 or not self.stated:
            return False
        lacking = set.intersection(*(set(self.gaps[n - 1]) for n in valid))
        return not lacking and all(float(self.similarity[n - 1]) >= floor for n in valid)


def check(answer: str, passages: list[str], vectors: np.ndarray, threshold: float,
          floor: float) -> Checked:
    """Re-cite or un-cite every sentence of ``answer`` whose cited passage (numbered from 1,
    ``vectors`` their embeddings) does not support it. ``threshold``: the cosine that alone
    makes a passage support a sentence stating no figure or name; ``floor``: the cosine a
    passage holding all of a sentence's figures and names still needs."""
    pieces = spans(answer)
    chosen = [i for i, piece in enumerate(pieces) if len(plain(piece)) > 1
              and (markers(piece) or figures.figures(plain(piece)))]
    if not chosen:
        return Checked(answer, [])
    texts = [plain(pieces[i]) for i in chosen]
    similarity = faithfulness.similarities(texts, vectors)
    verdicts = []
    for row, index in enumerate(chosen):
        text = texts[row]
        support = Support([figures.missing(text, p) for p in passages], similarity[row],
                          bool(figures.figures(text) or figures.names(text)))
        verdict = _decide(text, markers(pieces[index]), support, floor, threshold)
        pieces[index] = _rewrite(pieces[index], verdict.kept + verdict.added)
        verdicts.append(verdict)
    return Checked("".join(pieces), verdicts)


def _decide(text: str, cited: list[int], support: Support, floor: float,
            threshold: float) -> Verdict:
    kept = [n for n in dict.fromkeys(cited) if support.holds(n, floor, threshold)]
    if kept:
        return Verdict(text, cited, kept, [], True)
    if support.jointly(cited, floor):
        return Verdict(text, cited, list(dict.fromkeys(cited)), [], True)
    order = np.argsort(-support.similarity, kind="stable") + 1
    better = [int(n) for n in order if support.holds(int(n), floor, threshold)]
    if better:
        return Verdict(text, cited, [], better[:1], True)
    gaps = [g for n in cited if 0 < n <= len(support.gaps) for g in support.gaps[n - 1]]
    return Verdict(text, cited, [], [], False, list(dict.fromkeys(gaps)))


def _rewrite(sentence: str, numbers: list[int]) -> str:
    """The sentence with its markers replaced by ``numbers`` (one marker group where the
    first one stood, or before its final punctuation when it had none), or with none."""
    new = "".join(f"[{n}]" for n in numbers)
    first = _MARKER.search(sentence)
    if first is None:
        if not new:
            return sentence
        body = sentence.rstrip()
        end = len(body.rstrip(".!?。！？\"'」』）)"))
        space = "" if _HAN.search(body[end - 1:end]) else " "
        return body[:end] + space + new + sentence[end:]
    head, tail = sentence[:first.start()], _MARKER.sub("", sentence[first.start():])
    if not new:
        return head + tail
    return head + (" " if first.group(0).startswith(" ") else "") + new + tail
