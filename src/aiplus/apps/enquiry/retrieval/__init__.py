"""Hybrid bilingual FAQ retrieval for the 1823 enquiry service.

Lexical BM25 over OpenCC/jieba/pycantonese-segmented text and dense multilingual E5
similarity are fused by a small linear model chosen by cross-validation over several FAQ sets
(the team's own and StackFAQ's real user rephrasings, see :mod:`.selection`) and never below
plain dense retrieval on any; a calibrated confidence decides whether the service answers or
hands over to an officer. See :mod:`.index` for the flow."""

from aiplus.apps.enquiry.retrieval.classifier import SubjectClassifier
from aiplus.apps.enquiry.retrieval.index import FaqIndex
from aiplus.apps.enquiry.retrieval.kb import load_demo_kb
from aiplus.apps.enquiry.retrieval.model import Candidate, FaqEntry, Retrieval, Subject
from aiplus.models.text import detect_language

__all__ = ["Candidate", "FaqEntry", "FaqIndex", "Retrieval", "Subject", "SubjectClassifier",
           "detect_language", "load_demo_kb"]
