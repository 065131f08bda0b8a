"""Coordinate reference systems for Hong Kong data, and coordinates found in table columns.

Hong Kong government tables give positions either as WGS 84 latitude/longitude or as
Hong Kong 1980 Grid easting/northing in metres (EPSG:2326, e.g. ``836000, 818000``). Everything
the platform stores and serves is WGS 84 longitude/latitude (EPSG:4326 in x/y order, i.e.
OGC CRS84); this module converts HK1980 Grid with pyproj, offline (the Helmert
"Hong Kong 1980 to WGS 84 (1)" transformation needs no grid file), and finds the coordinate
columns of a table from their headers (English or Chinese) and their values.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pyproj import Transformer

from aiplus.core.i18n import N_
from aiplus.data.spatial.errors import SpatialError

WGS84 = "EPSG:4326"
HK1980_GRID = "EPSG:2326"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

# Hong Kong's land and waters in WGS 84 (EPSG:2326's area of use, 113.76-114.51 E,
# 22.13-22.58 N, with a small margin). Anything outside is not a Hong Kong position.
HK_EXTENT: tuple[float, float, float, float] = (113.75, 22.12, 114.52, 22.59)
# The same area on the HK1980 Grid, in metres (rounded outwards from HK_EXTENT's corners).
HK_GRID_EASTING = (792_000.0, 872_000.0)
HK_GRID_NORTHING = (797_000.0, 850_500.0)

COORDINATE_DECIMALS = 7  # about 1 cm on the ground


@lru_cache(maxsize=8)
def transformer(source: str, target: str) -> Transformer:
    """A cached pyproj transformer taking and giving x/y order (easting or longitude first).

    pyproj transformers are safe to share between threads (pyproj >= 3.1).
    """
    return Transformer.from_crs(source, target, always_xy=True)


def hk1980_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    """HK1980 Grid metres to WGS 84 ``(longitude, latitude)``."""
    lon, lat = transformer(HK1980_GRID, WGS84).transform(easting, northing, errcheck=True)
    return float(lon), float(lat)


def wgs84_to_hk1980(longitude: float, latitude: float) -> tuple[float, float]:
    """WGS 84 ``(longitude, latitude)`` to HK1980 Grid ``(easting, northing)`` in metres."""
    x, y = transformer(WGS84, HK1980_GRID).transform(longitude, latitude, errcheck=True)
    return float(x), float(y)


def in_hong_kong(longitude: float, latitude: float) -> bool:
    """Whether a WGS 84 position lies within Hong Kong's land and waters (by extent)."""
    minx, miny, maxx, maxy = HK_EXTENT
    return minx <= longitude <= maxx and miny <= latitude <= maxy


# --- Coordinate columns of a table ------------------------------------------------------------


@dataclass(frozen=True)
class CoordinateColumns:
    """Which columns of a table hold a position, and in which CRS.

    ``x`` is the longitude or easting column, ``y`` the latitude or northing column; the
    indexes are positions in the table's column list.
    """

    x: str
    y: str
    x_index: int
    y_index: int
    crs: str  # WGS84 (longitude/latitude in degrees) or HK1980_GRID (easting/northing, m)

    @property
    def kind(self) -> str:
        return "hk1980" if self.crs == HK1980_GRID else "wgs84"

    def as_dict(self) -> dict[str, Any]:
        return {"x": self.x, "y": self.y, "crs": self.crs, "kind": self.kind}


_LAT, _LON, _EAST, _NORTH = "lat", "lon", "east", "north"
# Header words, after normalising (NFKC, lower case, units and qualifiers removed).
_ROLE_WORDS: dict[str, frozenset[str]] = {
    _LAT: frozenset({"lat", "latitude", "緯度", "纬度"}),
    _LON: frozenset({"lon", "lng", "long", "longitude", "經度", "经度"}),
    _EAST: frozenset({"easting", "eastings", "east", "e", "x", "xcoord", "xcoordinate",
                      "東", "東距", "東向", "东", "东距", "东向", "x座標", "x坐標", "x坐标"}),
    _NORTH: frozenset({"northing", "northings", "north", "n", "y", "ycoord", "ycoordinate",
                       "北", "北距", "北向", "y座標", "y坐標", "y坐标"}),
}
# Words that qualify a coordinate header without changing its meaning.
_NOISE = frozenset({
    "hk1980", "hk80", "hk", "1980", "grid", "hkgrid", "wgs84", "wgs", "84", "coordinate",
    "coordinates", "coord", "coords", "座標", "坐標", "坐标", "m", "metre", "metres", "meter",
    "meters", "米", "deg", "degree", "degrees", "decimal", "dd", "value", "location", "position",
    "geo", "geographic", "point", "位置", "值", "度", "香港1980方格網", "香港1980", "方格網",
})
_BRACKETS = re.compile(r"[(\[{（【][^)\]}）】]*[)\]}）】]")
_SPLIT = re.compile(r"[\s_\-/|,.:;'\"`]+")
_SCRIPT_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])(?=[a-z0-9])")


def _tokens(header: str) -> list[str]:
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    words: list[str] = []
    # A bracketed qualifier ("Easting (m)", "緯度（WGS84）") counts only if nothing else does.
    for candidate in (_BRACKETS.sub(" ", text), text):
        words = [w for part in _SPLIT.split(candidate) if part
                 for w in _SCRIPT_BOUNDARY.sub(" ", part).split()]
        words = [w.strip("()[]{}（）【】") for w in words]
        words = [w for w in words if w and w not in _NOISE]
        if words:
            break
    return words


def header_role(header: str) -> str | None:
    """``lat``, ``lon``, ``east`` or ``north`` when a column header names one, else None.

    Every meaningful word must name the same role, so ``Latitude 緯度`` is a latitude but
    ``Eastern District`` or ``東區`` is not an easting.
    """
    words = _tokens(header)
    if not words:
        return None
    compact = "".join(words)
    roles = {role for role, names in _ROLE_WORDS.items() if compact in names}
    if len(roles) != 1:
        roles = set()
        for word in words:
            matched = {role for role, names in _ROLE_WORDS.items() if word in names}
            if len(matched) != 1:
                return None
            roles |= matched
    return roles.pop() if len(roles) == 1 else None


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")


def parse_number(value: Any) -> float | None:
    """A finite number from a table cell (``836,000.5``, ``22.3°``), or None if there is none.

    Raises ValueError for a cell that holds something other than a number.
    """
    if value is None or isinstance(value, bool):
        return None if value is None else _bad(value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().rstrip("°").strip()
        if not text:
            return None
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if not _NUMBER.match(text):
            return _bad(value)
        number = float(text)
    if not math.isfinite(number):
        return _bad(value)
    return number


def _bad(value: Any) -> float:
    raise ValueError(f"not a number: {value!r}")


def _cell(row: Sequence[Any] | Mapping[str, Any], index: int, name: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(name)
    return row[index] if index < len(row) else None


def _to_wgs84(coords: CoordinateColumns, x: float, y: float) -> tuple[float, float]:
    if coords.crs == HK1980_GRID:
        if not (HK_GRID_EASTING[0] <= x <= HK_GRID_EASTING[1]
                and HK_GRID_NORTHING[0] <= y <= HK_GRID_NORTHING[1]):
            return math.inf, math.inf
        return hk1980_to_wgs84(x, y)
    return x, y


def _sample_fits(coords: CoordinateColumns, rows: Iterable[Sequence[Any] | Mapping[str, Any]]
                 ) -> bool:
    """Every non-blank sample position is numeric and inside Hong Kong; at least one exists."""
    seen = 0
    for row in rows:
        try:
            x = parse_number(_cell(row, coords.x_index, coords.x))
            y = parse_number(_cell(row, coords.y_index, coords.y))
        except ValueError:
            return False
        if x is None and y is None:
            continue
        if x is None or y is None or not in_hong_kong(*_to_wgs84(coords, x, y)):
            return False
        seen += 1
    return seen > 0


def detect_coordinate_columns(
    columns: Sequence[str], sample_rows: Sequence[Sequence[Any] | Mapping[str, Any]]
) -> CoordinateColumns | None:
    """The columns holding positions, judged by header and checked against sample values.

    Recognises latitude/longitude (``latitude``, ``lat``, ``longitude``, ``lng``, ``緯度``,
    ``經度`` ...) in WGS 84 degrees, and HK1980 Grid easting/northing (``easting``, ``x``,
    ``東``, ``northing``, ``y``, ``北`` ...) in metres; ``x``/``y`` columns holding degrees are
    read as longitude/latitude. Rows are sequences in column order or mappings by column name.
    Returns None unless every non-blank sample position is numeric and inside Hong Kong (a
    table with easting/northing in another grid, or positions abroad, is not mapped).
    Latitude/longitude wins when a table carries both.
    """
    found: dict[str, list[int]] = {}
    for index, name in enumerate(columns):
        role = header_role(name)
        if role is not None:
            found.setdefault(role, []).append(index)
    candidates: list[CoordinateColumns] = []
    for x_role, y_role, crs in ((_LON, _LAT, WGS84), (_EAST, _NORTH, HK1980_GRID),
                                (_EAST, _NORTH, WGS84)):
        for x_index in found.get(x_role, []):
            for y_index in found.get(y_role, []):
                candidates.append(CoordinateColumns(
                    x=str(columns[x_index]), y=str(columns[y_index]),
                    x_index=x_index, y_index=y_index, crs=crs,
                ))
    for candidate in candidates:
        if _sample_fits(candidate, sample_rows):
            return candidate
    return None


def rows_to_features(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any] | Mapping[str, Any]],
    coords: CoordinateColumns,
) -> list[dict[str, Any]]:
    """GeoJSON Point features in WGS 84, one per row, with every column as a property.

    A row whose two coordinate cells are both blank becomes a feature with a null geometry
    (GeoJSON allows it; the row is kept). A non-numeric value, only one of the pair, or a
    position outside Hong Kong raises :class:`SpatialError` naming the column and row
    (rows counted from 1, after the header). HK1980 Grid positions are converted in one batch.
    """
    names = [str(name) for name in columns]
    features: list[dict[str, Any]] = []
    positions: list[tuple[int, float, float]] = []  # (feature index, x, y)
    for number, row in enumerate(rows, start=1):
        if isinstance(row, Mapping):
            properties = {name: row.get(name) for name in names}
        else:
            properties = {name: (row[i] if i < len(row) else None) for i, name in enumerate(names)}
        x = _coordinate(row, coords.x_index, coords.x, number)
        y = _coordinate(row, coords.y_index, coords.y, number)
        if x is not None and y is not None:
            positions.append((len(features), x, y))
        elif x is not None or y is not None:
            missing = coords.y if y is None else coords.x
            raise SpatialError(
                N_("Row {row}: the {column} column is empty but the other coordinate is not."),
                f"{missing}, row {number}", row=number, column=missing,
            )
        features.append({"type": "Feature", "geometry": None, "properties": properties})
    if not positions:
        return features
    xs = [x for _, x, _ in positions]
    ys = [y for _, _, y in positions]
    if coords.crs == HK1980_GRID:
        lons, lats = transformer(HK1980_GRID, WGS84).transform(xs, ys)
    else:
        lons, lats = xs, ys
    for (index, x, y), lon, lat in zip(positions, lons, lats, strict=True):
        if not in_hong_kong(lon, lat):
            raise SpatialError(
                N_("Row {row}: the position {x}, {y} is outside Hong Kong."),
                f"{coords.x}, {coords.y}, row {index + 1}", row=index + 1, x=x, y=y,
            )
        features[index]["geometry"] = {
            "type": "Point",
            "coordinates": [round(float(lon), COORDINATE_DECIMALS),
                            round(float(lat), COORDINATE_DECIMALS)],
        }
    return features


def _coordinate(row: Sequence[Any] | Mapping[str, Any], index: int, column: str, number: int
                ) -> float | None:
    value = _cell(row, index, column)
    try:
        return parse_number(value)
    except ValueError:
        raise SpatialError(
            N_('Row {row}: the {column} column holds "{value}", which is not a number.'),
            f"{column}, row {number}", row=number, column=column, value=str(value)[:40],
        ) from None
