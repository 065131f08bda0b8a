from importlib.metadata import EntryPoint, entry_points

import pytest
from fastapi.testclient import TestClient

from aiplus.platform import registry as registry_module
from aiplus.platform.app import create_app
from aiplus.platform.registry import AppRegistry
from aiplus.platform.services import Platform
from tests.apps.sample import app as sample_app


def test_installed_apps_are_discovered_through_entry_points():
    slugs = [app.slug for app in AppRegistry.discover()]
    assert "ai-register" in slugs


def test_a_third_party_package_plugs_in_through_the_entry_point_group(monkeypatch, settings):
    real = list(entry_points(group=registry_module.ENTRY_POINT_GROUP))
    fake = EntryPoint(name="sample-app", value="tests.apps.sample:app",
                      group=registry_module.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry_module, "entry_points", lambda group: [*real, fake])
    platform = Platform.build(settings)
    try:
        assert platform.registry.get("sample-app") is sample_app
        assert "sample.job" in platform.jobs.kinds
    finally:
        platform.close()


def test_bad_apps_are_refused():
    with pytest.raises(ValueError):
        AppRegistry([sample_app, sample_app])
    with pytest.raises(TypeError):
        AppRegistry([object()])  # type: ignore[list-item]


@pytest.fixture
def hosted(settings, factory):
    platform = Platform.build(settings, extra_apps=[sample_app])
    with TestClient(create_app(platform=platform), raise_server_exceptions=False) as client:
        yield client, platform
    platform.close()


def test_the_whole_contract_is_hosted(hosted, factory):
    client, platform = hosted
    officer = factory.member("ann")
    # API router, protected like every write
    assert client.post("/api/sample/echo", json={"a": 1}).status_code == 401
    reply = client.post("/api/sample/echo", json={"a": 1}, headers=officer.headers)
    assert reply.json() == {"echo": {"a": 1}, "by": "ann"}
    # web page from the app's own template folder, with a JSON twin
    assert 'id="greeting">hello en<' in client.get("/sample").text
    assert client.get("/sample?format=json").json() == {"greeting": "hello"}
    # navigation, register and model cards
    assert 'href="/sample"' in client.get("/").text
    entry = client.get("/api/register/sample-app").json()
    assert entry["models"][0]["metrics"] == {"auc": 0.91}
    assert entry["assessment"]["risk_level"] == "medium"
    listing = client.get("/api/register").json()
    assert listing["models"] == len(platform.registry.models())
    assert {a["slug"] for a in listing["apps"]} >= {"sample-app", "ai-register"}
    card_page = client.get("/register/sample-app", headers={"Accept-Language": "zh-HK"}).text
    assert "樣本分類器" in card_page and "1.2.0" in card_page
    assert "sample-clf" in client.get("/api/register/export.csv").text
    # jobs and benchmarks
    assert "sample.job" in {k["name"] for k in client.get("/api/jobs/kinds").json()["kinds"]}
    assert "sample-bench" in platform.registry.benchmarks()


def test_unknown_app_is_a_404(client):
    response = client.get("/api/register/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
