"""No row of the evaluation sets' held-out split is trained or tuned on: neither the
injection classifier's training and validation rows (:mod:`train`) nor the personal-data
model's rows (:mod:`exfiltration_train`) hold a held-out text, and no user rephrasing of a
held-out StackFAQ question enters training."""

from __future__ import annotations

import pytest

from aiplus.guard.scanners import evalsets, exfiltration_train, train


def _held_out_texts() -> set[str]:
    """Held-out requests and documents; the neutral task sentences around documents are
    shared by design (the same few for attacks and benign documents) and carry no label."""
    texts = set()
    for case in evalsets.split("held_out"):
        if case.document is not None:
            texts.add(case.document.strip())
        else:
            texts.add(case.text.strip())
    return texts


def test_no_held_out_text_is_in_the_injection_classifiers_training_or_validation_rows() -> None:
    fitted = {row.text.strip() for split in ("train", "validation")
              for row in train.training_rows(split)}
    leaked = _held_out_texts() & fitted
    assert not leaked, sorted(leaked)[:5]


def test_no_held_out_text_is_in_the_personal_data_models_rows() -> None:
    fit, tune = exfiltration_train._dev_rows()
    rows = exfiltration_train._team_rows() + exfiltration_train._corpus_rows() + fit + tune
    leaked = _held_out_texts() & {text.strip() for text, _, _ in rows}
    assert not leaked, sorted(leaked)[:5]


def test_no_rephrasing_of_a_held_out_faq_enters_training() -> None:
    pairs = evalsets.stackfaq_pairs()
    if not pairs:
        pytest.skip("StackFAQ (../shared/data/faq) is not present")
    held_out = {text.strip() for index, pair in enumerate(pairs)
                if evalsets.split_of(f"faq{index}") == "held_out" for text in pair["rephr"] if text}
    added = [row for split in ("train", "validation") for row in train.training_rows(split)
             if row.source == "stackfaq-dev"]
    assert added, "the dev-side StackFAQ rows are missing from training"
    assert not held_out & {row.text.strip() for row in added}
