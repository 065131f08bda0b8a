"""Licences show by their title in the page's language, in facets and on datasets (issue 27:
the Chinese search page listed the licence id "hk-dgh-terms")."""

from tests.data.catalog.conftest import journey_times


def test_licence_facet_and_title_follow_the_language(client, ckan, steward):
    assert ckan("package_create", steward, **journey_times())[0] == 200
    for lang, title in (("en", "DATA.GOV.HK Terms and Conditions"), ("zh-Hant", "資料一線通條款及細則")):
        found = client.get("/api/3/action/package_search", params={
            "facet.field": '["license_id"]', "lang": lang}).json()["result"]
        items = found["search_facets"]["license_id"]["items"]
        assert items == [{"count": 1, "display_name": title, "name": "hk-dgh-terms"}]
        assert found["results"][0]["license_title"] == title
        page = client.get("/data/search", params={"lang": lang}, headers={"Accept": "text/html"})
        assert title in page.text
