"""CKAN Action API: envelope, error types and status codes, and the catalogue semantics."""

import pytest

from aiplus.data.catalog.groups import CATEGORIES
from tests.data.catalog.conftest import journey_times


def test_envelope_and_site_actions(ckan):
    status, body = ckan("site_read", http="GET")
    assert status == 200 and body == {
        "help": "http://testserver/api/3/action/help_show?name=site_read",
        "success": True, "result": True}
    assert ckan("status_show", http="GET")[1]["result"]["ckan_version"].startswith("2.")
    assert "q, fq" in ckan("help_show", http="GET", name="package_search")[1]["result"]
    assert {lic["id"] for lic in ckan("license_list")[1]["result"]} >= {"cc-by", "hk-dgh-terms"}


def test_the_19_categories_have_their_real_ids(ckan):
    names = ckan("group_list")[1]["result"]
    assert names == sorted(name for name, _, _ in CATEGORIES) and len(names) == 19
    shown = ckan("group_show", id="climate-and-weather")[1]["result"]
    assert shown["title_translated"] == {"en": "Climate and Weather", "zh-Hant": "氣候及天氣"}


def test_unknown_action_and_unknown_ids(ckan):
    status, body = ckan("no_such_action")
    assert status == 400 and body["success"] is False and "not known" in body["error"]["message"]
    status, body = ckan("package_show", id="missing")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"
    assert ckan("organization_show", id="nope")[0] == 404


def test_writes_need_authorisation(ckan, factory):
    status, body = ckan("package_create", **journey_times())
    assert status == 403 and body["error"]["__type"] == "Authorization Error"
    officer = factory.member("clerk", org="hk-td", role="officer")
    assert ckan("package_create", officer, **journey_times())[0] == 403
    outsider = factory.member("other", org="hk-ha", role="data_steward")
    assert ckan("package_create", outsider, **journey_times())[0] == 403


def test_create_show_search_in_both_languages(ckan, steward, client):
    status, body = ckan("package_create", steward, **journey_times())
    assert status == 200, body
    created = body["result"]
    assert created["title"] == "Journey Time Indicators" and created["num_resources"] == 1
    assert [t["name"] for t in created["tags"]] == ["journey time", "traffic"]
    zh = client.post("/api/3/action/package_show", json={"id": created["name"]},
                     headers={"Accept-Language": "zh-HK"}).json()["result"]
    assert zh["title"] == "行車時間指示器" and zh["groups"][0]["title"] == "運輸"
    for query in ("journey", "行車時間", "行车时间", "traffic", "運輸", "Transport"):
        found = ckan("package_search", q=query)[1]["result"]
        assert found["count"] == 1, query
    assert ckan("package_search", q="weather")[1]["result"]["count"] == 0
    assert ckan("package_list")[1]["result"] == ["journey-time-indicators"]


def test_filters_facets_sort_and_paging(ckan, steward, factory):
    for index in range(5):
        ckan("package_create", steward, **journey_times(
            name=f"set-{index}", tags=[{"name": f"t{index % 2}"}],
            groups=[{"name": "transport" if index < 3 else "environment"}],
            resources=[{"url": "https://e.org/x", "format": "CSV" if index % 2 else "XML"}]))
    result = ckan("package_search", **{"fq": "groups:transport", "facet.field": ["tags", "res_format", "organization"],
                                        "sort": "name desc", "rows": 2})[1]["result"]
    assert result["count"] == 3 and [r["name"] for r in result["results"]] == ["set-2", "set-1"]
    assert result["facets"]["tags"] == {"t0": 2, "t1": 1}
    assert result["search_facets"]["res_format"]["items"][0] == {"name": "XML", "display_name": "XML", "count": 2}
    assert ckan("package_search", fq="-groups:transport")[1]["result"]["count"] == 2
    assert ckan("package_search", fq='groups:(transport OR environment) tags:t1')[1]["result"]["count"] == 2
    assert ckan("package_search", q="tags:t0 organization:hk-td")[1]["result"]["count"] == 3
    page = ckan("package_search", rows=2, start=4, sort="name asc")[1]["result"]
    assert [r["name"] for r in page["results"]] == ["set-4"]


@pytest.mark.parametrize("params", [
    {"rows": 1001}, {"rows": "many"}, {"sort": "drop table desc"}, {"fq": "password:x"},
    {"fq": "groups:transport; DROP TABLE data_datasets"}, {"facet.field": ["secret"]},
    {"q": "x" * 1001},
])
def test_bad_queries_are_search_query_errors(ckan, steward, params):
    ckan("package_create", steward, **journey_times())
    status, body = ckan("package_search", **params)
    assert status == 400 and body["error"]["__type"] == "Search Query Error", body
    assert ckan("package_search")[1]["result"]["count"] == 1


@pytest.mark.parametrize("q", ["' OR 1=1 --", '"); DROP TABLE data_datasets; --', "NEAR(a b)",
                               "title:*", "\\", "*:*"])
def test_odd_free_text_is_just_text(ckan, steward, q):
    ckan("package_create", steward, **journey_times())
    status, body = ckan("package_search", q=q)
    assert status in (200, 400) and "success" in body
    assert ckan("package_show", id="journey-time-indicators")[0] == 200


def test_validation_errors_name_every_field(ckan, steward):
    status, body = ckan("package_create", steward, name="Bad Name!", owner_org="hk-td",
                        license_id="nope", update_frequency="hourly-ish", tags="ok,bad|tag")
    assert status == 409 and body["error"]["__type"] == "Validation Error"
    assert {"name", "license_id", "update_frequency", "tags"} <= set(body["error"])
    ckan("package_create", steward, **journey_times())
    status, body = ckan("package_create", steward, **journey_times())
    assert status == 409 and body["error"]["name"] == ["That URL is already in use."]


def test_licence_provenance_and_personal_data_gate_publication(ckan, steward):
    status, body = ckan("package_create", steward, **journey_times(provenance=""))
    assert status == 409 and "provenance" in body["error"]
    status, body = ckan("package_create", steward, **journey_times(personal_data=True))
    assert status == 409 and "personal_data" in body["error"]
    status, body = ckan("package_create", steward, **journey_times(classification="internal"))
    assert status == 409 and "classification" in body["error"]
    assert ckan("package_create", steward, **journey_times(personal_data=True, private=True))[0] == 200
    assert ckan("package_create", steward, **journey_times(
        name="draft-one", provenance="", state="draft"))[0] == 200


def test_private_and_draft_datasets_stay_inside_their_organisation(ckan, steward, factory):
    ckan("package_create", steward, **journey_times(private=True))
    assert ckan("package_search")[1]["result"]["count"] == 0
    assert ckan("package_show", id="journey-time-indicators")[0] == 403
    colleague = factory.member("colleague", org="hk-td", role="officer")
    assert ckan("package_show", colleague, id="journey-time-indicators")[0] == 200
    assert ckan("package_search", colleague, include_private=True)[1]["result"]["count"] == 1
    outsider = factory.member("outsider", org="hk-ha", role="officer")
    assert ckan("package_search", outsider, include_private=True)[1]["result"]["count"] == 0


def test_update_patch_delete_history_and_stale_updates(ckan, steward):
    created = ckan("package_create", steward, **journey_times())[1]["result"]
    patched = ckan("package_patch", steward, id=created["id"], version="2.0")[1]["result"]
    assert patched["version"] == "2.0" and patched["tags"] == created["tags"]
    status, body = ckan("package_update", steward, **journey_times(
        id=created["id"], metadata_modified=created["metadata_modified"]))
    assert status == 409 and "metadata_modified" in body["error"]
    updated = ckan("package_update", steward, **journey_times(
        id=created["id"], metadata_modified=patched["metadata_modified"], tags=[]))[1]["result"]
    assert updated["tags"] == [] and updated["version"] == ""
    assert ckan("package_delete", steward, id=created["id"])[0] == 200
    assert ckan("package_search")[1]["result"]["count"] == 0
    assert ckan("package_show", id=created["id"])[0] == 404
    history = ckan("package_revision_list", steward, id=created["id"])[1]["result"]
    assert [h["action"] for h in history] == ["delete", "update", "patch", "create"]
    assert history[-1]["snapshot"]["version"] == ""


def test_failed_writes_change_nothing(ckan, steward, platform):
    from sqlalchemy import func, select

    from aiplus.core.audit import AuditEntry
    from aiplus.data.catalog.tables import Dataset

    def counts():
        with platform.db.read() as session:
            return (session.scalar(select(func.count()).select_from(Dataset)),
                    session.scalar(select(func.count()).select_from(AuditEntry)))

    before = counts()
    ckan("package_create", steward, **journey_times(groups=[{"name": "no-such-group"}]))
    ckan("package_create", steward, **journey_times(resources=["not an object"]))
    assert counts() == before


def test_organizations_and_tags(ckan, steward, factory):
    ckan("package_create", steward, **journey_times())
    orgs = ckan("organization_list", all_fields=True)[1]["result"]
    assert {"name": "hk-td", "package_count": 1}.items() <= next(
        o for o in orgs if o["name"] == "hk-td").items()
    admin = factory.admin()
    status, body = ckan("organization_create", admin, name="hk-hko",
                        title_translated={"en": "Hong Kong Observatory", "zh-Hant": "香港天文台"})
    assert status == 200 and body["result"]["title_translated"]["zh-Hant"] == "香港天文台"
    assert ckan("organization_create", steward, name="x-org", title="X")[0] == 403
    assert ckan("tag_list", query="traf")[1]["result"] == ["traffic"]


def test_malformed_bodies_get_ckan_errors(client):
    response = client.post("/api/3/action/package_search", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["success"] is False
    response = client.post("/api/3/action/package_search", json=[1, 2])
    assert response.status_code == 400
    response = client.post("/api/3/action/package_create", json={},
                           headers={"Authorization": "aip_forged"})
    assert response.status_code == 403
    assert response.json()["error"]["__type"] == "Authorization Error"


def test_the_catalogue_is_served_as_valid_dcat_ap(client, ckan, steward):
    from rdflib import Graph

    from aiplus.data.dcat.validate import validate

    ckan("package_create", steward, **journey_times())
    ckan("package_create", steward, **journey_times(name="hidden", private=True))
    response = client.get("/catalog.ttl")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    conforms, report = validate(graph)
    assert conforms, report
    assert "行車時間指示器" in response.text and "hidden" not in response.text
    one = client.get("/dataset/journey-time-indicators.jsonld")
    assert one.status_code == 200 and "Journey Time Indicators" in one.text
    assert client.get("/dataset/hidden.jsonld").status_code == 404


def test_personal_data_shared_with_the_gba_needs_the_standard_contract_checks(ckan, steward):
    from datetime import date, timedelta

    from aiplus.data.governance.gba import CHECK_IDS

    shared = journey_times(private=True, personal_data=True, cross_boundary_gba=True)
    status, body = ckan("package_create", steward, **shared)
    assert status == 409 and "gba_record" in body["error"]
    signed = date.today() - timedelta(days=30)
    record = {"answers": {check: {"done": True, "evidence": "minutes of 3 Nov"} for check in CHECK_IDS},
              "contract_signed": signed.isoformat(),
              "filed_on": (signed + timedelta(days=3)).isoformat(), "counterparty": "Shenzhen partner"}
    status, body = ckan("package_create", steward, **shared, gba_record=record)
    assert status == 200, body
    incomplete = {**record, "answers": {CHECK_IDS[0]: {"done": False}}}
    status, body = ckan("package_patch", steward, id=body["result"]["id"], gba_record=incomplete)
    assert status == 409
