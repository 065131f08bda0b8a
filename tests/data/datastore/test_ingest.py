"""Parsing files into typed columns: formats, encodings, inference, names and bad input.
No database here: these run the same on both backends."""

from __future__ import annotations

import io
import json
from datetime import date, datetime

import openpyxl
import pytest

from aiplus.data.datastore import IngestError, IngestTooLarge, parse
from aiplus.data.datastore.ingest import coerce, sanitise_names, sniff_delimiter


def types(table) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.id: c.type for c in table.columns}


def rows(table) -> list[list[str | None]]:  # type: ignore[no-untyped-def]
    return list(table.rows())


HK = "地區,日期,數值\n中西區,2024-01-01,12\n灣仔區,2024-01-02,15\n深水埗區,2024-01-03,9\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("big5hkscs", "big5hkscs"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"),
     ("utf-16", "utf-16")],
)
def test_csv_encodings_are_detected(encoding: str, expected: str) -> None:
    table = parse(HK.encode(encoding), "csv")
    assert table.encoding == expected
    assert [c.id for c in table.columns] == ["地區", "日期", "數值"]  # no BOM left in the name
    assert rows(table)[2] == ["深水埗區", "2024-01-03", "9"]  # 埗 is an HKSCS character
    assert types(table) == {"地區": "text", "日期": "date", "數值": "int"}


def test_plain_big5_and_explicit_encoding() -> None:
    data = "名稱,值\n香港,1\n九龍,2\n".encode("big5")
    assert rows(parse(data, "csv"))[0] == ["香港", "1"]
    assert rows(parse(data, "csv", encoding="big5"))[1] == ["九龍", "2"]
    with pytest.raises(IngestError, match="not valid utf-8"):
        parse(data, "csv", encoding="utf-8")
    with pytest.raises(IngestError, match="Unknown text encoding"):
        parse(data, "csv", encoding="no-such-codec")


def test_binary_garbage_is_refused() -> None:
    with pytest.raises(IngestError):
        parse(bytes(range(256)) * 8, "csv")


@pytest.mark.parametrize(("delimiter", "text"), [
    (";", "a;b;c\n1;2,5;x\n3;4;y\n"), ("\t", "a\tb\tc\n1\t2\tx\n"), ("|", "a|b|c\n1|2|x\n"),
    (",", "a,b,c\n1,\"2;3\",x\n"),
])
def test_delimiter_sniffing(delimiter: str, text: str) -> None:
    assert sniff_delimiter(text) == delimiter
    table = parse(text.encode(), "csv")
    assert table.delimiter == delimiter
    assert [c.id for c in table.columns] == ["a", "b", "c"]


def test_tsv_format_and_explicit_delimiter() -> None:
    assert rows(parse(b"a\tb\n1\t2\n", "tsv")) == [["1", "2"]]
    assert [c.id for c in parse(b"a;b\n1;2\n", "csv", delimiter=",").columns] == ["a;b"]


def test_type_inference() -> None:
    text = (
        "i,n,b,d,ts,t,code,big,mixed,tz,empty\n"
        "1,1.5,true,2024-01-31,2024-01-31 10:00,x,007,99999999999999999999,1,2024-01-01T00:00:00Z,\n"
        "-2,\"1,234.5\",No,31/12/2023,2024-02-01T11:22:33.123,y,010,1,2024-01-02,"
        "2024-01-01 10:00+08:00,\n"
        "\"1,000\",3,YES,2024/02/29,2024-02-02,z,123,2,abc,2024-01-01 01:00:00-01:30,\n"
    )
    table = parse(text.encode(), "csv")
    assert types(table) == {
        "i": "int", "n": "numeric", "b": "bool", "d": "date", "ts": "timestamp", "t": "text",
        "code": "text", "big": "text", "mixed": "text", "tz": "timestamp", "empty": "text",
    }
    first, second, third = rows(table)
    assert third[0] == "1000" and second[1] == "1234.5" and second[2] == "false"
    assert second[3] == "2023-12-31" and third[3] == "2024-02-29"  # day-first, as in Hong Kong
    assert second[4] == "2024-02-01 11:22:33.123000" and third[4] == "2024-02-02 00:00:00"
    assert first[6] == "007"  # leading zeros keep a code as text
    assert second[9] == "2024-01-01 02:00:00" and third[9] == "2024-01-01 02:30:00"  # to UTC
    assert first[10] is None


def test_impossible_dates_and_mixed_offsets_fall_back_to_text() -> None:
    table = parse(b"d,ts\n2024-02-30,2024-01-01 10:00\n2024-01-01,2024-01-01 10:00Z\n", "csv")
    assert types(table) == {"d": "text", "ts": "text"}


def test_column_names_are_sanitised_and_deduplicated() -> None:
    assert sanitise_names(
        ["Name", "name", "", "_id", '"quoted"', "tab\there", "x" * 80, "NAME", None]
    ) == ["Name", "name_2", "column_3", "id", "quoted", "tab here", "x" * 63, "NAME_3",
          "column_9"]
    long_cjk = sanitise_names(["區" * 30])[0]
    assert len(long_cjk.encode()) <= 63 and long_cjk == "區" * 21


def test_ragged_rows() -> None:
    table = parse(b"a,b,c\n1,2\n3,4,5,\n\n6,7,8\n", "csv")  # short padded, empty extra dropped
    assert rows(table) == [["1", "2", None], ["3", "4", "5"], ["6", "7", "8"]]
    with pytest.raises(IngestError) as caught:
        parse(b"a,b\n1,2\n3,4,5\n", "csv")
    assert caught.value.row == 3 and "has 3 values but the header has 2" in caught.value.message


def test_malformed_quotes_name_the_line() -> None:
    with pytest.raises(IngestError) as caught:
        parse(b'a,b\n1,2\n3,"x"y\n', "csv")
    assert caught.value.row == 3 and "malformed" in caught.value.message
    with pytest.raises(IngestError, match="malformed"):
        parse(b'a,b\n1,"unclosed\n', "csv")


def test_empty_blank_and_oversized_files() -> None:
    with pytest.raises(IngestError, match="empty \\(0 bytes\\)"):
        parse(b"", "csv")
    with pytest.raises(IngestError, match="no header"):
        parse(b"\n  \n", "csv")
    with pytest.raises(IngestTooLarge) as caught:
        parse(b"a\n" + b"1\n" * 100, "csv", max_bytes=50)
    assert caught.value.status_code == 413
    with pytest.raises(IngestTooLarge, match="more than 3 rows"):
        parse(b"a\n1\n2\n3\n4\n", "csv", max_rows=3)
    header_only = parse(b"a,b\n", "csv")
    assert header_only.row_count == 0 and types(header_only) == {"a": "text", "b": "text"}
    with pytest.raises(IngestError, match="Unsupported format"):
        parse(b"a", "docx")


def test_formula_cells_are_text_and_flagged() -> None:
    text = "a,b,phone\n=1+2,-5,+852 2345 6789\n@SUM(A1),+7,-\n=HYPERLINK(\"x\"),3,1\n"
    table = parse(text.encode(), "csv")
    assert types(table) == {"a": "text", "b": "int", "phone": "text"}
    assert table.formula_count == 5  # the three in a, the phone number and the lone "-"
    assert {"row": 2, "column": "a"} in table.formula_cells
    assert rows(table)[0][0] == "=1+2"  # kept as it was, never evaluated
    assert "formulas" in table.warnings[0]


def test_null_values_option() -> None:
    table = parse(b"a,b\n1,N/A\n2,3\n", "csv", null_values=("", "N/A"))
    assert types(table) == {"a": "int", "b": "int"} and rows(table)[0] == ["1", None]


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["Name", "Count", "Ratio", "When", "At", "Flag", "Formula"])
    sheet.append(["A", 1, 0.5, date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, 5), True, "=B2*2"])
    sheet.append(["B", 2, 1.0, date(2024, 2, 3), datetime(2024, 2, 3, 4, 5, 6), False, "=B3*2"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["C", 3, 2.25, None, None, None, "plain"])
    other = book.create_sheet("Other")
    other.append(["x"])
    other.append([42])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_and_named_sheet() -> None:
    table = parse(xlsx_bytes(), "xlsx")
    assert table.sheet == "Data"
    assert types(table) == {"Name": "text", "Count": "int", "Ratio": "numeric", "When": "date",
                            "At": "timestamp", "Flag": "bool", "Formula": "text"}
    assert rows(table) == [
        ["A", "1", "0.5", "2024-01-02", "2024-01-02 03:04:05", "true", "=B2*2"],
        ["B", "2", "1", "2024-02-03", "2024-02-03 04:05:06", "false", "=B3*2"],
        ["C", "3", "2.25", None, None, None, "plain"],
    ]
    assert table.formula_count == 2
    other = parse(xlsx_bytes(), "xlsx", sheet="Other")
    assert rows(other) == [["42"]] and types(other) == {"x": "int"}
    with pytest.raises(IngestError, match="no sheet named 'Nope'"):
        parse(xlsx_bytes(), "xlsx", sheet="Nope")
    with pytest.raises(IngestError, match="not a readable XLSX"):
        parse(b"PK\x03\x04 definitely not a workbook", "xlsx")


def test_json_array_and_json_lines() -> None:
    records = [{"id": 1, "name": "a", "tags": ["x"], "ok": True},
               {"id": 2, "name": None, "extra": 1.5}]
    table = parse(json.dumps(records).encode(), "json")
    assert types(table) == {"id": "int", "name": "text", "tags": "text", "ok": "bool",
                            "extra": "numeric"}
    assert rows(table) == [["1", "a", '["x"]', "true", None], ["2", None, None, None, "1.5"]]
    lines = b'{"a": 1}\n\n{"a": 2, "b": "x"}\n'
    assert rows(parse(lines, "jsonl")) == [["1", None], ["2", "x"]]
    assert rows(parse(lines, "json")) == [["1", None], ["2", "x"]]  # JSON Lines detected
    wrapped = parse(json.dumps({"records": records}).encode(), "json")
    assert wrapped.row_count == 2


@pytest.mark.parametrize(("data", "fmt", "message"), [
    (b'[{"a": 1}, 2]', "json", "record 2 is a int"),
    (b'{"a": 1', "json", "not valid JSON"),
    (b'"text"', "json", "array of objects"),
    (b'{"a": 1}\n{"a": \n', "jsonl", "Line 2 is not valid JSON"),
    (b'[{"a": NaN}]', "json", "not valid JSON"),
])
def test_bad_json(data: bytes, fmt: str, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse(data, fmt)


def feature(shape: object, **properties: object) -> dict[str, object]:
    return {"type": "Feature", "geometry": shape, "properties": properties}


def test_geojson_feature_collection() -> None:
    square = [[[114.1, 22.2], [114.2, 22.2], [114.2, 22.3], [114.1, 22.2]]]
    document = {"type": "FeatureCollection", "features": [
        feature({"type": "Point", "coordinates": [114.17, 22.28]}, name="Central", geometry="x"),
        feature({"type": "Polygon", "coordinates": square}, name="Box", area=1.5),
        feature(None, name="Nowhere"),
    ]}
    table = parse(json.dumps(document).encode(), "geojson")
    assert [c.id for c in table.columns] == ["name", "geometry_2", "area", "geometry"]
    assert types(table)["geometry"] == "text"
    first = rows(table)[0]
    assert json.loads(first[3]) == {"type": "Point", "coordinates": [114.17, 22.28]}
    assert rows(table)[2][3] is None
    assert parse(json.dumps(document).encode(), "json").format == "json"  # detected inside


@pytest.mark.parametrize(("document", "message"), [
    ({"type": "FeatureCollection"}, "features"),
    ({"type": "Topology"}, "FeatureCollection"),
    ({"type": "FeatureCollection", "features": [{"type": "Point"}]}, "not a Feature"),
    ({"type": "FeatureCollection", "features": [
        feature({"type": "Point", "coordinates": [114]})]}, "invalid geometry"),
    ({"type": "FeatureCollection", "features": [
        feature({"type": "Circle", "coordinates": [1, 2]})]}, "unknown geometry type"),
    ({"type": "FeatureCollection", "features": [feature({"type": "Polygon", "coordinates": [
        [[0, 0], [1, 0], [1, 1], [0, 1]]]})]}, "end where it starts"),
    ({"type": "FeatureCollection", "features": [feature({"type": "LineString", "coordinates": [
        [0, 0]]})]}, "at least 2"),
    ({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": [1]}]}, "properties"),
])
def test_invalid_geojson(document: object, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        parse(json.dumps(document).encode(), "geojson")


def test_coerce_filter_values() -> None:
    assert coerce("int", "1,000") == 1000 and coerce("int", 3.0) == 3
    assert coerce("numeric", "2.5") == 2.5 and coerce("bool", "t") is True
    assert coerce("date", "31/01/2024") == date(2024, 1, 31)
    assert coerce("timestamp", "2024-01-31") == datetime(2024, 1, 31)
    assert coerce("text", 5) == "5"
    for kind, value in [("int", "1; DROP TABLE x"), ("numeric", "nan"), ("date", "2024-13-01"),
                        ("bool", "maybe"), ("int", True), ("text", {"a": 1})]:
        with pytest.raises(ValueError):
            coerce(kind, value)
