"""HK1980 Grid <-> WGS 84, and coordinate columns found in tables."""

from __future__ import annotations

import pytest
from pyproj import Geod

from aiplus.data.spatial.crs import (
    HK1980_GRID,
    WGS84,
    detect_coordinate_columns,
    header_role,
    hk1980_to_wgs84,
    rows_to_features,
    transformer,
    wgs84_to_hk1980,
)
from aiplus.data.spatial.errors import SpatialError

GEOD = Geod(ellps="WGS84")
# The HK1980 Grid's false origin (Lands Department): 836694.05 E, 819069.80 N is the point
# 22°18'43.68"N 114°10'42.80"E on the HK80 datum.
ORIGIN_GRID = (836694.05, 819069.80)
ORIGIN_HK80 = (114 + 10 / 60 + 42.80 / 3600, 22 + 18 / 60 + 43.68 / 3600)
# The same point in WGS 84 through the published 7-parameter transformation (EPSG:1825).
ORIGIN_WGS84 = (114.181009, 22.310602)


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_grid_origin_converts_to_its_published_position_within_a_metre() -> None:
    hk80 = transformer(HK1980_GRID, "EPSG:4611").transform(*ORIGIN_GRID)
    assert metres(hk80, ORIGIN_HK80) < 0.001  # the projection itself is exact
    wgs84 = hk1980_to_wgs84(*ORIGIN_GRID)
    assert metres(wgs84, ORIGIN_WGS84) < 1.0
    # Lands Department's rule of thumb: WGS 84 = HK80 latitude - 5.5", longitude + 8.8".
    rule = (ORIGIN_HK80[0] + 8.8 / 3600, ORIGIN_HK80[1] - 5.5 / 3600)
    assert metres(wgs84, rule) < 2.5


@pytest.mark.parametrize("grid", [(836000.0, 818000.0), (812345.6, 817000.0),
                                  (860000.0, 845000.0)])
def test_round_trip_is_lossless_to_a_millimetre(grid: tuple[float, float]) -> None:
    lon, lat = hk1980_to_wgs84(*grid)
    assert 113.8 < lon < 114.5 and 22.1 < lat < 22.6
    back = wgs84_to_hk1980(lon, lat)
    assert abs(back[0] - grid[0]) < 0.001 and abs(back[1] - grid[1]) < 0.001
    assert transformer(HK1980_GRID, WGS84) is transformer(HK1980_GRID, WGS84)  # cached


@pytest.mark.parametrize(("header", "role"), [
    ("Latitude", "lat"), ("LONGITUDE", "lon"), ("lng", "lon"), ("Lat.", "lat"),
    ("緯度", "lat"), ("經度", "lon"), ("緯度 Latitude", "lat"), ("緯度（WGS84）", "lat"),
    ("Easting", "east"), ("HK1980 Northing (m)", "north"), ("X座標", "east"), ("y", "north"),
    ("東", "east"), ("北距", "north"), ("X_Coordinate", "east"),
    ("Eastern District", None), ("東區", None), ("Long name", None), ("Name", None),
    ("Latitude Longitude", None),
])
def test_header_roles(header: str, role: str | None) -> None:
    assert header_role(header) == role


def test_detects_latitude_longitude_columns() -> None:
    columns = ["Name", "Latitude", "Longitude"]
    rows = [["Star Ferry", "22.2937", "114.1686"], ["Peak", 22.2759, 114.1455], ["x", "", ""]]
    found = detect_coordinate_columns(columns, rows)
    assert found is not None and found.crs == WGS84
    assert (found.x, found.y, found.x_index, found.y_index) == ("Longitude", "Latitude", 2, 1)
    features = rows_to_features(columns, rows, found)
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [114.1686, 22.2937]}
    assert features[0]["properties"] == {"Name": "Star Ferry", "Latitude": "22.2937",
                                         "Longitude": "114.1686"}
    assert features[2]["geometry"] is None  # blank position: the row is kept without one


def test_detects_hk1980_easting_northing_with_chinese_headers_and_dict_rows() -> None:
    columns = ["名稱", "東", "北"]
    rows = [{"名稱": "甲", "東": "836,000", "北": "818000"}, {"名稱": "乙", "東": 833500, "北": 816200}]
    found = detect_coordinate_columns(columns, rows)
    assert found is not None and found.crs == HK1980_GRID and found.kind == "hk1980"
    features = rows_to_features(columns, rows, found)
    lon, lat = features[0]["geometry"]["coordinates"]
    assert metres((lon, lat), hk1980_to_wgs84(836000, 818000)) < 0.02
    assert features[1]["properties"]["名稱"] == "乙"


def test_x_y_columns_holding_degrees_are_read_as_longitude_latitude() -> None:
    found = detect_coordinate_columns(["X", "Y"], [["114.17", "22.30"]])
    assert found is not None and found.crs == WGS84 and found.x == "X"


def test_positions_outside_hong_kong_or_not_numbers_are_not_coordinates() -> None:
    london = [["51.5072", "-0.1276"]]
    assert detect_coordinate_columns(["lat", "lon"], london) is None
    other_grid = [["530000", "180000"]]  # British National Grid metres
    assert detect_coordinate_columns(["Easting", "Northing"], other_grid) is None
    assert detect_coordinate_columns(["lat", "lon"], [["n/a", "114.1"]]) is None
    assert detect_coordinate_columns(["lat", "lon"], [["", ""]]) is None  # nothing to judge
    assert detect_coordinate_columns(["Name", "District"], [["a", "b"]]) is None
    mixed = [["22.3", "114.1"], ["22.3", "200"]]  # one sample outside: not trusted
    assert detect_coordinate_columns(["lat", "lon"], mixed) is None


def test_bad_rows_raise_a_spatial_error_naming_row_and_column() -> None:
    columns = ["Easting", "Northing"]
    coords = detect_coordinate_columns(columns, [["836000", "818000"]])
    assert coords is not None
    with pytest.raises(SpatialError) as bad_number:
        rows_to_features(columns, [["836000", "818000"], ["abc", "818000"]], coords)
    assert bad_number.value.field == "Easting, row 2" and "abc" in bad_number.value.text
    with pytest.raises(SpatialError) as abroad:
        rows_to_features(columns, [["530000", "180000"]], coords)
    assert abroad.value.field == "Easting, Northing, row 1"
    with pytest.raises(SpatialError) as half:
        rows_to_features(columns, [["836000", ""]], coords)
    assert half.value.field == "Northing, row 1"
    assert half.value.status_code == 422 and half.value.details == {"field": "Northing, row 1"}
