"""Subject classifier: which category and department a citizen's question belongs to.

Trained on the KB's questions and phrasings in every language, so it learns how people word
a subject rather than a keyword list. Features: the multilingual E5 embedding (carries the
meaning across English and Chinese) beside TF-IDF over the segmented tokens (precise on
service names); one logistic regression per target."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, hstack

from aiplus.apps.enquiry.retrieval.dense import encode, encode_cached
from aiplus.apps.enquiry.retrieval.model import FaqEntry, Subject
from aiplus.models.text import segment


def training_texts(entries: Sequence[FaqEntry], target: str) -> tuple[list[str], list[str]]:
    """Every question and phrasing of entries that have ``target`` ("category"/"department")."""
    texts, labels = [], []
    for entry in entries:
        label = getattr(entry, target)
        if label:
            for question in entry.questions:
                texts.append(question)
                labels.append(label)
    return texts, labels


class SubjectClassifier:
    """scikit-learn style: ``fit(entries)`` then ``predict(text)``."""

    def __init__(self, *, c: float = 4.0) -> None:
        self.c = c
        self._vectoriser = None
        self._models: dict[str, object] = {}

    def _features(self, texts: Sequence[str], *, fit: bool = False):  # type: ignore[no-untyped-def]
        from sklearn.feature_extraction.text import TfidfVectorizer

        if fit:  # the KB's wordings: their vectors are on disk from the index already
            self._vectoriser = TfidfVectorizer(analyzer=segment, sublinear_tf=True)
            sparse = self._vectoriser.fit_transform(texts)
            dense = encode_cached(texts, is_query=True)
        else:
            sparse = self._vectoriser.transform(texts)  # type: ignore[union-attr]
            dense = encode(texts, is_query=True)
        return hstack([sparse, csr_matrix(dense)]).tocsr()

    def fit(self, entries: Sequence[FaqEntry]) -> SubjectClassifier:
        from sklearn.linear_model import LogisticRegression

        texts, categories = training_texts(entries, "category")
        if len(set(categories)) < 2:
            raise ValueError("SubjectClassifier needs entries of at least two categories")
        all_texts = sorted({t for e in entries for t in e.questions})
        features = self._features(all_texts, fit=True)
        row = {t: i for i, t in enumerate(all_texts)}
        self._models = {}
        for target in ("category", "department"):
            texts, labels = training_texts(entries, target)
            if len(set(labels)) >= 2:
                model = LogisticRegression(C=self.c, max_iter=3000)
                model.fit(features[[row[t] for t in texts]], labels)
                self._models[target] = model
            elif labels:
                self._models[target] = labels[0]
        return self

    def predict(self, text: str) -> Subject:
        if not self._models:
            raise ValueError("SubjectClassifier.predict called before fit")
        features = self._features([text])
        found: dict[str, tuple[str, float]] = {}
        for target, model in self._models.items():
            if isinstance(model, str):
                found[target] = (model, 1.0)
            else:
                probabilities = model.predict_proba(features)[0]  # type: ignore[attr-defined]
                best = int(np.argmax(probabilities))
                label = model.classes_[best]  # type: ignore[attr-defined]
                found[target] = (str(label), float(probabilities[best]))
        category = found.get("category", (None, 0.0))
        department = found.get("department", (None, 0.0))
        return Subject(category[0], department[0], category[1])
