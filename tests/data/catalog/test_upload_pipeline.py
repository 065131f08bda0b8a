"""Uploads end to end: parsing, the personal-data gate, the DataStore, maps and downloads."""

import json

import pytest

from tests.data.catalog.conftest import journey_times

PEOPLE = ("name,hkid,phone,district\n"
          "Chan Tai Man,A123456(3),9123 4567,Sha Tin\n"
          "Wong Siu Ming,C668668(9),6234 5678,Central\n").encode()
CARPARKS = ("park_id,name,latitude,longitude,vacancy\n"
            "P1,City Hall,22.2818,114.1616,12\n"
            "P2,Sha Tin Centre,22.3818,114.1889,0\n"
            "P3,Tuen Mun Town Plaza,22.3925,113.9760,45\n").encode()
POINTS = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [114.17, 22.30]},
     "properties": {"name": "回收點 A", "kind": "paper"}},
    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [114.21, 22.28]},
     "properties": {"name": "回收點 B", "kind": "plastic"}}]}, ensure_ascii=False).encode()


@pytest.fixture
def upload(client, steward):
    def send(dataset_id, filename, data, action="resource_create", **fields):
        response = client.post(f"/api/3/action/{action}", headers={"Authorization": steward.token},
                               data={"package_id": dataset_id, **fields},
                               files={"upload": (filename, data)})
        return response.status_code, response.json()

    return send


@pytest.fixture
def dataset(ckan, steward):
    return ckan("package_create", steward, **journey_times(resources=[]))[1]["result"]


def test_a_table_becomes_queryable(ckan, upload, dataset, client):
    status, body = upload(dataset["id"], "carparks.csv", CARPARKS, name="Car parks")
    assert status == 200, body
    resource = body["result"]
    assert resource["datastore_active"] is True
    result = ckan("datastore_search", resource_id=resource["id"], filters={"park_id": "P3"})[1]["result"]
    assert result["total"] == 1 and result["records"][0]["vacancy"] == 45
    assert {f["id"]: f["type"] for f in result["fields"]}["latitude"] == "numeric"
    ranked = ckan("datastore_search", resource_id=resource["id"], sort="vacancy desc", limit=2,
                  records_format="lists")[1]["result"]
    column = [f["id"] for f in ranked["fields"]].index("park_id")
    assert [row[column] for row in ranked["records"]] == ["P3", "P1"] and "next" in ranked["_links"]
    sql = f'SELECT name FROM "{resource["id"]}" WHERE vacancy > 10 ORDER BY vacancy'
    assert [r["name"] for r in ckan("datastore_search_sql", sql=sql)[1]["result"]["records"]] == [
        "City Hall", "Tuen Mun Town Plaza"]
    for refused in (f'DELETE FROM "{resource["id"]}"', "SELECT pg_read_file('/etc/passwd')",
                    f'SELECT 1; DROP TABLE "{resource["id"]}"'):
        status, body = ckan("datastore_search_sql", sql=refused)
        assert status in (400, 403) and body["success"] is False, refused
    csv_dump = client.get(f"/datastore/dump/{resource['id']}")
    assert csv_dump.status_code == 200 and "City Hall" in csv_dump.content.decode("utf-8-sig")
    parquet = client.get(f"/datastore/dump/{resource['id']}?format=parquet")
    assert parquet.content[:4] == b"PAR1"
    info = ckan("datastore_info", id=resource["id"])[1]["result"]
    assert info["total"] == 3


def test_coordinates_and_geojson_become_map_features(ckan, upload, dataset, client):
    carparks = upload(dataset["id"], "carparks.csv", CARPARKS)[1]["result"]
    points = upload(dataset["id"], "recycling.geojson", POINTS)[1]["result"]
    for resource, count in ((carparks, 3), (points, 2)):
        items = client.get(f"/ogc/collections/{resource['id']}/items").json()
        assert items["numberMatched"] == count
    near_tuen_mun = client.get(f"/ogc/collections/{carparks['id']}/items",
                               params={"bbox": "113.95,22.38,114.00,22.40"}).json()
    assert [f["properties"]["park_id"] for f in near_tuen_mun["features"]] == ["P3"]
    found = ckan("package_search", ext_bbox="113.95,22.38,114.00,22.40")[1]["result"]
    assert found["count"] == 1
    assert ckan("package_search", ext_bbox="100,10,101,11")[1]["result"]["count"] == 0
    assert ckan("package_search", ext_bbox="nonsense")[0] == 400


def test_personal_data_is_refused_for_open_datasets_and_flags_private_ones(ckan, upload, dataset):
    status, body = upload(dataset["id"], "people.csv", PEOPLE)
    assert status == 409
    error = body["error"]
    assert "hkid" in error["upload"][0] and "phone" in error["upload"][0]
    assert {f["column"] for f in error["findings"]} >= {"hkid", "phone"}
    assert all(f["rows"] == [1, 2] for f in error["findings"] if f["column"] == "hkid")
    assert ckan("package_show", id=dataset["id"])[1]["result"]["num_resources"] == 0


def test_personal_data_in_a_private_dataset_marks_it_personal(ckan, upload, steward):
    private = ckan("package_create", steward, **journey_times(name="case-records", private=True,
                                                              resources=[]))[1]["result"]
    status, body = upload(private["id"], "people.csv", PEOPLE)
    assert status == 200, body
    shown = ckan("package_show", steward, id="case-records")[1]["result"]
    assert shown["personal_data"] is True
    status, body = ckan("package_patch", steward, id="case-records", private=False)
    assert status == 409 and "personal_data" in body["error"]


@pytest.mark.parametrize("filename, data", [
    ("empty.csv", b""), ("broken.json", b"{not json"), ("bad.geojson", b'{"type": "Feature"}'),
    ("ragged.csv", b"a,b\n1,2,3\n"),
])
def test_bad_files_are_refused_and_leave_nothing(ckan, upload, dataset, filename, data, platform):
    status, body = upload(dataset["id"], filename, data)
    assert status == 409 and body["error"]["__type"] == "Validation Error", body
    assert ckan("package_show", id=dataset["id"])[1]["result"]["num_resources"] == 0
    assert not list((platform.settings.files_dir).rglob("*.*"))


def test_deleting_a_resource_removes_its_table_and_features(ckan, upload, dataset, steward, client):
    resource = upload(dataset["id"], "carparks.csv", CARPARKS)[1]["result"]
    assert ckan("resource_delete", steward, id=resource["id"])[0] == 200
    assert client.get(f"/ogc/collections/{resource['id']}").status_code == 404
    assert ckan("datastore_search", resource_id=resource["id"])[0] == 404


def test_private_tables_stay_private(ckan, upload, steward, factory):
    private = ckan("package_create", steward, **journey_times(name="internal", private=True,
                                                              resources=[]))[1]["result"]
    resource = upload(private["id"], "carparks.csv", CARPARKS)[1]["result"]
    assert ckan("datastore_search", resource_id=resource["id"])[0] == 403
    assert ckan("datastore_search_sql", sql=f'SELECT * FROM "{resource["id"]}"')[0] == 403
    assert ckan("datastore_search", steward, resource_id=resource["id"])[0] == 200


def test_the_dataset_page_previews_charts_and_maps(upload, dataset, client):
    resource = upload(dataset["id"], "carparks.csv", CARPARKS, name="Car parks")[1]["result"]
    page = client.get(f"/data/dataset/{dataset['name']}").text
    assert "Tuen Mun Town Plaza" in page and 'class="bars"' in page
    assert f"/ogc/collections/{resource['id']}" in page and "/spatial-static/" in page
    twin = client.get(f"/data/dataset/{dataset['name']}?format=json").json()
    preview = twin["previews"][0]
    assert preview["total"] == 3 and preview["chart"]["value_field"] == "vacancy"
    assert len(preview["versions"]) == 1
