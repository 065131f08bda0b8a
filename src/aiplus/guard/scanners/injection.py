"""Prompt-injection and jailbreak detection: the trained classifier over every evasion-undone
view of the text, combined with the instruction-override rules of :mod:`heuristics`.

The score is the highest of the classifier's probability on any view and the rule score, so
a payload hidden in base64 or spaced letters is judged as what it decodes to. The classifier's
probability is rescaled so that its trained threshold lands on the policy threshold. A text
that asks about a setting or a protection without ordering the model about (see
:mod:`intent`: "what does the developer mode setting of this app do?") has its rule score
halved and its classifier score cut by a third, so a security word alone cannot block it
while a confident classifier still can.
"""

from __future__ import annotations

from aiplus.guard.contract import Direction, Finding, ScanResult
from aiplus.guard.scanners.classifier import InjectionClassifier, default_classifier
from aiplus.guard.scanners.heuristics import heuristic_score, views
from aiplus.guard.scanners.intent import protective

NAME = "injection"
MAX_CHARS = 20_000  # longer texts are judged on their first and last parts
# Factors on the rule score and on the classifier's score of a protective question
# (see :mod:`intent`); the classifier's was chosen on the independent sets' dev split.
PROTECTIVE_DISCOUNT = 0.5
PROTECTIVE_CLASSIFIER_DISCOUNT = 0.7


def calibrated(probability: float, trained: float, policy: float) -> float:
    """Map the classifier's probability so that ``trained`` maps to ``policy`` (piecewise
    linear), keeping one meaning of "threshold" across scanners."""
    if probability < trained:
        return policy * probability / trained
    return policy + (1 - policy) * (probability - trained) / (1 - trained)


def _clip(text: str) -> str:
    half = MAX_CHARS // 2
    return text if len(text) <= MAX_CHARS else text[:half] + "\n" + text[-half:]


class InjectionScanner:
    """Blocks prompts whose risk reaches ``threshold``; ``use_classifier=False`` gives the
    rule-only baseline the benchmark compares against, ``use_intent=False`` the scanner as it
    was before protective context discounted its rules."""

    name = NAME
    directions = frozenset({Direction.INPUT})

    def __init__(self, threshold: float = 0.5, *, use_classifier: bool = True,
                 use_intent: bool = True, classifier: InjectionClassifier | None = None) -> None:
        self.threshold = threshold
        self.use_classifier = use_classifier
        self.use_intent = use_intent
        self._classifier = classifier

    @property
    def classifier(self) -> InjectionClassifier:
        return self._classifier or default_classifier()

    def score(self, text: str) -> tuple[float, list[Finding]]:
        text = _clip(text)
        findings: list[Finding] = []
        rule_score, reasons = heuristic_score(text)
        asks_about = self.use_intent and protective(text)
        if reasons and asks_about:
            rule_score *= PROTECTIVE_DISCOUNT
            reasons = [(trick, kind, weight * PROTECTIVE_DISCOUNT)
                       for trick, kind, weight in reasons]
        for trick, kind, weight in reasons:
            findings.append(Finding(NAME, kind, round(weight, 3),
                                    f"instruction pattern '{kind}' found ({trick})"))
        best = rule_score
        if self.use_classifier and text.strip():
            readings = views(text)
            if any(v.decoded for v in readings):
                # Judge an encoded payload by what it says, not by looking encoded: the
                # training data teaches that base64 alone means attack.
                readings = [v for v in readings if v.decoded]
            index, probability = self.classifier.most_suspicious([v.text for v in readings])
            calibrated_score = calibrated(probability, self.classifier.threshold, self.threshold)
            if asks_about:
                calibrated_score *= PROTECTIVE_CLASSIFIER_DISCOUNT
            if calibrated_score >= self.threshold:
                findings.append(Finding(NAME, "classifier", round(calibrated_score, 3),
                                        f"classifier judges an attack ({readings[index].trick})"))
            best = max(best, calibrated_score)
        return round(min(1.0, best), 4), findings

    def scan(self, text: str) -> ScanResult:
        score, findings = self.score(text)
        allowed = score < self.threshold
        return ScanResult(text, allowed, score, tuple(findings) if not allowed else ())
