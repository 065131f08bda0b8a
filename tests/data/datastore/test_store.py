"""Stores on the backend under test: every format round-trips, re-ingest is atomic, exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import duckdb
import pytest

from aiplus.data.datastore import (
    DataStore,
    DataStoreNotFound,
    DataStoreValidationError,
    IngestError,
    IngestTooLarge,
    export_bytes,
)
from tests.data.datastore.test_ingest import HK, xlsx_bytes


def test_backend_matches_the_platform_database(store: DataStore, settings) -> None:  # type: ignore[no-untyped-def]
    assert store.backend == ("duckdb" if settings.is_sqlite else "postgresql")
    if settings.is_sqlite:
        assert (settings.home / "datastore" / "datastore.duckdb").exists()


def test_ingest_info_exists_delete(store: DataStore, people: str) -> None:
    info = store.info(people)
    assert info["total"] == 5
    assert [(f["id"], f["type"]) for f in info["fields"]] == [
        ("_id", "int"), ("name", "text"), ("district", "text"), ("age", "int"),
        ("score", "numeric"), ("member", "bool"), ("joined", "date"),
        ("seen_at", "timestamp"), ("note", "text"),
    ]
    assert info["meta"]["format"] == "csv" and info["meta"]["encoding"] == "utf-8"
    assert store.exists(people) and people in store.resource_ids()
    assert store.exists(people.upper().replace("-", ""))  # same UUID, other spelling
    store.delete(people)
    assert not store.exists(people) and not store.exists("not-a-uuid")
    with pytest.raises(DataStoreNotFound):
        store.info(people)
    with pytest.raises(DataStoreNotFound):
        store.delete(people)
    with pytest.raises(DataStoreValidationError, match="not a valid resource id"):
        store.info("../../etc/passwd")


def test_each_format_round_trips(store: DataStore, new_id: Callable[[], str]) -> None:
    cases = [
        (HK.encode("big5hkscs"), "csv", {"地區": "深水埗區", "數值": 9}),
        (HK.encode("utf-8-sig"), "csv", {"地區": "深水埗區", "日期": "2024-01-03"}),
        (HK.replace(",", ";").encode(), "csv", {"數值": 9}),
        (xlsx_bytes(), "xlsx", {"Name": "C", "Count": 3, "Ratio": 2.25}),
        (json.dumps([{"a": 1, "b": "x"}, {"a": 9, "b": "深水埗"}]).encode(), "json",
         {"a": 9, "b": "深水埗"}),
        (b'{"a": 1}\n{"a": 9, "b": true}\n', "jsonl", {"a": 9, "b": True}),
        (json.dumps({"type": "FeatureCollection", "features": [{
            "type": "Feature", "properties": {"a": 9},
            "geometry": {"type": "Point", "coordinates": [114.1, 22.3]}}]}).encode(), "geojson",
         {"a": 9, "geometry": '{"type":"Point","coordinates":[114.1,22.3]}'}),
    ]
    for data, fmt, last in cases:
        rid = new_id()
        info = store.ingest(rid, data, fmt)
        records = store.search(rid, sort="_id desc", limit=1)["records"]
        assert {k: records[0][k] for k in last} == last, (fmt, info["meta"])


def test_failed_reingest_keeps_the_previous_table(store: DataStore, people: str) -> None:
    with pytest.raises(IngestError):
        store.ingest(people, b"a,b\n1,2\n3,4,5\n", "csv")
    with pytest.raises(IngestTooLarge):
        store.ingest(people, b"a\n1\n2\n", "csv", max_rows=1)
    with pytest.raises(IngestError):
        store.ingest(people, b"", "csv")
    assert store.info(people)["total"] == 5
    assert store.search(people, limit=1)["records"][0]["name"] == "Chan Tai Man"


def test_failure_while_loading_rolls_back(
    store: DataStore, people: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the staging table was created and filled leaves the old version."""
    def broken_chunks(table, rows=20000):  # type: ignore[no-untyped-def]
        yield "1,ok\n", 1
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(store), "_csv_chunks", staticmethod(broken_chunks))
    with pytest.raises(RuntimeError, match="disk full"):
        store.ingest(people, b"x\nok\n", "csv")
    monkeypatch.undo()
    assert store.info(people)["total"] == 5
    assert [f["id"] for f in store.fields(people)][:2] == ["_id", "name"]
    assert store.resource_ids() == [people]  # no staging table left behind as a resource


def test_reingest_replaces_the_table(store: DataStore, people: str) -> None:
    info = store.ingest(people, b"x,y\n1,a\n2,b\n", "csv")
    assert info["total"] == 2 and [f["id"] for f in info["fields"]] == ["_id", "x", "y"]
    assert store.search(people)["records"] == [{"_id": 1, "x": 1, "y": "a"},
                                               {"_id": 2, "x": 2, "y": "b"}]


def test_values_with_newlines_quotes_and_unicode_survive(
    store: DataStore, new_id: Callable[[], str]
) -> None:
    rid = new_id()
    text = 'a,b\n"line one\nline two","say ""hi"", 你好"\n"\\N",x\\y\n'
    store.ingest(rid, text.encode(), "csv")
    records = store.search(rid)["records"]
    assert records[0]["a"] == "line one\nline two" and records[0]["b"] == 'say "hi", 你好'
    assert records[1] == {"_id": 2, "a": "\\N", "b": "x\\y"}
    awkward = ["a\rb", "a\r\nb", "tab\there", "x\u2028y", '"lead', "\\.", "🙂", "a,b;c|d"]
    store.ingest(rid, json.dumps([{"v": v} for v in awkward]).encode(), "json")
    assert [r["v"] for r in store.search(rid)["records"]] == awkward
    exported = export_bytes(store, rid, "csv").decode()
    assert [row[1] for row in csv.reader(io.StringIO(exported, newline=""))][1:] == awkward


def test_unknown_index_field_is_refused(store: DataStore, new_id: Callable[[], str]) -> None:
    with pytest.raises(DataStoreValidationError, match="unknown field"):
        store.ingest(new_id(), b"a\n1\n", "csv", indexes=["nope"])


def test_exports(store: DataStore, people: str, new_id: Callable[[], str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = export_bytes(store, people, "csv").decode()
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["_id", "name", "district", "age", "score", "member", "joined",
                         "seen_at", "note"]
    assert parsed[1][:6] == ["1", "Chan Tai Man", "Wan Chai", "34", "88.5", "true"]
    assert parsed[5][8] == 'O\'Brien "quoted"' and len(parsed) == 6
    assert export_bytes(store, people, "csv", bom=True).startswith(b"\xef\xbb\xbf_id")
    assert export_bytes(store, people, "tsv").split(b"\r\n")[0].count(b"\t") == 8
    document = json.loads(export_bytes(store, people, "json"))
    assert document["fields"][3] == {"id": "age", "type": "int"}
    assert document["records"][3][3] is None and len(document["records"]) == 5
    only = json.loads(export_bytes(store, people, "json", fields=["name"]))
    assert only["records"][0] == ["Chan Tai Man"]

    path = tmp_path / "people.parquet"
    path.write_bytes(export_bytes(store, people, "parquet"))
    con = duckdb.connect()
    described = dict(con.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
                     and [(r[0], r[1]) for r in con.execute(
                         f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()])
    assert described["age"] == "BIGINT" and described["joined"] == "DATE"
    assert described["seen_at"] == "TIMESTAMP" and described["member"] == "BOOLEAN"
    assert con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0] == 5

    formulas = new_id()
    store.ingest(formulas, b"cell,n\n=1+2,-3\n@cmd,4\n", "csv")
    assert store.info(formulas)["meta"]["formula_count"] == 2
    lines = export_bytes(store, formulas, "csv").decode().splitlines()
    assert lines[1:] == ["1,'=1+2,-3", "2,'@cmd,4"]
    raw = export_bytes(store, formulas, "csv", escape_formulas=False).decode().splitlines()
    assert raw[1] == "1,=1+2,-3"
    with pytest.raises(DataStoreValidationError):
        export_bytes(store, people, "xml")
