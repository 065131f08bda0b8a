"""``aiplus assure fairness`` prints the result JSON, or a bilingual JSON error."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from aiplus.ethics.cli import cli

pytestmark = pytest.mark.nodb


@pytest.fixture
def predictions(tmp_path, credit):
    score = credit.model.score(credit.test_features)
    frame = pd.concat([credit.test_sensitive, pd.DataFrame(
        {"label": credit.test_label, "pred": (score >= 0.5).astype(int), "score": score})],
        axis=1)
    path = tmp_path / "predictions.csv"
    frame.to_csv(path, index=False)
    return path


def test_fairness_prints_groups_and_disparities(predictions):
    result = CliRunner().invoke(cli, [
        "fairness", "--predictions", str(predictions), "--label", "label", "--pred", "pred",
        "--score", "score", "--sensitive", "SEX,AGE_BAND", "--bootstrap", "10"])
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert {"SEX=1", "SEX=2", "AGE_BAND=25-34"} <= set(output["groups"])
    assert set(output["disparities"]) == {"SEX", "AGE_BAND"}
    assert "auc" in output["groups"]["SEX=1"]


def test_a_missing_column_is_a_bilingual_json_error(predictions):
    result = CliRunner().invoke(cli, [
        "fairness", "--predictions", str(predictions), "--label", "label", "--pred", "nope",
        "--sensitive", "SEX"])
    assert result.exit_code == 2
    error = json.loads(result.stderr)["error"]
    assert "nope" in error["message"]["en"] and set(error["message"]) == {"en", "zh-Hant"}


def test_plugins_lists_schemas():
    result = CliRunner().invoke(cli, ["plugins"])
    names = {p["name"] for p in json.loads(result.stdout)}
    assert names == {"fairness", "performance", "explainability", "robustness", "data-quality"}
