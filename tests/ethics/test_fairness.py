"""Fairness from predictions: equal to Fairlearn's figures, with intervals and clear errors."""

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import precision_score

from aiplus.core.errors import ValidationFailed
from aiplus.ethics.fairness import fairness_report

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def predictions(credit):
    score = credit.model.score(credit.test_features)
    return credit.test_label, (score >= 0.3).astype(int), score, credit.test_sensitive


def test_group_metrics_equal_fairlearn_to_1e9(predictions):
    y, pred, score, sensitive = predictions
    report = fairness_report(y, pred, sensitive[["SEX", "AGE_BAND"]], y_score=score,
                             bootstrap=20)
    for column in ("SEX", "AGE_BAND"):
        frame = MetricFrame(
            metrics={"tpr": true_positive_rate, "fpr": false_positive_rate,
                     "selection_rate": selection_rate,
                     "ppv": lambda t, p: precision_score(t, p, zero_division=0)},
            y_true=y, y_pred=pred, sensitive_features=sensitive[column])
        for group, row in frame.by_group.iterrows():
            ours = report["groups"][f"{column}={group}"]
            for metric in ("tpr", "fpr", "selection_rate", "ppv"):
                assert abs(ours[metric] - row[metric]) < 1e-9, (column, group, metric)
            negatives = (sensitive[column] == group).to_numpy() & (pred == 0)
            assert abs(ours["npv"] - np.mean(y[negatives] == 0)) < 1e-9
        figures = report["disparities"][column]
        kwargs = {"sensitive_features": sensitive[column]}
        assert abs(figures["equalized_odds_difference"]
                   - equalized_odds_difference(y, pred, **kwargs)) < 1e-9
        assert abs(figures["disparate_impact"] - demographic_parity_ratio(y, pred, **kwargs)) \
            < 1e-9
        assert abs(figures["selection_rate_difference"]
                   - demographic_parity_difference(y, pred, **kwargs)) < 1e-9


def test_intervals_bracket_estimates_and_are_reproducible(predictions):
    y, pred, _, sensitive = predictions
    first = fairness_report(y, pred, sensitive["SEX"], bootstrap=100, seed=7)
    again = fairness_report(y, pred, sensitive["SEX"], bootstrap=100, seed=7)
    assert first["intervals"] == again["intervals"]
    for group, figures in first["groups"].items():
        low, high = first["intervals"][group]["tpr"]
        assert low <= figures["tpr"] <= high and high - low < 0.2
    low, high = first["disparity_intervals"]["SEX"]["disparate_impact"]
    assert low <= first["disparities"]["SEX"]["disparate_impact"] <= high


def test_finds_a_real_disparity_when_one_group_is_favoured():
    rng = np.random.default_rng(0)
    group = np.array(["a", "b"] * 500)
    y = rng.integers(0, 2, 1000)
    pred = np.where(group == "a", y, 0)  # group b never predicted positive
    report = fairness_report(y, pred, pd.Series(group, name="G"), bootstrap=10)
    assert report["disparities"]["G"]["disparate_impact"] == 0.0
    assert report["disparities"]["G"]["four_fifths_rule_met"] is False
    assert report["disparities"]["G"]["equalized_odds_difference"] == 1.0


@pytest.mark.parametrize(("y", "pred", "groups", "field"), [
    ([0, 1, 2, 1], [0, 1, 1, 0], ["a", "b", "a", "b"], "y_true"),
    ([0, 1, 1, 0], [0, 1, None, 0], ["a", "b", "a", "b"], "y_pred"),
    ([0, 1, 1, 0], [0, 1, 1, 0], ["a", "a", "a", "a"], "G"),
    ([0, 1, 1, 0], [0, 1, 1], ["a", "b", "a", "b"], "y_pred"),
    ([0, 1, 1, 0], [0, 1, 1, 0], ["a", "b", None, "b"], "G"),
])
def test_bad_inputs_name_the_column(y, pred, groups, field):
    with pytest.raises(ValidationFailed) as problem:
        fairness_report(y, pred, pd.Series(groups, name="G"), bootstrap=5)
    assert problem.value.params["column"] == field
