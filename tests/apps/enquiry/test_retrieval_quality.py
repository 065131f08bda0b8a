"""Quality gates that can fail: the fitted hybrid must beat BM25 on dev, and the shipped
parameters must be what fitting on the dev splits produces."""

from __future__ import annotations

import json
from functools import cache

import pytest

from aiplus.apps.enquiry.retrieval.bench import Bm25Baseline, hybrid_outcomes, quality
from aiplus.apps.enquiry.retrieval.index import FaqIndex
from aiplus.apps.enquiry.retrieval.kb import DEV_PATH, TEST_PATH, load_demo_kb, load_eval
from aiplus.apps.enquiry.retrieval.parameters import PARAMETERS_PATH, Parameters
from aiplus.apps.enquiry.retrieval.selection import FusionConfig
from aiplus.apps.enquiry.retrieval.tuning import fit_parameters

pytestmark = pytest.mark.nodb

# Reached on dev with the shipped parameters: cross-lingual 0.80 (35/44), hand-over precision
# 0.47 at recall 0.88. Cross-lingual was 0.84 on dev when the fusion was fitted on the team's dev
# set alone; fitted on StackFAQ's real rephrasings too (see selection.py) dev is no longer the
# only data behind it, and the held-out test split stayed at 0.84 (floor below: the bench's goal).
CROSS_LINGUAL_FLOOR = 0.78
HELD_OUT_CROSS_LINGUAL_FLOOR = 0.8
HANDOVER_PRECISION_FLOOR = 0.4
HANDOVER_RECALL_FLOOR = 0.85


@cache
def dev_quality() -> dict:
    return quality(hybrid_outcomes(FaqIndex(load_demo_kb()), load_eval(DEV_PATH)))


def test_hybrid_beats_bm25_on_dev_by_ten_points():
    kb, dev = load_demo_kb(), load_eval(DEV_PATH)
    hybrid = dev_quality()
    baseline = Bm25Baseline(kb)
    baseline.fit_threshold(dev)
    bm25 = quality(baseline.outcomes(dev))
    assert hybrid["p_at_1"] >= bm25["p_at_1"] + 0.10, (hybrid, bm25)
    assert hybrid["cross_lingual_p_at_1"] > bm25["cross_lingual_p_at_1"]
    assert hybrid["handover_recall"] >= 0.8


def test_refitting_on_dev_reproduces_the_shipped_parameters():
    """``parameters.json`` is what the fit produces, not hand-tuned numbers: a refit of the
    recorded configuration on every set's dev split (the cross-validated choice among all
    configurations takes minutes: ``python -m aiplus.apps.enquiry.retrieval.tuning``; its
    determinism is tested on a fixture in test_retrieval_selection) reaches the shipped
    parameters' dev quality. Quality is compared, not raw weights: the candidate
    features are correlated, so the logistic weights are not identifiable, and on another CPU
    (other BLAS kernels, other float rounding in the encoder) the same fit lands on different
    weights of equal quality (measured: fusion weights up to 0.24 apart, P@1 0.831 vs 0.838)."""
    shipped = json.loads(PARAMETERS_PATH.read_text(encoding="utf-8"))
    refit = fit_parameters(candidates=[FusionConfig.from_selection(shipped["selection"])])
    assert refit["fusion"]["features"] == shipped["fusion"]["features"]
    assert abs(refit["threshold"] - shipped["threshold"]) < 0.05
    kb, dev = load_demo_kb(), load_eval(DEV_PATH)
    again = quality(hybrid_outcomes(FaqIndex(kb, parameters=Parameters.from_dict(refit)), dev))
    before = dev_quality()
    for measure, tolerance in (("p_at_1", 0.02), ("mrr_at_10", 0.02),
                               ("cross_lingual_p_at_1", 0.02), ("handover_precision", 0.05),
                               ("handover_recall", 0.05)):
        assert abs(again[measure] - before[measure]) <= tolerance, (measure, again, before)


def test_dev_floors_for_cross_lingual_and_hand_over_hold():
    """Regression floors reached by the Cantonese normalisation and the agreement features of
    the calibration (in-sample on dev, where the parameters were fitted: a drop below them
    means a change broke something, not that the model got a little worse on new data)."""
    hybrid = dev_quality()
    assert hybrid["cross_lingual_p_at_1"] >= CROSS_LINGUAL_FLOOR, hybrid
    assert hybrid["handover_precision"] >= HANDOVER_PRECISION_FLOOR, hybrid
    assert hybrid["handover_recall"] >= HANDOVER_RECALL_FLOOR, hybrid


def test_held_out_cross_lingual_floor_holds():
    """Cantonese/Chinese to English and back on the test split, which nothing is tuned on."""
    hybrid = quality(hybrid_outcomes(FaqIndex(load_demo_kb()), load_eval(TEST_PATH)))
    assert hybrid["cross_lingual_p_at_1"] >= HELD_OUT_CROSS_LINGUAL_FLOOR, hybrid
