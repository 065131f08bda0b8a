"""The federated-learning API through the real app: the participant registry, agreements,
who may do what, clear refusals, and one real (small) run as a job."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from aiplus.apps.federated.service import Federation, RunSettings
from aiplus.platform.services import Platform
from tests.factories import Factory, Member

ORG = "fl-coord"
AGREEMENT = {"purpose": "Credit default model", "signed_by": "DPO", "signed_on": "2026-01-05"}


@dataclass
class Team:
    steward: Member
    officer: Member
    outsider: Member


@pytest.fixture
def team(platform: Platform, factory: Factory) -> Team:
    platform.migrate()
    return Team(factory.member("fl-steward", ORG, "data_steward"),
                factory.member("fl-officer", ORG, "officer"),
                factory.member("fl-outsider", "other-org", "admin"))


def add_bank(client: TestClient, team: Team, name: str, agreements=("consent", "data-use")) -> int:
    created = client.post("/api/federated/participants", headers=team.steward.headers,
                          json={"org": ORG, "name": name, "kind": "bank"})
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    for kind in agreements:
        signed = client.post(f"/api/federated/participants/{pid}/agreements",
                             headers=team.steward.headers, json={"kind": kind, **AGREEMENT})
        assert signed.status_code == 201, signed.text
    return pid


def test_registry_agreements_and_readiness(client: TestClient, team: Team) -> None:
    ready = add_bank(client, team, "Harbour Bank")
    half = add_bank(client, team, "Peak Bank", agreements=("consent",))
    listed = client.get("/api/federated/participants", params={"org": ORG},
                        headers=team.officer.headers).json()["participants"]
    assert {p["id"]: p["ready"] for p in listed} == {ready: True, half: False}
    refused = client.post("/api/federated/runs", headers=team.officer.headers,
                          json={"org": ORG, "participant_ids": [ready, half]})
    assert refused.status_code == 422 and "Peak Bank" in refused.json()["error"]["message"]


def test_roles_and_organisations_are_enforced(client: TestClient, team: Team) -> None:
    pid = add_bank(client, team, "Harbour Bank")
    body = {"org": ORG, "name": "Rogue", "kind": "bank"}
    assert client.post("/api/federated/participants", json=body).status_code == 401
    assert client.post("/api/federated/participants", headers=team.officer.headers,
                       json=body).status_code == 403
    assert client.get("/api/federated/participants", params={"org": ORG},
                      headers=team.outsider.headers).status_code == 403
    assert client.post(f"/api/federated/participants/{pid}/agreements",
                       headers=team.outsider.headers,
                       json={"kind": "consent", **AGREEMENT}).status_code == 404
    assert client.post("/api/federated/runs", headers=team.steward.headers,
                       json={"org": ORG, "participant_ids": [pid, pid]}).status_code == 403


@pytest.mark.parametrize(("payload", "status"), [
    ({"kind": "bank"}, 422),
    ({"name": "X", "kind": "casino"}, 422),
    ({"name": "x" * 500, "kind": "bank"}, 422),
])
def test_bad_participants_get_clear_errors(client: TestClient, team: Team, payload, status) -> None:
    response = client.post("/api/federated/participants", headers=team.steward.headers,
                           json={"org": ORG, **payload})
    assert response.status_code == status
    assert "message" in response.json()["error"]


def test_bad_agreements_and_runs_are_refused(client: TestClient, team: Team) -> None:
    pid = add_bank(client, team, "Harbour Bank")
    expired = client.post(f"/api/federated/participants/{pid}/agreements",
                          headers=team.steward.headers,
                          json={"kind": "consent", **AGREEMENT, "expires_on": "2025-01-01"})
    assert expired.status_code == 422
    for bad in ({"participant_ids": [pid]}, {"participant_ids": [pid, 999], "rounds": 0},
                {"participant_ids": [pid, 999], "partition": "zipf"},
                {"participant_ids": [pid, 999], "model": "xgb", "secagg": True}):
        response = client.post("/api/federated/runs", headers=team.officer.headers,
                               json={"org": ORG, **bad})
        assert response.status_code in (404, 422), (bad, response.text)


@pytest.mark.ray
def test_a_run_journals_rounds_records_incidents_and_registers_the_model(
        platform: Platform, client: TestClient, team: Team) -> None:
    ids = [add_bank(client, team, name) for name in ("Harbour Bank", "Peak Bank", "Lantau")]
    started = Federation(platform).start(team.officer.principal, ORG, RunSettings(
        participant_ids=ids, rows=1500, rounds=2, faults="2:poison"))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        run = client.get(f"/api/federated/runs/{started['id']}", headers=team.officer.headers)
        if run.json()["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    body = run.json()
    assert body["status"] == "done", body
    assert [r["round"] for r in body["rounds"]] == [1, 2]
    assert all(r["rejected"] == [{"participant": 2, "reason": "norm-outlier"}]
               for r in body["rounds"])
    assert body["results"]["federated"]["auc"] > 0.6
    assert body["model"]["name"] == f"credit-fl-lr-{ORG}"
    from aiplus.guard.monitor.tables import Incident
    from aiplus.models.registry import get_version

    with platform.db.read() as session:
        version = get_version(session, body["model"]["name"], body["model"]["version"])
        assert version.as_dict()["metrics"]["auc"] == body["results"]["federated"]["auc"]
        incidents = session.scalars(select(Incident).where(Incident.app == "federated")).all()
        assert len(incidents) == 2 and {i.org for i in incidents} == {ORG}
    page = client.get("/api/federated/runs", params={"org": ORG},
                      headers=team.officer.headers).json()["runs"]
    assert page[0]["id"] == started["id"] and page[0]["federated"]["auc"] is not None
