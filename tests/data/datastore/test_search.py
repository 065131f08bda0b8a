"""datastore_search with CKAN semantics, and injection attempts through every parameter."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from aiplus.data.datastore import DataStore, DataStoreNotFound, DataStoreValidationError


def names(result: dict) -> list[str]:  # type: ignore[type-arg]
    return [r["name"] for r in result["records"]]


def test_default_search_shape(store: DataStore, people: str) -> None:
    result = store.search(people)
    assert result["resource_id"] == people and result["limit"] == 100
    assert result["total"] == 5 and result["total_was_estimated"] is False
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert result["records"][0] == {
        "_id": 1, "name": "Chan Tai Man", "district": "Wan Chai", "age": 34, "score": 88.5,
        "member": True, "joined": "2024-01-05", "seen_at": "2024-01-05T09:15:00",
        "note": "likes tea",
    }
    assert result["records"][3]["age"] is None
    assert "offset" not in result
    with pytest.raises(DataStoreNotFound):
        store.search("00000000-0000-0000-0000-000000000000")


def test_filters(store: DataStore, people: str) -> None:
    assert names(store.search(people, filters={"district": "Central"})) == [
        "Lee Siu Ming", "Ho Wing"]
    assert names(store.search(people, filters={"district": ["Sha Tin", "Central"],
                                               "member": True})) == ["Ho Wing"]
    assert names(store.search(people, filters='{"age": "45"}')) == ["Wong Ka Yan"]
    assert names(store.search(people, filters={"joined": "2024-03-10"})) == ["Cheung Mei"]
    assert names(store.search(people, filters={"seen_at": "2024-01-06 10:00:00"})) == [
        "Lee Siu Ming"]
    assert names(store.search(people, filters={"age": None})) == ["Cheung Mei"]
    assert names(store.search(people, filters={"score": 92})) == ["Lee Siu Ming"]
    assert store.search(people, filters={"district": []})["total"] == 0


def test_q_full_text_and_per_field(store: DataStore, people: str) -> None:
    assert names(store.search(people, q="wan")) == ["Chan Tai Man", "Wong Ka Yan"]
    assert names(store.search(people, q="chai WONG")) == ["Wong Ka Yan"]  # every word
    assert names(store.search(people, q="50%")) == ["Wong Ka Yan"]  # % is literal
    assert names(store.search(people, q="wan_chai")) == []  # _ is literal too
    assert names(store.search(people, q="under_score")) == ["Cheung Mei"]
    assert names(store.search(people, q={"district": "central"})) == ["Lee Siu Ming", "Ho Wing"]
    assert names(store.search(people, q={"age": "5"})) == ["Wong Ka Yan"]  # cast to text
    assert names(store.search(people, q='{"name": "ho"}')) == ["Ho Wing"]


def test_sort_fields_limit_offset(store: DataStore, people: str) -> None:
    assert names(store.search(people, sort="age desc")) == [
        "Ho Wing", "Wong Ka Yan", "Chan Tai Man", "Lee Siu Ming", "Cheung Mei"]  # nulls last
    assert names(store.search(people, sort="district, name desc")) == [
        "Lee Siu Ming", "Ho Wing", "Cheung Mei", "Wong Ka Yan", "Chan Tai Man"]
    assert names(store.search(people, sort=['"district" asc', "score DESC"])) == [
        "Lee Siu Ming", "Ho Wing", "Cheung Mei", "Chan Tai Man", "Wong Ka Yan"]
    page = store.search(people, fields="name, age", sort="_id", limit=2, offset=2)
    assert page["records"] == [{"name": "Wong Ka Yan", "age": 45},
                               {"name": "Cheung Mei", "age": None}]
    assert page["fields"] == [{"id": "name", "type": "text"}, {"id": "age", "type": "int"}]
    assert page["offset"] == 2 and page["limit"] == 2 and page["total"] == 5
    assert store.search(people, limit=0)["records"] == []
    assert store.search(people, limit="1")["limit"] == 1
    assert store.search(people, limit=10**6)["limit"] == store.max_limit == 32000


def test_records_formats_total_and_distinct(store: DataStore, people: str) -> None:
    lists = store.search(people, fields=["name", "member"], records_format="lists", limit=2)
    assert lists["records"] == [["Chan Tai Man", True], ["Lee Siu Ming", False]]
    csv_text = store.search(people, fields=["name", "note"], records_format="csv", limit=5)
    assert csv_text["records"].splitlines()[4] == 'Ho Wing,"O\'Brien ""quoted"""'
    tsv = store.search(people, fields=["name", "age"], records_format="tsv", sort="_id", limit=1)
    assert tsv["records"] == "Chan Tai Man\t34\r\n"
    no_total = store.search(people, include_total=False)
    assert "total" not in no_total and no_total["include_total"] is False
    distinct = store.search(people, fields="district", distinct=True, sort="district desc")
    assert distinct["records"] == [{"district": "Wan Chai"}, {"district": "Sha Tin"},
                                   {"district": "Central"}]
    assert distinct["total"] == 3


def test_links(store: DataStore, people: str) -> None:
    links = store.search(people, filters={"district": "Central"}, limit=1, offset=1)["_links"]
    start, after = (parse_qs(urlsplit(links[k]).query) for k in ("start", "next"))
    assert urlsplit(links["next"]).path == "/api/3/action/datastore_search"
    assert start == {"resource_id": [people], "filters": ['{"district":"Central"}'],
                     "limit": ["1"]}
    assert after == {**start, "offset": ["2"]}


BAD_PARAMETERS = [
    ({"filters": {'name" = name OR 1=1 --': "x"}}, "filters"),
    ({"filters": {"age": "1 OR 1=1"}}, "filters"),
    ({"filters": {"age": {"$gt": 1}}}, "filters"),
    ({"filters": "not json"}, "filters"),
    ({"filters": ["name"]}, "filters"),
    ({"sort": "name; DROP TABLE x"}, "sort"),
    ({"sort": "(SELECT 1)"}, "sort"),
    ({"sort": 'name" desc, "x'}, "sort"),
    ({"sort": "name sideways"}, "sort"),
    ({"fields": ["name", "1 AS x"]}, "fields"),
    ({"fields": 'name" FROM pg_shadow --'}, "fields"),
    ({"fields": ""}, "fields"),
    ({"q": {"name; DROP": "x"}}, "q"),
    ({"q": ["a"]}, "q"),
    ({"q": "x " * 30}, "q"),
    ({"limit": -1}, "limit"),
    ({"limit": "10; DROP"}, "limit"),
    ({"offset": "-5"}, "offset"),
    ({"limit": True}, "limit"),
    ({"records_format": "xml"}, "records_format"),
    ({"include_total": "maybe"}, "include_total"),
    ({"fields": "name", "distinct": True, "sort": "age"}, "sort"),
]


def test_bad_parameters_are_refused(store: DataStore, people: str) -> None:
    for params, field in BAD_PARAMETERS:
        with pytest.raises(DataStoreValidationError) as caught:
            store.search(people, **params)
        assert (caught.value.field, caught.value.status_code) == (field, 400), params


def test_injection_text_is_only_ever_data(store: DataStore, people: str) -> None:
    hostile = ["' OR '1'='1", "'; DROP TABLE x; --", "\\' OR 1=1 --", "%' OR '1'='1"]
    for text in hostile:
        assert store.search(people, q=text)["total"] == 0
        assert store.search(people, filters={"name": text})["total"] == 0
        assert store.search(people, q={"note": text})["total"] == 0
    assert store.info(people)["total"] == 5
