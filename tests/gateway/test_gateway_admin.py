"""Gateway keys and quotas for administrators: ``/api/gateway`` (JSON) and the
``/security/gateway`` page's plain forms, with their role checks (an organisation's admin
manages that organisation only, a platform admin all, anyone else gets 403, nobody signed in
401), and the gateway's figures on ``/metrics`` from start-up."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from aiplus.core.audit import AuditEntry
from aiplus.core.i18n import translator
from aiplus.platform.services import Platform
from tests.factories import Factory, Member
from tests.gateway.conftest import sign_in

KEYS = "/api/gateway/keys"
SECRET = re.compile(r"<code>(aig_[^<]+)</code>")


def audit_actions(platform: Platform) -> list[str]:
    with platform.db.read() as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("gateway.key.%")).order_by(AuditEntry.seq)))


def test_metrics_are_on_metrics_before_any_call(client: TestClient, factory: Factory) -> None:
    exposed = client.get("/metrics", headers=factory.admin().headers).text
    for name in ("aiplus_gateway_requests_total", "aiplus_gateway_tokens_total",
                 "aiplus_gateway_latency_seconds", "aiplus_gateway_time_to_first_token_seconds"):
        assert f"# TYPE {name} " in exposed, name


def test_key_administration_follows_roles(client: TestClient, platform: Platform,
                                          factory: Factory) -> None:
    td_admin = factory.member("td-admin", org="hk-td", role="admin")
    dh_admin = factory.member("dh-admin", org="hk-dh", role="admin")
    officer = factory.member("td-officer", org="hk-td", role="officer")
    root = factory.admin()
    body = {"org": "hk-td", "name": "FAQ bot", "requests_per_minute": 5}

    assert client.post(KEYS, json=body).status_code == 401
    assert client.get(KEYS).status_code == 401
    for outsider in (officer, dh_admin):
        assert client.post(KEYS, json=body, headers=outsider.headers).status_code == 403
    assert client.get(KEYS, headers=officer.headers).status_code == 403
    assert audit_actions(platform) == []

    created = client.post(KEYS, json=body, headers=td_admin.headers)
    assert created.status_code == 201, created.text
    td_key = created.json()["key"]
    assert created.json()["secret"].startswith("aig_") and td_key["org"] == "hk-td"
    assert td_key["quotas"]["requests_per_minute"] == 5 and td_key["active"]
    dh_key = client.post(KEYS, json={"org": "hk-dh", "name": "Clinic forms"},
                         headers=root.headers).json()["key"]

    def listed(member: Member, query: str = "") -> list[str]:
        response = client.get(KEYS + query, headers=member.headers)
        assert response.status_code == 200, response.text
        return sorted(k["name"] for k in response.json()["keys"])

    assert listed(td_admin) == ["FAQ bot"] and listed(dh_admin) == ["Clinic forms"]
    assert listed(root) == ["Clinic forms", "FAQ bot"] and listed(root, "?org=hk-dh") == [
        "Clinic forms"]
    assert client.get(KEYS + "?org=hk-dh", headers=td_admin.headers).status_code == 403

    quotas = f"{KEYS}/{td_key['id']}"
    for outsider in (officer, dh_admin):
        assert client.patch(quotas, json={"tokens_per_day": 10}, headers=outsider.headers
                            ).status_code == 403
    for bad in ({"tokens_per_day": 0}, {"max_prompt_chars": 5}, {"colour": "red"}):
        assert client.patch(quotas, json=bad, headers=td_admin.headers).status_code == 422, bad
    changed = client.patch(quotas, json={"tokens_per_day": 10_000, "requests_per_minute": 60},
                           headers=td_admin.headers)
    assert changed.status_code == 200 and changed.json()["quotas"]["tokens_per_day"] == 10_000
    assert changed.json()["quotas"]["requests_per_minute"] == 60
    assert client.patch(f"{KEYS}/{dh_key['id']}", json={"tokens_per_day": 7},
                        headers=root.headers).json()["quotas"]["tokens_per_day"] == 7

    assert client.post(f"{quotas}/revoke").status_code == 401
    assert client.post(f"{quotas}/revoke", headers=dh_admin.headers).status_code == 403
    assert client.post(f"{KEYS}/999999/revoke", headers=root.headers).status_code == 404
    revoked = client.post(f"{quotas}/revoke", headers=td_admin.headers)
    assert revoked.status_code == 200 and revoked.json()["active"] is False
    assert audit_actions(platform) == ["gateway.key.create", "gateway.key.create",
                                       "gateway.key.quotas", "gateway.key.quotas",
                                       "gateway.key.revoke"]


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_gateway_page_creates_and_revokes_keys_with_plain_forms(
        client: TestClient, platform: Platform, factory: Factory, lang: str) -> None:
    admin = factory.member("td-admin", org="hk-td", role="admin")
    factory.org("hk-dh")
    csrf = sign_in(client, admin.username, lang)
    page = client.get("/security/gateway")
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert translator(lang)("No keys yet.") in page.text

    form = {"csrf_token": csrf, "org": "hk-td", "name": "Forms bot", "requests_per_minute": "5",
            "tokens_per_day": "", "max_prompt_chars": "4000"}
    created = client.post("/security/gateway/keys", data=form)
    assert created.status_code == 201, created.text
    secret = SECRET.search(created.text)
    assert secret and "Forms bot" in created.text
    assert translator(lang)("The new key is shown only once. Copy it now:") in created.text
    models = client.get("/v1/models", headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert models.status_code == 200  # the key works at once

    assert client.post("/security/gateway/keys", data={**form, "org": "hk-dh"}).status_code == 403
    assert client.post("/security/gateway/keys",
                       data={**form, "requests_per_minute": "0"}).status_code == 422
    assert client.post("/security/gateway/keys",
                       data={**form, "csrf_token": "forged"}).status_code == 403
    with platform.db.read() as session:
        key_id = session.scalar(select(AuditEntry.target).where(
            AuditEntry.action == "gateway.key.create"))
    assert audit_actions(platform) == ["gateway.key.create"]  # the refused forms wrote nothing

    revoked = client.post(f"/security/gateway/keys/{key_id}/revoke", data={"csrf_token": csrf},
                          follow_redirects=False)
    assert revoked.status_code == 303 and revoked.headers["location"] == "/security/gateway"
    assert translator(lang)("Revoked") in client.get("/security/gateway").text
    assert client.get("/v1/models", headers={"Authorization": f"Bearer {secret.group(1)}"}
                      ).status_code == 401


def test_gateway_page_is_for_administrators(client: TestClient, factory: Factory) -> None:
    officer = factory.member("td-officer", org="hk-td", role="officer")
    assert client.get("/security/gateway", headers=officer.headers).status_code == 403
    anonymous = client.get("/security/gateway?format=json")
    assert anonymous.status_code == 401
    twin = client.get("/security/gateway?format=json", headers=factory.admin().headers)
    assert twin.status_code == 200 and set(twin.json()) >= {"keys", "usage", "days"}
