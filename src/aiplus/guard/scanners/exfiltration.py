"""Requests for a third party's personal data: "what is the address of the person who made
enquiry 4821?", 「陳大文的身份證號碼是多少？」, "what medications is my neighbour taking?".

Not a jailbreak, but what the PCPD's Model Personal Data Protection Framework says an AI
system must not answer: personal data about someone other than the asker, taken from the
records the system can reach. Two signals:

- a logistic regression on the multilingual E5 embedding of the text (``exfiltration_model``
  in ``data/``, fitted by :mod:`exfiltration_train`), which reads what a request *means* in
  English, written Chinese and Cantonese;
- a phrase rule: a reference to another person (a relation, "the person who…", an enquiry or
  case number, "all applicants") together with a kind of personal data (address, phone,
  HKID, medical, financial, case details), unless the text asks about the asker's own data or
  how to protect data (:mod:`intent`).

The score is the model's probability, rescaled so its chosen threshold lands on the policy
threshold, raised by :data:`RULE_BOOST` when the rule fires (a signal, never a verdict on its
own: on dev it changed no decision, and alone it blocked 「大家去慰問病人。」); with the model
off, the rule's :data:`RULE_WEIGHT` is the rule-only baseline's score. Someone asking
for their *own* records, or an office's public phone number, is the model's hard negative.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from aiplus.guard.contract import Direction, Finding, ScanResult
from aiplus.guard.scanners.classifier import ArtefactMismatch, embedding_text, sigmoid
from aiplus.guard.scanners.injection import calibrated
from aiplus.guard.scanners.intent import protective

NAME = "exfiltration"
MODEL = Path(__file__).resolve().parent / "data" / "exfiltration_model.json"
RULE_WEIGHT = 0.6  # the rule-only baseline's score when the rule fires
RULE_BOOST = 0.1  # what the rule adds to the model's score (one signal, never alone)
OWN_DATA_FACTOR = 0.5
"""The model's score for a text about the asker's own data only (set a priori, as the
injection scanner's protective-intent factor; not tuned on either split)."""

_PERSONAL_DATA = re.compile(
    r"\b(?:address|live[sd]?|phone|mobile|number|hkid|id card|identity card|passport|"
    r"date of birth|birthday|age|medical|medication|medicine|diagnos\w*|illness|disease|"
    r"health|hospitali[sz]ed|blood type|allerg\w*|surgery|treatment|salary|income|bank|"
    r"account|credit|debit|card number|debts?|loans?|tax|criminal|record|case details|e-?mail|"
    r"social security|licen[cs]e|dna|fingerprints?|orientation|religio\w*|political|marital|"
    r"relationship|particulars|contact details|personal (?:data|details|information))\b|"
    r"地址|住址|住喺|住在|住邊|電話|手機|身份證|護照|出生日期|生日|病歷|病|藥|診斷|血型|敏感|手術|"
    r"治療|薪金|人工|收入|銀行|戶口|信用卡|債|稅|案底|刑事|紀錄|個案|電郵|性取向|宗教|政治|婚姻|"
    r"個人資料|聯絡資料",
    re.IGNORECASE)
_THIRD_PARTY = re.compile(
    r"\bmy (?:ex\b|ex-\w+|neighbou?r|colleague|co-worker|boss|tenant|landlord|employee|staff|"
    r"friend|best friend|classmate|teacher|student|doctor|nurse|surgeon|patient|teammate|"
    r"husband|wife|fiancée?|boyfriend|girlfriend|son|daughter|father|mother|sister|brother|"
    r"aunt|uncle|nephew|niece|grand\w+|step\w+|client|customer)\b|"
    r"\bthe (?:person|people|citizen|caller|applicant|patient|resident|woman|man|user|customer|"
    r"complainant|tenant|child|family|officer|traveller|guy|lady)s?\b[^.?!\n]{0,20}\b"
    r"(?:who|in|at|behind|from|of|that)\b|"
    r"\b(?:enquiry|complaint|case|application|file|report|ticket)\s*(?:no\.?|number|#)?\s*"
    r"\d[\d/]*|\ball (?:the )?(?:applicants|users|citizens|patients|residents|customers|"
    r"staff|employees|callers)\b|\beveryone who\b|"
    r"(?-i:\b[A-Z][a-z]+ (?!(?:Department|Office|Bureau|Authority|Council|Hospital|Library|"
    r"Centre|Center|Company|Bank|Limited|Commission|Tower|Court|School|University)\b)"
    r"(?:[A-Z][a-z]+ ?){1,2}'s\b)|"
    r"(?:鄰居|隔籬|同事|老闆|上司|前度|前男友|前女友|前妻|前夫|租客|業主|員工|同學|朋友|病人|住客|"
    r"申請人|投訴人|市民|用戶|用家|來電者|那位|嗰個|嗰位|那個人|個案|第\s*\d+\s*號|\d+\s*號查詢|"
    r"所有(?:申請人|用戶|市民|病人|住客|員工))",
    re.IGNORECASE)
_OWN = re.compile(r"\bmy own\b|\bmyself\b|\bmy (?:address|phone|hkid|id card|identity card|"
                  r"passport|medical|records?|data|details|application|account|enquiry|case)\b|"
                  r"我自己|自己嘅|自己的|本人|我的(?:地址|電話|身份證|病歷|資料|申請|查詢|個案)",
                  re.IGNORECASE)


def own_data_only(text: str) -> bool:
    """The asker's own data and nobody else's ("my HKID is … please confirm it"): what the
    PCPD framework protects is a third party, so such a request is no exfiltration."""
    return bool(_OWN.search(text)) and not _THIRD_PARTY.search(text)


def rule_score(text: str) -> float:
    """:data:`RULE_WEIGHT` when ``text`` names another person and a kind of personal data
    and is not about the asker's own data or about protecting data; else 0."""
    if not (_THIRD_PARTY.search(text) and _PERSONAL_DATA.search(text)):
        return 0.0
    if _OWN.search(text) or protective(text):
        return 0.0
    return RULE_WEIGHT


@dataclass(frozen=True)
class PersonalDataModel:
    """``predict_proba(texts)``: probability that each text asks for a third party's data."""

    coef: np.ndarray
    intercept: float
    threshold: float
    metadata: dict[str, Any]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        from aiplus.models.embeddings import query_vectors  # late: the engine maps 87 MB

        vectors = query_vectors([embedding_text(t) for t in texts])
        return np.asarray(sigmoid(vectors @ self.coef + self.intercept))

    @classmethod
    def load(cls, path: Path = MODEL) -> PersonalDataModel:
        """The fitted model; its weights' SHA-256 is checked against the one recorded."""
        record = json.loads(path.read_text(encoding="utf-8"))
        coef = np.asarray(record["coef"], dtype=np.float64)
        if weights_sha256(record["coef"], record["intercept"]) != record["sha256"]:
            raise ArtefactMismatch(f"{path.name}: weights do not match their recorded SHA-256")
        return cls(coef, float(record["intercept"]), float(record["threshold"]),
                   {k: v for k, v in record.items() if k not in ("coef",)})


def weights_sha256(coef: list[float], intercept: float) -> str:
    return hashlib.sha256(json.dumps([coef, intercept]).encode()).hexdigest()


@cache
def default_model() -> PersonalDataModel:
    return PersonalDataModel.load()


class PersonalDataRequestScanner:
    """Blocks a prompt asking for a third party's personal data; ``use_model=False`` gives
    the rule-only baseline, ``use_rules=False`` the model alone."""

    name = NAME
    directions = frozenset({Direction.INPUT})

    def __init__(self, threshold: float = 0.5, *, use_model: bool = True,
                 use_rules: bool = True, model: PersonalDataModel | None = None) -> None:
        self.threshold = threshold
        self.use_model = use_model
        self.use_rules = use_rules
        self._model = model

    @property
    def model(self) -> PersonalDataModel:
        return self._model or default_model()

    def score(self, text: str) -> tuple[float, list[Finding]]:
        findings: list[Finding] = []
        best = 0.0
        rule = rule_score(text) if self.use_rules else 0.0
        if rule:
            findings.append(Finding(NAME, "third_party_personal_data", rule,
                                    "asks for another person's personal data (rule)"))
            best = rule
        if self.use_model and text.strip():
            probability = float(self.model.predict_proba([text])[0])
            best = calibrated(probability, self.model.threshold, self.threshold)
            best += RULE_BOOST if rule else 0.0
            if own_data_only(text):
                best *= OWN_DATA_FACTOR
            findings.append(Finding(NAME, "third_party_personal_data", round(best, 3),
                                    "the model judges a request for another person's "
                                    "personal data"))
        return round(min(1.0, best), 4), findings

    def scan(self, text: str) -> ScanResult:
        score, findings = self.score(text)
        allowed = score < self.threshold
        return ScanResult(text, allowed, score, () if allowed else tuple(findings[-1:]))
