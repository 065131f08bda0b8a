"""Indirect prompt injection: an instruction hidden in a document the model is asked to read
(a retrieved passage, an upload, an e-mail, a tool's output), aimed at the model rather than
at the document's human reader.

A document is long and mostly harmless, so judging it whole dilutes a one-sentence payload.
The scanner cuts it into segments (sentences and lines, and pairs of neighbours so a payload
split over two lines stays whole) and scores each:

- the trained injection classifier (:mod:`classifier`): n-gram logits on every segment, the
  full model (with the sentence embedding) on the most suspicious one;
- the instruction-override rules of :mod:`heuristics` on every segment, and rules for what
  only a hidden instruction does: address the AI that reads the document ("AI reading this
  must…", 「AI 讀到此句…」), hijack the reader's task (「不要翻譯，改為…」) or wear a fake
  frame (``[SYSTEM]``, ``INJECT:``, ``###(system_message)``).

Sentence-sized segments miss a bare order that reads like an ordinary to-do line ("TODO:
send the security code to …"): on its own it is a plain request, and only beside the
document around it does it read as aimed at the model. So the classifier also reads the whole
document and windows of neighbouring sentences up to :data:`WINDOW_CHARS` characters, as the
injection scanner reads a whole message, against its own threshold.

A document's score is the highest of the rules, its most suspicious segment's and its most
suspicious window's, each probability rescaled so that the threshold chosen on the
evaluation set's dev documents lands on the policy threshold (documents have more segments
than a prompt, so the same probability means less). Documents are not the caller's words: the
caller's own request is judged by the input scanners.
"""

from __future__ import annotations

import re

from aiplus.guard.contract import Direction, Finding, ScanResult
from aiplus.guard.scanners.classifier import InjectionClassifier, default_classifier
from aiplus.guard.scanners.corpus import HAN
from aiplus.guard.scanners.heuristics import heuristic_score
from aiplus.guard.scanners.injection import calibrated

NAME = "indirect_injection"
MAX_CHARS = 40_000
MAX_SEGMENTS = 400
# The classifier probability that blocks a document, chosen on the evaluation set's dev split
# (evalsets.py): the lowest that keeps benign dev documents at or under 2% blocked (1 of 53,
# an e-mail carrying a security code, at 0.937; the next at 0.836).
DOCUMENT_THRESHOLD = 0.84
# Windows of neighbouring sentences up to this many characters (a retrieved passage's size);
# 300, 600 and 1,000 were tried on dev, 600 caught most dev attacks at the same benign cost.
WINDOW_CHARS = 600
# The probability on the whole document or its most suspicious window that blocks it, chosen
# on the evaluation set's dev split: the lowest that blocks no benign dev document the segments
# pass (their window probabilities peak at 0.768, then 0.767, too close to allow one and not
# the other), so the scanner as a whole stays at 1 of 53.
WINDOW_THRESHOLD = 0.77
_SEGMENT = re.compile(r"(?<=[.!?。！？;；])\s+|\n+|(?<=[。！？])")
# Patterns seen in the training corpus's indirect attacks and the dev split only (the held-out
# templates were not looked at for these): the AI that reads the document addressed by name,
# a fake system or injection frame, and "do not translate; instead…".
_ADDRESSED = (
    ("addressed_to_ai", 0.85, r"\b(?:AI|assistant|chatbot|language model|LLM|GPT|model|bot)s?\b"
                              r"[^.\n]{0,40}\b(?:reading|processing|summari[sz]ing|that reads|"
                              r"who reads|sees? this)\b[^.\n]{0,40}\b(?:must|should|shall|has to|"
                              r"is to|will)\b|\bdear (?:AI|assistant|chatbot|model)\b"),
    ("fake_frame", 0.8, r"\[\s*(?:SYSTEM|INJECT\w*|INSTRUCTIONS?)\b|"
                        r"\b(?:INJECT(?:ION)?|INSTRUCTION)\s*:|###\s*\(?\s*system"),
    ("addressed_to_ai", 0.85, r"(?:AI|人工智能|助手|助理|模型|機械人|机器人)"
                              r"[^。\n]{0,6}(?:讀到|看到|見到|处理|處理|閱讀|收到)[^。\n]{0,8}"
                              r"(?:必須|必须|要|應|应|請|请|須)"),
    ("task_hijack", 0.85, r"(?:不要|唔好|別)(?:翻譯|翻译|總結|总结)，?(?:改為|改为|而是|你要)"),
    ("fake_frame", 0.8, r"[（(【\[]\s*(?:系統|系统)(?:訊息|讯息|消息|指令|通知)?\s*[）)】\]]"),
)
_RULES = tuple((kind, weight, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
               for kind, weight, pattern in _ADDRESSED)


def _substantial(segment: str) -> bool:
    """Long enough for the classifier to judge: a bare heading ("Instructions:") reads as an
    order to n-grams (dev documents: 0.97)."""
    return len(segment.split()) >= 4 or len(HAN.findall(segment)) >= 6


def segments(text: str) -> list[str]:
    """Sentences and lines of ``text``, then each pair of neighbours joined."""
    parts = [p.strip() for p in _SEGMENT.split(text[:MAX_CHARS]) if p and p.strip()]
    pairs = [f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False)]
    return (parts + pairs)[:MAX_SEGMENTS] or [text.strip()]


def windows(text: str, size: int = WINDOW_CHARS) -> list[str]:
    """From each sentence or line of ``text``, it and the sentences after it, as many as fit
    in ``size`` characters."""
    parts = [p.strip() for p in _SEGMENT.split(text[:MAX_CHARS]) if p and p.strip()]
    found = []
    for start, first in enumerate(parts):
        window = first
        for part in parts[start + 1:]:
            if len(window) + len(part) + 1 > size:
                break
            window = f"{window} {part}"
        found.append(window)
    return found[:MAX_SEGMENTS]


def document_rules(text: str) -> list[tuple[str, float]]:
    """The (kind, weight) of every hidden-instruction rule that matches ``text``."""
    return [(kind, weight) for kind, weight, pattern in _RULES if pattern.search(text)]


class IndirectInjectionScanner:
    """Blocks a document holding an instruction for the model; ``use_classifier=False`` gives
    the rule-only baseline."""

    name = NAME
    directions = frozenset({Direction.DOCUMENT})

    def __init__(self, threshold: float = 0.5, *, use_classifier: bool = True,
                 classifier: InjectionClassifier | None = None,
                 document_threshold: float = DOCUMENT_THRESHOLD,
                 window_threshold: float = WINDOW_THRESHOLD) -> None:
        self.threshold = threshold
        self.use_classifier = use_classifier
        self.document_threshold = document_threshold
        self.window_threshold = window_threshold
        self._classifier = classifier

    @property
    def classifier(self) -> InjectionClassifier:
        return self._classifier or default_classifier()

    def score(self, text: str) -> tuple[float, list[Finding]]:
        findings: list[Finding] = []
        best = 0.0
        pieces = segments(text)
        for kind, weight in document_rules(text):
            findings.append(Finding(NAME, kind, weight, f"hidden instruction pattern '{kind}'"))
            best = max(best, weight)
        for piece in pieces:
            rule, reasons = heuristic_score(piece)
            if rule > best:
                best = rule
                findings.append(Finding(NAME, reasons[0][1], round(rule, 3),
                                        f"instruction pattern '{reasons[0][1]}' in a document"))
        if self.use_classifier and text.strip():
            judged = [p for p in pieces if _substantial(p)] or pieces
            index, probability = self.classifier.most_suspicious(judged)
            score = calibrated(probability, self.document_threshold, self.threshold)
            if score >= self.threshold:
                findings.append(Finding(NAME, "classifier", round(score, 3),
                                        "the classifier judges a segment an instruction to "
                                        f"the model: {judged[index][:80]!r}"))
            best = max(best, score, self._window_score(text, findings))
        return round(min(1.0, best), 4), findings

    def _window_score(self, text: str, findings: list[Finding]) -> float:
        """The calibrated probability of the whole document or of its most suspicious window
        (by n-grams), whichever is higher: one embedding each."""
        readings = windows(text) or [text]
        index, probability = self.classifier.most_suspicious(readings)
        where = repr(readings[index][:80])
        whole = float(self.classifier.predict_proba([text[:MAX_CHARS]])[0])
        if whole > probability:
            probability, where = whole, "the whole document"
        score = calibrated(probability, self.window_threshold, self.threshold)
        if score >= self.threshold:
            findings.append(Finding(NAME, "classifier_window", round(score, 3),
                                    f"the classifier judges {where} an instruction to the model"))
        return score

    def scan(self, text: str) -> ScanResult:
        score, findings = self.score(text)
        allowed = score < self.threshold
        return ScanResult(text, allowed, score, () if allowed else tuple(findings))
