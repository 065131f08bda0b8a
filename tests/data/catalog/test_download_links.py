"""A resource's download link works from whichever address served it (issue 27): the link is
built per request, or from the configured public URL behind a proxy, never stored with a host."""

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from aiplus.core.settings import Settings
from aiplus.data.catalog.links import uploaded_resource_id, with_absolute_links
from aiplus.platform.app import create_app
from aiplus.platform.services import Platform
from tests.data.catalog.conftest import journey_times
from tests.factories import Factory

HOSTS = ("http://127.0.0.1:8000", "https://data.example.hk:8443", "http://10.0.0.5:9000")


def _upload(client, steward) -> dict:
    created = client.post("/api/3/action/package_create", headers={"Authorization": steward.token},
                          json=journey_times(resources=[])).json()["result"]
    return client.post("/api/3/action/resource_create", headers={"Authorization": steward.token},
                       data={"package_id": created["id"], "name": "Readings"},
                       files={"upload": ("readings.csv", b"a,b\n1,2\n", "text/csv")}
                       ).json()["result"]


def test_links_follow_the_host_and_port_of_each_request(app, client, steward):
    resource = _upload(client, steward)
    for host in HOSTS:
        with TestClient(app, base_url=host, raise_server_exceptions=False) as there:
            shown = there.get("/api/3/action/package_show",
                              params={"id": "journey-time-indicators"}).json()["result"]
            url = shown["resources"][0]["url"]
            assert url == (f"{host}/dataset/journey-time-indicators/resource/{resource['id']}"
                           "/download/readings.csv")
            found = there.get("/api/3/action/package_search", params={"q": "journey"}).json()
            assert found["result"]["results"][0]["resources"][0]["url"] == url
            page = there.get("/data/dataset/journey-time-indicators?format=json").json()
            assert page["dataset"]["resources"][0]["url"] == url
            assert there.get(url).content == b"a,b\n1,2\n"


def test_archive_finds_a_file_by_its_link_from_any_host(app, client, steward):
    resource = _upload(client, steward)
    from datetime import datetime, timedelta, timezone

    today = datetime.now(timezone(timedelta(hours=8))).strftime("%Y%m%d")
    with TestClient(app, base_url=HOSTS[1]) as there:
        listed = there.get("/api/v1/historical-archive/list-files",
                           params={"start": today, "end": today}).json()["files"]
    assert listed[0]["url"].startswith(HOSTS[1] + "/dataset/")
    for url in (listed[0]["url"], resource["url"], listed[0]["url"].replace("-", "")):
        versions = client.get("/api/v1/historical-archive/list-file-versions",
                              params={"url": url, "start": today, "end": today})
        assert versions.status_code == 200 and len(versions.json()["timestamps"]) == 1


@pytest.mark.parametrize("public", ["https://opendata.example.gov.hk", "https://x.hk/portal"])
def test_a_configured_public_url_wins_behind_a_proxy(settings, public):
    platform = Platform.build(settings.model_copy(update={"public_url": public}))
    try:
        steward = Factory(platform).member("steward", org="hk-td", role="data_steward")
        with TestClient(create_app(platform=platform)) as client:
            url = _upload(client, steward)["url"]
        assert url.startswith(public + "/dataset/journey-time-indicators/resource/")
    finally:
        platform.close()


def test_a_public_url_must_be_an_http_address():
    with pytest.raises(ValueError):
        Settings(public_url="ftp://data.example.hk")
    with pytest.raises(ValueError):
        Settings(public_url="https://data.example.hk/?next=evil")


@given(st.text(max_size=200))
def test_any_url_parses_without_error(text):
    found = uploaded_resource_id(text)
    assert found is None or len(found) == 36


def test_only_uploaded_paths_become_absolute():
    value = {"resources": [{"url_type": "upload", "url": "/dataset/a/resource/b/download/c.csv"},
                           {"url_type": None, "url": "/relative/elsewhere"},
                           {"url_type": "upload", "url": "https://mirror.example/c.csv"}]}
    fixed = with_absolute_links(value, "http://h:1/")["resources"]
    assert [r["url"] for r in fixed] == ["http://h:1/dataset/a/resource/b/download/c.csv",
                                         "/relative/elsewhere", "https://mirror.example/c.csv"]
