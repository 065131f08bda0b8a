"""Horizontal FL end to end in Flower's simulation engine (Ray), through ``aiplus fl run``.

One run per configuration, shared by every assertion about it: a logistic regression run
with a resilience drill (a poisoned, a NaN and a dropped-out bank), a private MLP run
(FedProx + SecAgg+ + DP), and federated XGBoost.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from aiplus.federated.cli import cli
from tests.federated.conftest import LABEL

pytestmark = [pytest.mark.nodb, pytest.mark.ray]


def fl_run(csvs: tuple[Path, Path], out: Path, *extra: str) -> dict:
    train, test = csvs
    result = CliRunner().invoke(cli, ["run", "--data", str(train), "--test", str(test),
                                      "--label", LABEL, "--out", str(out), "--rounds", "2",
                                      *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads((out / "results.json").read_text())


@pytest.fixture(scope="module")
def drill(credit_csvs, tmp_path_factory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("drill")
    return fl_run(credit_csvs, out, "--participants", "4", "--partition", "dirichlet:0.5",
                  "--model", "lr", "--faults", "1:dropout,2:nan,3:poison"), out


def test_results_and_predictions_are_written(drill, credit_csvs) -> None:
    results, out = drill
    assert results["rounds"] == 2 and len(results["participants_detail"]) == 4
    assert results["federated"]["auc"] > 0.65
    for bank in results["participants_detail"]:
        assert bank["local_only"]["auc"] is not None and bank["rows"] > 0
    assert results["bytes_sent"]["to_coordinator"] > 0 and results["time_s"] > 0
    predictions = pd.read_csv(out / "predictions.csv")
    test = pd.read_csv(credit_csvs[1])
    assert list(predictions["id"]) == list(test["ID"])
    assert predictions["score"].between(0, 1).all()
    assert set(results["fairness"]["groups"]) == {"SEX=1", "SEX=2"}


def test_bad_participants_are_rejected_and_each_incident_recorded(drill) -> None:
    results, _ = drill
    for entry in results["journal"]:
        assert entry["accepted"] == [0]
        assert {(r["participant"], r["reason"]) for r in entry["rejected"]} == {
            (2, "non-finite"), (3, "norm-outlier")}
        assert len(entry["failures"]) == 1 and "dropped out" in entry["failures"][0]
    kinds = sorted(i["kind"] for i in results["incidents"])
    assert kinds == ["failure", "failure", "non-finite", "non-finite", "norm-outlier",
                     "norm-outlier"]


def test_only_model_updates_cross_the_wire(drill) -> None:
    results, _ = drill
    wire = results["wire"]
    assert wire and {m["participant"] for m in wire} == {0, 2, 3}  # 1 dropped out
    shapes = {name: shape for m in wire for record in m["arrays"].values()
              for name, shape in record.items()}
    assert sorted(shapes.values()) == [[1], [1, len(results["features"])]]
    for message in wire:
        assert message["type"] == "train"
        assert message["configs"] == {"fitres.metrics": ["loss", "participant"],
                                      "fitres.status": ["code", "message"]}
        assert message["metrics"] == {"fitres.num_examples": ["num_examples"]}
        assert message["bytes"] < 1000  # weights and three numbers, never rows


def test_private_mlp_with_fedprox_secagg_and_dp(credit_csvs, tmp_path) -> None:
    results = fl_run(credit_csvs, tmp_path, "--participants", "3", "--model", "mlp",
                     "--strategy", "fedprox", "--secagg", "--dp-epsilon", "8")
    assert results["secagg"] and results["privacy"]["accountant"] == "opacus RDP"
    assert 7.0 < results["privacy"]["epsilon"] <= 8.0
    assert np.isfinite(results["federated"]["auc"])
    stages = {m["type"] for m in results["wire"]}
    assert stages == {"train"} and len(results["wire"]) > 3 * 2  # SecAgg+ stages add messages


def test_federated_xgboost_bagging(credit_csvs, tmp_path) -> None:
    results = fl_run(credit_csvs, tmp_path, "--participants", "3", "--model", "xgb")
    assert results["federated"]["auc"] > 0.7
    assert results["artefact"] == "model.json" and (tmp_path / "model.json").stat().st_size


def test_bad_options_fail_with_a_clear_message(credit_csvs, tmp_path) -> None:
    train, test = credit_csvs
    from aiplus.core.errors import ValidationFailed

    for extra, message in ((["--partition", "zipf"], "Unknown partitioning"),
                           (["--model", "xgb", "--secagg"], "not to trees"),
                           (["--faults", "9:explode"], "Unknown drill"),
                           (["--label", "nope"], "label column")):
        with pytest.raises(ValidationFailed, match=message):
            CliRunner().invoke(cli, ["run", "--data", str(train), "--test", str(test),
                                     "--label", LABEL, "--out", str(tmp_path), *extra],
                               catch_exceptions=False)
