"""The official CKAN client, ``ckanapi.RemoteCKAN``, unchanged, against a live server."""

from __future__ import annotations

import csv
import io

import ckanapi
import pytest

from tests.live_server import LiveServer


@pytest.fixture
def live(platform):
    with LiveServer(platform) as server:
        yield server


def test_ckanapi_create_upload_search_and_read_back(live, factory):
    steward = factory.member("steward", org="hk-td", role="data_steward")
    remote = ckanapi.RemoteCKAN(live.url, apikey=steward.token, user_agent="aiplus-tests/1.0")
    anonymous = ckanapi.RemoteCKAN(live.url, user_agent="aiplus-tests/1.0")

    package = remote.action.package_create(
        name="parking-vacancy", owner_org="hk-td", license_id="hk-dgh-terms",
        title_translated={"en": "Car park vacancy", "zh-Hant": "停車場空置車位"},
        notes="Vacant parking spaces of government car parks.",
        provenance="Transport Department car park sensors",
        tags=[{"name": "parking"}], groups=[{"name": "transport"}])
    assert package["name"] == "parking-vacancy"

    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["park_id", "district", "vacancy"])
    writer.writerows([["P1", "Central", 12], ["P2", "Sha Tin", 0], ["P3", "Tuen Mun", 45]])
    upload = io.BytesIO(rows.getvalue().encode())
    upload.name = "vacancy.csv"
    resource = remote.action.resource_create(package_id=package["id"], name="Vacancy (CSV)",
                                             upload=upload)
    assert resource["url_type"] == "upload" and resource["format"] == "CSV"
    assert resource["datastore_active"] is True
    assert resource["url"].startswith(live.url + "/dataset/parking-vacancy/resource/")

    found = anonymous.action.package_search(q="停車場", rows=5)
    assert found["count"] == 1 and found["results"][0]["num_resources"] == 1
    assert anonymous.action.package_show(id="parking-vacancy")["resources"][0]["id"] == resource["id"]

    table = anonymous.action.datastore_search(resource_id=resource["id"],
                                              filters={"district": "Sha Tin"})
    assert table["total"] == 1 and table["records"][0]["park_id"] == "P2"
    rows = anonymous.action.datastore_search_sql(
        sql=f'SELECT district FROM "{resource["id"]}" WHERE vacancy > 10 ORDER BY district')
    assert [r["district"] for r in rows["records"]] == ["Central", "Tuen Mun"]

    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(name="x", owner_org="hk-td")
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.ValidationError) as problem:
        remote.action.package_create(name="parking-vacancy", owner_org="hk-td",
                                     license_id="hk-dgh-terms", provenance="x", title="dup")
    assert "name" in problem.value.error_dict
    with pytest.raises(ckanapi.SearchQueryError):
        anonymous.action.package_search(fq="nonsense_field:1")
