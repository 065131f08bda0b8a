"""The same ServerApp and ClientApp as real processes on loopback: one SuperLink, one
SuperNode per bank (``flower-superlink`` / ``flower-supernode`` / ``flwr run``)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from aiplus.federated.cli import cli
from tests.federated.conftest import LABEL

pytestmark = [pytest.mark.nodb, pytest.mark.flower]


def test_two_banks_two_rounds_over_grpc_on_loopback(credit_csvs, tmp_path) -> None:
    train, test = credit_csvs
    result = CliRunner().invoke(cli, [
        "run", "--data", str(train), "--test", str(test), "--label", LABEL, "--out",
        str(tmp_path), "--participants", "2", "--rounds", "2", "--deploy"],
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    results = json.loads((tmp_path / "results.json").read_text())
    assert [e["round"] for e in results["journal"]] == [1, 2]
    assert all(e["accepted"] == [0, 1] for e in results["journal"])
    assert {m["participant"] for m in results["wire"]} == {0, 1}  # taps in the SuperNodes
    assert results["federated"]["auc"] > 0.65
