"""FaqIndex: hybrid retrieval over a live, incrementally updated FAQ collection.

A search embeds the query once (~15 ms), scores every FAQ by dense and BM25 evidence with matrix
products (and its subject, the category, by the same evidence over all the subject's questions: see
:func:`.dense.subject_z`), fuses the union of both top lists with the fitted linear model (see
:mod:`.fusion`) and converts the winner's margin into a calibrated confidence (see
:mod:`.calibration`). Follow-ups («what about for elderly?») are searched together with the asker's
previous turn."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence

import numpy as np

from aiplus.apps.enquiry.retrieval.calibration import confidence_features, probability
from aiplus.apps.enquiry.retrieval.dense import DenseField, encode
from aiplus.apps.enquiry.retrieval.fusion import Signals, candidate_features
from aiplus.apps.enquiry.retrieval.lexical import Bm25Field
from aiplus.apps.enquiry.retrieval.model import Candidate, FaqEntry, Retrieval
from aiplus.apps.enquiry.retrieval.parameters import Parameters, load_parameters
from aiplus.models.text import detect_language, segment

# Openings that only make sense as a continuation of an earlier question, in English,
# written Chinese and Cantonese («咁…呢», «如果…»), and a length below which a question
# rarely names its own subject.
_FOLLOW_UP = re.compile(
    r"^\s*(what about|how about|and\b|what if|also\b|same\b|then\b|咁|噉|那|如果|另外|還有|仲有)"
    r"|(呢|嘞)\s*[？?]?\s*$",
    re.IGNORECASE,
)
_SHORT_TOKENS = 2


def looks_like_follow_up(text: str) -> bool:
    return bool(_FOLLOW_UP.search(text)) or len(segment(text)) <= _SHORT_TOKENS


class FaqIndex:
    """Thread-safe: writers hold a lock while they swap in new field contents; searches read
    a consistent snapshot of the entry list."""

    def __init__(self, entries: Iterable[FaqEntry] = (), *, threshold: float | None = None,
                 parameters: Parameters | None = None) -> None:
        self._params = parameters or load_parameters()
        self.threshold = self._params.threshold if threshold is None else threshold
        self._entries: dict[str, FaqEntry] = {}
        self._tokens: dict[str, tuple[list[str], list[str]]] = {}  # questions, answers
        self._order: list[str] = []
        self._questions_dense = DenseField(is_query=True)
        self._answers_dense = DenseField(is_query=False)
        self._questions_bm25 = Bm25Field()
        self._answers_bm25 = Bm25Field()
        self._subjects_bm25 = Bm25Field()  # one document per subject: all its questions
        self._subject = np.zeros(0, dtype=np.int64)  # per position, index of its subject or -1
        self._write = threading.Lock()
        for entry in entries:
            self._put(entry)
        self._refresh()

    def _put(self, entry: FaqEntry) -> None:
        if not isinstance(entry, FaqEntry):
            raise ValueError("FaqIndex holds FaqEntry objects")
        if not entry.questions:
            raise ValueError(f"FAQ {entry.id!r} has no question in any language")
        self._entries[entry.id] = entry
        self._tokens[entry.id] = ([t for q in entry.search_questions for t in segment(q)],
                                  [t for a in entry.answers for t in segment(a)])

    def _refresh(self) -> None:
        """Hand the current entries to every field; dense fields encode only new texts."""
        order = list(self._entries)
        entries = [self._entries[i] for i in order]
        self._questions_dense.set_documents([e.search_questions for e in entries])
        self._answers_dense.set_documents([e.answers[:2] for e in entries])
        self._questions_bm25.set_documents([self._tokens[i][0] for i in order])
        self._answers_bm25.set_documents([self._tokens[i][1] for i in order])
        names = sorted({e.category for e in entries if e.category})
        number = {name: n for n, name in enumerate(names)}
        self._subject = np.array([number.get(e.category or "", -1) for e in entries],
                                 dtype=np.int64)
        self._subjects_bm25.set_documents(
            [[t for i, e in zip(order, entries, strict=True) if e.category == name
              for t in self._tokens[i][0]] for name in names])
        self._order = order

    def upsert(self, entry: FaqEntry) -> None:
        with self._write:
            self._put(entry)
            self._refresh()

    def remove(self, faq_id: str) -> None:
        with self._write:
            if self._entries.pop(faq_id, None) is not None:
                del self._tokens[faq_id]
                self._refresh()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, faq_id: object) -> bool:
        return faq_id in self._entries

    def get(self, faq_id: str) -> FaqEntry | None:
        return self._entries.get(faq_id)

    def signals(self, text: str) -> tuple[list[str], Signals]:
        """Raw dense and BM25 scores of every FAQ for ``text`` (the tuning code fits on these)."""
        tokens, vector = segment(text), encode([text], is_query=True)[0]
        with self._write:
            subject = self._subject
            by_subject = self._subjects_bm25.scores(tokens)
            subject_bm25 = (np.where(subject >= 0, by_subject[np.maximum(subject, 0)], 0.0)
                            if len(by_subject) else np.zeros(len(subject))).astype(np.float32)
            signals = Signals(detect_language(text),
                              self._questions_dense.scores(vector, subject),
                              self._answers_dense.scores(vector),
                              self._questions_bm25.scores(tokens),
                              self._answers_bm25.scores(tokens),
                              self._questions_bm25.coverage(tokens), subject_bm25)
            return self._order, signals

    def _rank(self, text: str, k: int) -> tuple[list[Candidate], float]:
        order, signals = self.signals(text)
        positions, features = candidate_features(signals)
        if len(positions) == 0:
            return [], 0.0
        scores = self._params.fusion(features)
        ranked = np.argsort(-scores, kind="stable")
        conf = probability(self._params.calibration,
                           confidence_features(scores[ranked], features[ranked[0]]))
        candidates = [Candidate(order[positions[i]], float(scores[i])) for i in ranked[:k]]
        return candidates, conf

    def search(self, text: str, *, k: int = 10, context: Sequence[str] = ()) -> Retrieval:
        if not isinstance(text, str) or k < 1:
            raise ValueError("search expects a text and k >= 1")
        lang = detect_language(text)
        query = text
        previous = next((turn for turn in reversed(context) if turn and turn.strip()), None)
        if previous and looks_like_follow_up(text):
            query = f"{previous} {text}"
        candidates, conf = self._rank(query, k)
        if previous and query == text and conf < self.threshold:
            joined = f"{previous} {text}"
            joined_candidates, joined_conf = self._rank(joined, k)
            # only when the context turns a hand-over into a confident answer
            if joined_conf >= self.threshold:
                query, candidates, conf = joined, joined_candidates, joined_conf
        handover = not candidates or conf < self.threshold
        return Retrieval(candidates, conf, handover, lang, query)
