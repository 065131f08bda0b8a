import json
import logging

from aiplus.core import audit


def test_tokens_are_shown_once_listed_without_secret_and_revocable(client, factory):
    ann = factory.member("ann")
    created = client.post("/api/tokens", json={"name": "script"}, headers=ann.headers)
    assert created.status_code == 201
    secret = created.json()["token"]
    assert client.get("/api/me", headers={"Authorization": secret}).json()["username"] == "ann"
    listed = client.get("/api/tokens", headers=ann.headers).json()["tokens"]
    assert secret not in json.dumps(listed) and len(listed) == 2
    token_id = created.json()["id"]
    assert client.delete(f"/api/tokens/{token_id}", headers=ann.headers).json()["revoked"]
    assert client.get("/api/me", headers={"Authorization": secret}).status_code == 401


def test_org_admin_creates_users_in_own_org_only(client, factory):
    boss = factory.member("boss", org="hk-td", role="admin")
    factory.org("hk-ha")
    made = client.post("/api/users", json={"username": "newbie", "org": "hk-td",
                                           "role": "data_steward"}, headers=boss.headers)
    assert made.status_code == 201 and made.json()["roles"] == {"hk-td": "data_steward"}
    elsewhere = client.post("/api/users", json={"username": "x2", "org": "hk-ha"},
                            headers=boss.headers)
    assert elsewhere.status_code == 403


def test_every_write_is_audited(client, platform, factory):
    admin = factory.admin()
    client.post("/api/orgs", json={"slug": "hk-ha", "name_en": "Hospital Authority",
                                   "name_zh": "醫院管理局", "kind": "hospital"}, headers=admin.headers)
    client.post("/api/tokens", json={"name": "x"}, headers=admin.headers)
    verified = client.get("/api/audit/verify", headers=admin.headers).json()
    assert verified["ok"] and verified["checked"] == 2
    actions = [e["action"] for e in client.get("/api/audit", headers=admin.headers).json()["entries"]]
    assert actions == ["token.create", "org.create"]
    with platform.db.read() as session:
        assert audit.verify(session).ok


def test_cached_org_list_sees_writes_at_once(client, factory):
    admin = factory.admin()
    before = {o["slug"] for o in client.get("/api/orgs").json()["organisations"]}
    client.post("/api/orgs", json={"slug": "hk-hko", "name_en": "Observatory",
                                   "name_zh": "天文台"}, headers=admin.headers)
    after = {o["slug"] for o in client.get("/api/orgs").json()["organisations"]}
    assert after - before == {"hk-hko"}


def test_health_readiness_and_metrics(client, factory):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").json() == {"status": "ready",
                                            "checks": {"database": "ok", "migrations": "ok"}}
    client.get("/api/orgs")
    text = client.get("/metrics", headers=factory.admin().headers).text
    assert 'aiplus_http_requests_total{method="GET",route="/api/orgs",status="200"}' in text
    assert "aiplus_http_request_seconds_bucket" in text


def test_requests_are_logged_as_json(client, capsys):
    from aiplus.core.logs import configure_logging

    configure_logging("INFO", json_logs=True)
    try:
        client.get("/api/orgs")
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    finally:
        configure_logging("WARNING", json_logs=False)
        logging.getLogger().setLevel(logging.WARNING)
    access = [line for line in lines if line.get("logger") == "aiplus.access"]
    assert access and access[-1]["route"] == "/api/orgs" and access[-1]["status"] == 200
    assert len(access[-1]["request_id"]) == 16


def test_docs_are_served_without_a_cdn(client):
    page = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in page and "cdn." not in page
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "AI Plus"


def test_home_counts_only_models_an_app_ships(client):
    """Issue 27: the registry app's card read "Models 0" while the registry listed 18."""
    page = client.get("/", headers={"Accept": "text/html"}).text
    assert "<dd>0</dd>" not in page and "Models it ships" in page
