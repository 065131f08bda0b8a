"""The open data pages in both languages, their JSON twins, and the steward's publishing flow."""

import re

from tests.data.catalog.conftest import journey_times
from tests.factories import PASSWORD


def sign_in(client, username):
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/data/new").text).group(1)


def test_home_search_category_organisation_and_dataset_pages(client, ckan, steward):
    ckan("package_create", steward, **journey_times())
    home = client.get("/data", headers={"Accept-Language": "zh-HK"}).text
    assert "運輸" in home and "行車時間指示器" in home
    found = client.get("/data/search?q=行車").text
    assert "Journey Time Indicators" in found
    faceted = client.get("/data/search", params={"groups": "transport", "format": "json"}).json()
    assert faceted["count"] == 1 and faceted["search_facets"]["res_format"]["items"][0]["name"] == "XML"
    assert client.get("/data/search", params={"groups": "health", "format": "json"}).json()["count"] == 0
    assert "Journey Time Indicators" in client.get("/data/group/transport").text
    assert "Journey Time Indicators" in client.get("/data/organization/hk-td").text
    page = client.get("/data/dataset/journey-time-indicators").text
    assert "Transport Department traffic detectors" in page and "package_show?id=" in page
    twin = client.get("/data/dataset/journey-time-indicators?format=json").json()
    assert twin["dataset"]["name"] == "journey-time-indicators" and twin["editable"] is False
    assert client.get("/data/dataset/nope").status_code == 404
    assert client.get("/data/group/nope").status_code == 404


def test_steward_publishes_through_the_forms(client, steward):
    token = sign_in(client, "steward")
    bad = client.post("/data/new", data={
        "csrf_token": token, "name": "Bad Name", "title_en": "x", "title_zh": "", "owner_org": "hk-td",
        "license_id": "cc-by", "provenance": ""})
    assert bad.status_code == 422 and "name" in bad.text and "provenance" in bad.text
    made = client.post("/data/new", data={
        "csrf_token": token, "name": "ferry-punctuality", "title_en": "Ferry punctuality",
        "title_zh": "渡輪準時率", "owner_org": "hk-td", "license_id": "cc-by",
        "provenance": "Ferry operators' monthly returns", "group": "transport",
        "tags": "ferry, punctuality"}, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/data/dataset/ferry-punctuality"
    upload = client.post("/data/dataset/ferry-punctuality/upload",
                         data={"csrf_token": token, "resource_name": "Monthly figures"},
                         files={"file": ("ferry.csv", b"month,route,on_time\n2026-10,Central-Mui Wo,0.97\n",
                                         "text/csv")}, follow_redirects=False)
    assert upload.status_code == 303
    dataset = client.get("/data/dataset/ferry-punctuality?format=json").json()["dataset"]
    assert dataset["resources"][0]["format"] == "CSV" and dataset["resources"][0]["size"] > 0
    download = client.get(dataset["resources"][0]["url"].replace("http://testserver", ""))
    assert download.status_code == 200 and download.content.startswith(b"month,route")
    empty = client.post("/data/dataset/ferry-punctuality/upload", data={"csrf_token": token},
                        files={"file": ("empty.csv", b"", "text/csv")})
    assert empty.status_code == 422


def test_the_form_needs_a_signed_in_steward(client, factory):
    assert client.get("/data/new", follow_redirects=False).status_code == 303
    factory.member("clerk", org="hk-td", role="officer")
    sign_in(client, "clerk")
    assert "data steward role" in client.get("/data/new").text


def test_archive_keeps_every_upload(client, ckan, steward):
    created = ckan("package_create", steward, **journey_times(resources=[]))[1]["result"]
    headers = {"Authorization": steward.token}
    first = client.post("/api/3/action/resource_create", headers=headers,
                        data={"package_id": created["id"], "name": "Readings"},
                        files={"upload": ("readings.csv", b"a,b\n1,2\n", "text/csv")}).json()["result"]
    second = client.post("/api/3/action/resource_update", headers=headers,
                         data={"id": first["id"]},
                         files={"upload": ("readings.csv", b"a,b\n3,4\n", "text/csv")}).json()["result"]
    assert second["hash"] != first["hash"]
    from datetime import datetime, timedelta, timezone

    today = datetime.now(timezone(timedelta(hours=8))).strftime("%Y%m%d")
    files = client.get("/api/v1/historical-archive/list-files", params={
        "start": today, "end": today, "provider": "hk-td"}).json()
    assert files["file-count"] == 1 and files["files"][0]["url"] == second["url"]
    versions = client.get("/api/v1/historical-archive/list-file-versions", params={
        "url": second["url"], "start": today, "end": today}).json()
    assert len(versions["timestamps"]) == 2
    latest = client.get("/api/v1/historical-archive/get-file",
                        params={"url": second["url"], "time": versions["timestamps"][-1]})
    assert latest.status_code == 200 and latest.content == b"a,b\n3,4\n"
    assert client.get("/api/v1/historical-archive/list-files",
                      params={"start": "2026-01-01", "end": today}).status_code == 422
    assert client.get("/api/v1/historical-archive/list-files",
                      params={"start": today, "end": "20000101"}).status_code == 400
    assert client.get("/api/v1/historical-archive/get-file",
                      params={"url": "https://nowhere", "time": "20260101-0000"}).status_code == 404
