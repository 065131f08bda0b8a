"""GeoJSON checking: what is accepted, what is refused and where the error points."""

from __future__ import annotations

import json
from typing import Any

import pytest

from aiplus.data.spatial.crs import HK1980_GRID, WGS84, hk1980_to_wgs84
from aiplus.data.spatial.errors import SpatialError
from aiplus.data.spatial.geojson import geometry_bounds, parse_geojson


def point(x: float, y: float, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": properties}


def collection(*features: Any, **extra: Any) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


SQUARE = [[[114.1, 22.2], [114.2, 22.2], [114.2, 22.3], [114.1, 22.3], [114.1, 22.2]]]


def test_feature_collection_in_wgs84_with_bbox() -> None:
    polygon = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": SQUARE},
               "properties": None, "id": "x"}
    parsed = parse_geojson(b"\xef\xbb\xbf" + collection(point(114.17, 22.29, 名稱="碼頭"),
                                                       polygon, {"type": "Feature",
                                                                 "geometry": None}))
    assert parsed.source_crs == WGS84 and len(parsed.features) == 3
    assert parsed.bbox == (114.1, 22.2, 114.2, 22.3)
    assert parsed.features[0]["properties"] == {"名稱": "碼頭"}
    assert parsed.features[1]["properties"] == {} and "id" not in parsed.features[1]
    assert parsed.features[2]["geometry"] is None


def test_single_feature_and_bare_geometry_become_one_feature() -> None:
    assert len(parse_geojson(json.dumps(point(114.1, 22.3)).encode()).features) == 1
    bare = parse_geojson('{"type": "LineString", "coordinates": [[114.1, 22.3], [114.2, 22.4]]}')
    assert bare.features[0]["properties"] == {} and bare.bbox == (114.1, 22.3, 114.2, 22.4)
    empty = parse_geojson(collection())
    assert empty.features == [] and empty.bbox is None


def test_hk1980_grid_crs_member_is_converted() -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2326"}}
    parsed = parse_geojson(collection(point(836000, 818000), crs=crs))
    assert parsed.source_crs == HK1980_GRID
    lon, lat = parsed.features[0]["geometry"]["coordinates"]
    expected = hk1980_to_wgs84(836000, 818000)
    assert abs(lon - expected[0]) < 1e-6 and abs(lat - expected[1]) < 1e-6
    crs84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    assert parse_geojson(collection(point(114.1, 22.3), crs=crs84)).source_crs == WGS84


@pytest.mark.parametrize(("document", "field", "words"), [
    (b"{not json", "", "not valid JSON"),
    (b"\xff\xfe", "", "UTF-8"),
    (b"[1, 2]", "", "JSON object"),
    (b'{"type": "Topology"}', "type", "not a GeoJSON type"),
    (b'{"type": "FeatureCollection"}', "features", "features array"),
    (collection({"type": "Feature", "properties": {}}), "features/0/geometry", "geometry member"),
    (collection({"type": "Feature", "geometry": None, "properties": [1]}),
     "features/0/properties", "properties"),
    (collection({"type": "Feature", "geometry": {"type": "Circle", "coordinates": [1, 2]}}),
     "features/0/geometry/type", "Circle"),
    (collection(point(200, 22.3)), "features/0/geometry/coordinates", "EPSG:2326"),
    (collection(point(114.1, 95)), "features/0/geometry/coordinates", "longitude and latitude"),
    (collection({"type": "Feature", "geometry": {"type": "Point", "coordinates": ["114", 22]}}),
     "features/0/geometry/coordinates", "two or three numbers"),
    (b'{"type": "Point", "coordinates": [114.1, NaN]}', "", "not valid JSON"),
    (b'{"type": "LineString", "coordinates": [[114.1, 22.3]]}', "coordinates", "two positions"),
    (b'{"type": "Polygon", "coordinates": [[[114.1, 22.2], [114.2, 22.2], [114.2, 22.3]]]}',
     "coordinates/0", "ring"),
    ((b'{"type": "Polygon", "coordinates": [[[114.1, 22.2], [114.2, 22.3], [114.2, 22.2], '
     b'[114.1, 22.3], [114.1, 22.2]]]}'), "", "Self-intersection"),
    (collection(point(114.1, 22.3), crs={"type": "name", "properties": {"name": "EPSG:3857"}}),
     "crs", "EPSG:3857"),
    (collection(point(114.1, 22.3), crs={"type": "link", "properties": {"href": "x"}}),
     "crs", "malformed"),
    (collection(point(114.1, 22.3), crs={"type": "name", "properties": {"name": "EPSG:2326"}}),
     "features/0/geometry/coordinates", "HK1980 Grid"),
])
def test_invalid_geojson_is_refused_with_a_clear_message(document: bytes, field: str,
                                                         words: str) -> None:
    with pytest.raises(SpatialError) as refused:
        parse_geojson(document)
    assert refused.value.field == field
    assert words in refused.value.text
    assert refused.value.status_code == 422


def test_geometry_bounds_cover_collections_and_nulls() -> None:
    gc = {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [114.0, 22.5]},
        {"type": "LineString", "coordinates": [[114.2, 22.1], [114.3, 22.2]]},
    ]}
    assert geometry_bounds(gc) == (114.0, 22.1, 114.3, 22.5)
    assert geometry_bounds(None) is None
    assert geometry_bounds({"type": "MultiPoint", "coordinates": []}) is None
