"""The federation pages through the real app: the page, its JSON twin, the run form."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aiplus.apps.federated.demo import DEMO_ORG, load_demo_federation
from aiplus.platform.services import Platform
from tests.factories import Factory


def test_federation_page_lists_demo_banks_and_refuses_a_bad_run(
        platform: Platform, client: TestClient, factory: Factory) -> None:
    platform.migrate()
    assert load_demo_federation(platform) == f"5 demo banks in {DEMO_ORG[0]}"
    assert load_demo_federation(platform) == f"0 demo banks in {DEMO_ORG[0]}"  # idempotent
    officer = factory.member("fl-web-officer", DEMO_ORG[0], "officer")
    html = client.get("/federated", headers=officer.headers)
    assert html.status_code == 200 and "Harbour Bank" in html.text
    assert "<caption" in html.text and 'for="fl-rounds"' in html.text
    zh = client.get("/federated", headers={**officer.headers, "Accept-Language": "zh-Hant"})
    assert "聯邦學習" in zh.text
    assert "同意書" in zh.text and "數據使用協議" in zh.text and "consent" not in zh.text
    twin = client.get("/federated", params={"format": "json"}, headers=officer.headers).json()
    assert len(twin["participants"]) == 5 and all(p["ready"] for p in twin["participants"])
    ids = [p["id"] for p in twin["participants"]][:2]
    bad = client.post("/federated/runs", headers=officer.headers, data={
        "org": DEMO_ORG[0], "participant_ids": ids, "partition": "zipf"})
    assert bad.status_code == 422 and "Unknown partitioning" in bad.text
    outsider = factory.member("fl-web-outsider", "elsewhere", "officer")
    assert "Harbour Bank" not in client.get("/federated", headers=outsider.headers).text
    assert client.get("/federated/runs/1", headers=outsider.headers).status_code == 404


def test_an_administrator_lands_on_the_demo_federation_and_empty_orgs_offer_no_run(
        platform: Platform, client: TestClient, factory: Factory) -> None:
    """Issue 27: after the demo load the page showed "No participants yet" (the admin's own
    organisation) and still offered "Start the run"."""
    platform.migrate()
    load_demo_federation(platform)
    admin = factory.member("fl-platform-admin", "hk-dpo", "admin", platform_admin=True)
    landing = client.get("/federated", params={"format": "json"}, headers=admin.headers).json()
    assert landing["org"] == DEMO_ORG[0] and len(landing["participants"]) == 5
    assert "Start the run" in client.get("/federated", headers=admin.headers).text
    empty = factory.member("fl-empty-officer", "hk-td", "officer")
    page = client.get("/federated", headers=empty.headers)
    assert page.status_code == 200 and "No participants yet" in page.text
    assert "Start the run" not in page.text and "once a participant has both" in page.text
