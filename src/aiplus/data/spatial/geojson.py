"""Reading GeoJSON (RFC 7946): check it thoroughly, bring it to WGS 84, measure its extent.

:func:`parse_geojson` accepts a FeatureCollection, a single Feature or a bare geometry, and
returns plain Feature dictionaries in WGS 84 longitude/latitude ready for the spatial store.
Every problem raises :class:`~aiplus.data.spatial.errors.SpatialError` naming where it is
(``features/12/geometry/coordinates``). A legacy ``crs`` member (GeoJSON 2008) may name WGS 84
(``urn:ogc:def:crs:OGC:1.3:CRS84``, ``EPSG:4326``) or the HK1980 Grid (``EPSG:2326``), whose
easting/northing metres are converted; any other CRS is refused.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

from aiplus.core import jsonlimits
from aiplus.core.i18n import N_
from aiplus.data.spatial.crs import (
    COORDINATE_DECIMALS,
    HK1980_GRID,
    HK_GRID_EASTING,
    HK_GRID_NORTHING,
    WGS84,
    transformer,
)
from aiplus.data.spatial.errors import SpatialError

Bounds = tuple[float, float, float, float]  # minx, miny, maxx, maxy

# How deep each geometry's coordinates nest: 0 is one position.
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2,
          "MultiPolygon": 3}
GEOMETRY_TYPES = frozenset({*_DEPTH, "GeometryCollection"})
_EPSG_CODE = re.compile(r"(?:^|[:/])EPSG(?::[\d.]*)?[:/](?:[\d.]+/)?(\d+)$", re.IGNORECASE)
_CRS84 = re.compile(r"(?:^|[:/])CRS:?84$", re.IGNORECASE)
_WGS84_CODES = {"4326", "4979"}


@dataclass(frozen=True)
class GeoJSONData:
    """Checked GeoJSON: WGS 84 features, their overall extent, and the CRS they came in."""

    features: list[dict[str, Any]]
    bbox: Bounds | None
    source_crs: str


# --- Extents ---------------------------------------------------------------------------------


def _positions(coordinates: Any) -> Iterator[list[float]]:
    if coordinates and isinstance(coordinates[0], int | float):
        yield coordinates
        return
    for part in coordinates or ():
        yield from _positions(part)


def geometry_bounds(geometry: dict[str, Any] | None) -> Bounds | None:
    """``(minx, miny, maxx, maxy)`` of a GeoJSON geometry, or None for a null or empty one."""
    if not geometry:
        return None
    if geometry.get("type") == "GeometryCollection":
        return union_bounds(geometry_bounds(g) for g in geometry.get("geometries") or ())
    xs: list[float] = []
    ys: list[float] = []
    for position in _positions(geometry.get("coordinates")):
        xs.append(position[0])
        ys.append(position[1])
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def union_bounds(boxes: Iterable[Bounds | None]) -> Bounds | None:
    """The smallest box holding every given box (None entries are skipped)."""
    result: list[float] | None = None
    for box in boxes:
        if box is None:
            continue
        if result is None:
            result = list(box)
            continue
        result[0], result[1] = min(result[0], box[0]), min(result[1], box[1])
        result[2], result[3] = max(result[2], box[2]), max(result[3], box[3])
    return tuple(result) if result is not None else None  # type: ignore[return-value]


# --- Parsing ---------------------------------------------------------------------------------


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _load(data: bytes | str) -> Any:
    if isinstance(data, bytes | bytearray | memoryview):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpatialError(N_("The file is not UTF-8 text."), "") from None
    else:
        text = data.removeprefix("\ufeff")
    try:
        return jsonlimits.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise SpatialError(
            N_("The file is not valid JSON: {reason} (line {line}, column {column})."), "",
            reason=exc.msg, line=exc.lineno, column=exc.colno,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise SpatialError(N_("The file is not valid JSON: {reason}."), "",
                           reason=str(exc)[:100]) from None


def crs_of(member: Any, field: str) -> str:
    """The CRS a legacy GeoJSON ``crs`` member names: :data:`WGS84` or :data:`HK1980_GRID`."""
    if member is None:
        return WGS84
    name: str | None = None
    if isinstance(member, dict) and isinstance(member.get("properties"), dict):
        props = member["properties"]
        if member.get("type") == "name" and isinstance(props.get("name"), str):
            name = props["name"].strip()
        elif member.get("type") == "EPSG" and isinstance(props.get("code"), int | str):
            name = f"EPSG:{props['code']}"
    if name is None:
        raise SpatialError(
            N_("The crs member is malformed: name a system such as EPSG:2326, or leave the "
               "member out for WGS 84."), field,
        )
    if _CRS84.search(name):
        return WGS84
    match = _EPSG_CODE.search(name)
    if match and match.group(1) in _WGS84_CODES:
        return WGS84
    if match and match.group(1) == "2326":
        return HK1980_GRID
    raise SpatialError(
        N_("The coordinate reference system {crs} is not supported; use WGS 84 (EPSG:4326) or "
           "the HK1980 Grid (EPSG:2326)."), field, crs=name[:100],
    )


def _at(path: str, part: object) -> str:
    """``path/part``, or ``part`` at the top of the document."""
    return f"{path}/{part}" if path else str(part)


class _Reader:
    """One pass over a GeoJSON document, in one source CRS."""

    def __init__(self, source_crs: str) -> None:
        self.source_crs = source_crs
        self._to_wgs84: Callable[[list[float], list[float]], tuple[Any, Any]] | None = None
        if source_crs == HK1980_GRID:
            self._to_wgs84 = transformer(HK1980_GRID, WGS84).transform

    def nested_crs(self, obj: dict[str, Any], path: str) -> None:
        if "crs" in obj and crs_of(obj["crs"], _at(path, "crs")) != self.source_crs:
            raise SpatialError(
                N_("A nested crs member differs from the document's coordinate reference "
                   "system."), _at(path, "crs"),
            )

    def feature(self, obj: Any, path: str) -> dict[str, Any]:
        if not isinstance(obj, dict) or obj.get("type") != "Feature":
            raise SpatialError(N_("Expected a GeoJSON Feature object."), path)
        self.nested_crs(obj, path)
        if "geometry" not in obj:
            raise SpatialError(N_("A Feature needs a geometry member (null is allowed)."),
                               _at(path, "geometry"))
        properties = obj.get("properties")
        if properties is not None and not isinstance(properties, dict):
            raise SpatialError(N_("Feature properties must be a JSON object or null."),
                               _at(path, "properties"))
        geometry = self.geometry(obj["geometry"], _at(path, "geometry"))
        return {"type": "Feature", "geometry": geometry, "properties": properties or {}}

    def geometry(self, obj: Any, path: str, *, top: bool = True) -> dict[str, Any] | None:
        if obj is None and top:
            return None
        if not isinstance(obj, dict):
            raise SpatialError(N_("Expected a GeoJSON geometry object or null."), path)
        kind = obj.get("type")
        if kind not in GEOMETRY_TYPES:
            raise SpatialError(N_("{type} is not a GeoJSON geometry type."), _at(path, "type"),
                               type=str(kind)[:40])
        self.nested_crs(obj, path)
        if kind == "GeometryCollection":
            members = obj.get("geometries")
            if not isinstance(members, list):
                raise SpatialError(N_("A GeometryCollection needs a geometries array."),
                                   _at(path, "geometries"))
            parts = [self.geometry(g, _at(path, f"geometries/{i}"), top=False)
                     for i, g in enumerate(members)]
            return {"type": kind, "geometries": parts}
        coordinates = obj.get("coordinates")
        where = _at(path, "coordinates")
        if isinstance(coordinates, list) and not coordinates:
            return {"type": kind, "coordinates": []} if not top else None
        checked = self._coordinates(coordinates, _DEPTH[kind], where, kind)
        if kind == "LineString":
            _check_line(checked, where)
        elif kind == "MultiLineString":
            for i, line in enumerate(checked):
                _check_line(line, _at(where, i))
        elif kind == "Polygon":
            _check_rings(checked, where)
        elif kind == "MultiPolygon":
            for i, polygon in enumerate(checked):
                _check_rings(polygon, _at(where, i))
        geometry = {"type": kind, "coordinates": self._project(checked, _DEPTH[kind], where)}
        if kind != "Point" and kind != "MultiPoint":
            _check_validity(geometry, path)
        return geometry

    def _coordinates(self, value: Any, depth: int, where: str, kind: str) -> Any:
        if depth == 0:
            if (not isinstance(value, list) or not 2 <= len(value) <= 3
                    or not all(isinstance(n, int | float) and not isinstance(n, bool)
                               for n in value)):
                raise SpatialError(
                    N_("A position must be an array of two or three numbers "
                       "(longitude, latitude and optionally height)."), where,
                )
            try:
                numbers = [float(n) for n in value]
            except OverflowError:
                numbers = [math.inf]
            if not all(math.isfinite(n) for n in numbers):
                raise SpatialError(N_("The coordinates are not finite numbers."), where)
            return numbers
        if not isinstance(value, list):
            raise SpatialError(N_("The coordinates are not nested as a {type} requires."),
                               where, type=kind)
        return [self._coordinates(v, depth - 1, _at(where, i), kind) for i, v in enumerate(value)]

    def _project(self, coordinates: Any, depth: int, where: str) -> Any:
        """Bring every position to WGS 84 (in one batch) and check its range."""
        flat = [coordinates] if depth == 0 else list(_positions(coordinates))
        xs = [p[0] for p in flat]
        ys = [p[1] for p in flat]
        if self._to_wgs84 is not None:
            for x, y in zip(xs, ys, strict=True):
                if not (HK_GRID_EASTING[0] <= x <= HK_GRID_EASTING[1]
                        and HK_GRID_NORTHING[0] <= y <= HK_GRID_NORTHING[1]):
                    raise SpatialError(
                        N_("The position {x}, {y} is outside the area of the HK1980 Grid "
                           "(easting 792000 to 872000, northing 797000 to 850500 metres)."),
                        where, x=x, y=y,
                    )
            lons, lats = self._to_wgs84(xs, ys)
            for position, lon, lat in zip(flat, lons, lats, strict=True):
                position[0] = round(float(lon), COORDINATE_DECIMALS)
                position[1] = round(float(lat), COORDINATE_DECIMALS)
            return coordinates
        for x, y in zip(xs, ys, strict=True):
            if not (-180.0 <= x <= 180.0 and -90.0 <= y <= 90.0):
                raise SpatialError(
                    N_("The position {x}, {y} is not a longitude and latitude in degrees "
                       "(WGS 84). If it is on the HK1980 Grid, add a crs member naming "
                       "EPSG:2326."), where, x=x, y=y,
                )
        return coordinates


def _check_line(line: list[list[float]], where: str) -> None:
    if len(line) < 2:
        raise SpatialError(N_("A line needs at least two positions."), where)


def _check_rings(rings: list[list[list[float]]], where: str) -> None:
    for i, ring in enumerate(rings):
        if len(ring) < 4 or ring[0][:2] != ring[-1][:2]:
            raise SpatialError(
                N_("A polygon ring needs at least four positions and must end where it "
                   "starts."), _at(where, i),
            )


def _check_validity(geometry: dict[str, Any], path: str) -> None:
    try:
        candidate = shape(geometry)
    except (ValueError, TypeError, AttributeError) as exc:
        raise SpatialError(N_("The geometry is not valid: {reason}."), path,
                           reason=str(exc)[:100]) from None
    if not candidate.is_valid:
        raise SpatialError(N_("The geometry is not valid: {reason}."), path,
                           reason=explain_validity(candidate)[:100])


def parse_geojson(data: bytes | str, *, max_features: int | None = None) -> GeoJSONData:
    """Check GeoJSON and return its features in WGS 84 with their overall bbox.

    Accepts a FeatureCollection, a Feature, or a bare geometry (which becomes one feature
    without properties). Feature ``id`` members and foreign members are not kept: features
    are identified by their position. Geometries are checked for structure, coordinate range
    and (lines and polygons) validity with shapely.
    """
    document = _load(data)
    if not isinstance(document, dict):
        raise SpatialError(N_("GeoJSON must be a JSON object."), "")
    kind = document.get("type")
    source_crs = crs_of(document.get("crs"), "crs")
    reader = _Reader(source_crs)
    if kind == "FeatureCollection":
        members = document.get("features")
        if not isinstance(members, list):
            raise SpatialError(N_("A FeatureCollection needs a features array."), "features")
        if max_features is not None and len(members) > max_features:
            raise SpatialError(N_("The file has more than {limit} features."), "features",
                               limit=max_features)
        features = [reader.feature(f, f"features/{i}") for i, f in enumerate(members)]
    elif kind == "Feature":
        features = [reader.feature(document, "")]
    elif kind in GEOMETRY_TYPES:
        features = [{"type": "Feature", "geometry": reader.geometry(document, ""),
                     "properties": {}}]
    else:
        raise SpatialError(
            N_("{type} is not a GeoJSON type; expected a FeatureCollection, a Feature or a "
               "geometry."), "type", type=str(kind)[:40],
        )
    bbox = union_bounds(geometry_bounds(f["geometry"]) for f in features)
    if bbox is not None and not all(math.isfinite(v) for v in bbox):
        raise SpatialError(N_("The coordinates are not finite numbers."), "")
    return GeoJSONData(features=features, bbox=bbox, source_crs=source_crs)
