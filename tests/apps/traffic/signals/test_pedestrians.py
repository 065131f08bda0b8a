"""Waiting-vs-passing classification against the simulator's ground truth."""

import json

import numpy as np
import pytest

from aiplus.apps.traffic.signals.pedestrian_training import evaluate, held_out
from aiplus.apps.traffic.signals.pedestrians import FEATURES, WEIGHTS, Classifier

pytestmark = pytest.mark.nodb


def test_shipped_classifier_recognises_waiting_people_it_never_saw():
    rows, truth = held_out(300, seed=5)  # fresh people, another seed than training
    assert len(rows) > 200 and 0 < truth.mean() < 1  # both classes present
    figures = evaluate(Classifier.load(), rows, truth)
    assert figures["precision"] > 0.9
    assert figures["recall"] > 0.7
    # the same features with the labels shuffled would be near chance: the model is not trivial
    baseline = evaluate(Classifier.load(), rows, np.random.default_rng(0).permutation(truth))
    assert figures["accuracy"] > baseline["accuracy"] + 0.1


def test_weights_are_plain_json_with_their_held_out_figures():
    data = json.loads(WEIGHTS.read_text())
    assert tuple(data["features"]) == FEATURES and len(data["coef"]) == len(FEATURES)
    assert data["held_out"]["precision"] > 0.9


def test_a_person_standing_still_at_the_kerb_facing_the_road_is_waiting():
    model = Classifier.load()
    # dwell, speed now, speed over 3 s, seconds still, distance to crossing, heading alignment
    standing = [20.0, 0.05, 0.05, 18.0, 0.8, 0.0]
    striding_past = [1.0, 1.4, 1.4, 0.0, 2.5, -0.9]
    waiting = model.waiting(np.array([standing, striding_past]))
    assert waiting.tolist() == [True, False]
