"""The worked example: trained on the real UCI data, registered, tested, assessed, approved,
deployed and monitored by ``aiplus demo load``; visible in the portal and the AI register."""

from __future__ import annotations

import pandas as pd
import pytest

from aiplus.apps.responsible import demo
from aiplus.apps.responsible.monitoring import due_monitors, run_check
from aiplus.ethics.drift.tables import DriftMonitor
from tests.compute.test_jobs import wait_for


@pytest.fixture
def loaded(platform, monkeypatch):
    platform.migrate()
    monkeypatch.setattr(demo, "ROUNDS", 40)
    monkeypatch.setattr(demo, "SUITE_PARAMS", {
        "explainability": {"sample": 200, "dependence_features": 1},
        "robustness": {"sample": 1000}, "fairness": {"bootstrap": 20}})
    outcome = demo.load_demo(platform)
    return platform, outcome


def test_demo_runs_the_whole_lifecycle_once_and_monitors_drift(loaded, client, factory):
    platform, outcome = loaded
    assert "approved and deployed" in outcome
    assert demo.load_demo(platform) == "credit-default already deployed"
    shown = client.get("/api/responsible/models/credit-default").json()
    assert shown["status"] == "deployed" and shown["lineage"]["rows"] == 30000
    assert set(shown["results"]) == {"fairness", "performance", "explainability", "robustness",
                                     "data-quality"}
    groups = shown["results"]["fairness"]["output"]["groups"]
    assert {"SEX=1", "SEX=2", "AGE_BAND=<25", "EDUCATION=1", "MARRIAGE=2"} <= set(groups)
    assert shown["assessments"][0]["status"] == "approved"

    register = client.get("/register?format=json").json()
    system = next(s for s in register["systems"] if s["name"] == "credit-default")
    version = system["versions"][0]
    assert version["risk_level"] == "II" and version["assessment_status"] == "approved"
    assert version["tests"]["performance"]["passed"] is True
    assert system["purpose"]["zh-Hant"].startswith("按下月違約風險")
    chinese = client.get("/register?lang=zh-Hant")
    assert chinese.status_code == 200 and "信用卡違約風險" in chinese.text
    page = client.get("/responsible/models/credit-default/versions/1.0.0")
    assert "PAY_0" in page.text and "SEX=2" in page.text

    # drift monitoring (one test, because loading the demo is the slow part)
    with platform.db.read() as session:
        monitor = session.query(DriftMonitor).one()
        assert monitor.checks[0].drifted is False  # two halves of the same test split
        reference_key = monitor.reference_key
    frame = pd.read_csv(platform.files.path(reference_key))
    shifted = frame.assign(LIMIT_BAL=frame["LIMIT_BAL"] * 2, PAY_0=frame["PAY_0"] + 2,
                           score=frame["score"].clip(0, 0.5) + 0.4)
    platform.files.write_bytes(monitor.recent_key, shifted.to_csv(index=False).encode())
    assert due_monitors(platform.db) == []  # checked just now; next one is due in a day
    check = run_check(platform.db, platform.files, monitor.id)
    assert check["drifted"] is True
    assert {"LIMIT_BAL", "PAY_0"} <= set(check["output"]["drifted_columns"])
    assert check["output"]["columns"]["LIMIT_BAL"]["test"] == "wasserstein-normed"
    admin = factory.admin()
    job = platform.jobs.submit(admin.principal, "responsible-ai.drift-checks",
                               {"monitor": monitor.id})
    finished = wait_for(platform.jobs, admin.principal, job.id)
    assert finished.status == "succeeded", finished.error
    assert finished.result["checked"] == 1 and finished.result["drifted"] == 1
    incidents = client.get("/api/security/incidents", headers=admin.headers).json()
    assert any(i["scanner"] == "drift" and "credit-default" in i["text"]
               for i in incidents["incidents"])
