"""Assurance plugins on the real credit model: schema'd inputs and outputs, real figures."""

import numpy as np
import pandas as pd
import pytest

from aiplus.core.errors import ValidationFailed
from aiplus.ethics.assurance import PLUGINS
from aiplus.ethics.assurance.contract import AssuranceData
from aiplus.ethics.assurance.store import run_suite

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def data(credit):
    return AssuranceData.from_model(credit.model.score, credit.test_features, credit.test_label,
                                    sensitive=credit.test_sensitive, tree_model=credit.booster)


@pytest.fixture(scope="module")
def suite(data):
    return run_suite(data, params={"explainability": {"sample": 200, "dependence_features": 2},
                                   "robustness": {"sample": 1000}, "fairness": {"bootstrap": 20}})


def test_every_plugin_runs_on_a_model(suite):
    assert set(suite) == set(PLUGINS)
    performance = suite["performance"][1]["metrics"]
    assert 0.70 < performance["auc"] < 0.85 and 0 < performance["ece"] < 0.1
    assert sum(b["count"] for b in suite["performance"][1]["reliability"]) == 9000


def test_shap_explains_the_repayment_history_first(suite, data):
    output = suite["explainability"][1]
    assert output["method"] == {**output["method"], "explainer": "TreeExplainer", "sample": 200}
    assert next(iter(output["global_importance"])) == "PAY_0"
    curve = output["partial_dependence"]["PAY_0"]
    assert curve[-1]["mean_score"] > curve[0]["mean_score"]  # later payment, more default
    local = output["local"][0]
    # SHAP values of a tree model add up to the log-odds of its score
    assert len(local["contributions"]) == 5


def test_robustness_and_missing_values(suite):
    output = suite["robustness"][1]
    assert output["method"]["sample"] == 1000 and output["method"]["stratified_by"] == "label"
    flips = [row["flip_rate"] for row in output["perturbation"]]
    assert flips == sorted(flips) and all(0 <= f < 0.2 for f in flips)
    assert output["missing"]["PAY_0"]["supported"] is True
    assert output["missing"]["PAY_0"]["auc_drop"] > output["missing"]["EDUCATION"]["auc_drop"]
    for row in output["perturbation"]:
        low, high = row["flip_rate_interval"]
        assert low <= row["flip_rate"] <= high < 1


def test_robustness_samples_rows_stratified_by_label(data):
    from aiplus.ethics.assurance.robustness import stratified_sample

    rows = stratified_sample(data.y_true, 1000, np.random.default_rng(0))
    assert len(rows) == 1000 and len(set(rows.tolist())) == 1000
    assert abs(data.y_true[rows].mean() - data.y_true.mean()) < 0.002


def test_predictions_alone_run_only_the_tests_they_allow(credit):
    score = credit.model.score(credit.test_features)
    frame = pd.concat([credit.test_sensitive, pd.DataFrame(
        {"y": credit.test_label, "p": (score >= 0.5).astype(int), "s": score})], axis=1)
    data = AssuranceData.from_predictions(frame, label="y", pred="p", score="s",
                                          sensitive=["SEX"])
    done = run_suite(data, names=["fairness", "performance", "data-quality"],
                     params={"fairness": {"bootstrap": 5}})
    assert done["fairness"][1]["groups"]["SEX=1"]["count"] > 0
    with pytest.raises(ValidationFailed) as problem:
        PLUGINS["explainability"].execute(data)
    assert problem.value.params["what"] == "model"


def test_parameters_are_checked_against_the_schema(data):
    with pytest.raises(ValidationFailed) as problem:
        PLUGINS["fairness"].parameters({"bootstrap": 0})
    assert problem.value.params["field"] == "bootstrap"
    with pytest.raises(ValidationFailed):
        PLUGINS["performance"].parameters({"unknown": 1})
    assert PLUGINS["performance"].parameters({})["bins"] == 10


def test_missing_columns_are_named():
    frame = pd.DataFrame({"y": [0, 1], "p": [0, 1]})
    with pytest.raises(ValidationFailed) as problem:
        AssuranceData.from_predictions(frame, label="y", pred="p", sensitive=["SEX"])
    assert problem.value.params["column"] == "SEX"
    with pytest.raises(ValidationFailed) as problem:
        AssuranceData.from_predictions(frame.assign(s=[0.2, np.nan]), label="y", pred="p",
                                       score="s")
    assert problem.value.params["column"] == "s"
