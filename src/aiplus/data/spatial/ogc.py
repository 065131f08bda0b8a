"""OGC API - Features - Part 1: Core (OGC 17-069r4), read-only, over the spatial store.

Routes (all GET; a collection is visible to whoever may read its dataset, so the features of
a private dataset reach only its organisation and platform admins, as its DataStore table does):

- ``/ogc``: landing page with links to the API definition, conformance and collections;
- ``/ogc/conformance``: the conformance classes this API implements (core, GeoJSON, OpenAPI 3.0);
- ``/ogc/collections`` and ``/ogc/collections/{collectionId}``: collections, one per spatial
  resource (the collection id is the resource id), with their WGS 84 extent;
- ``/ogc/collections/{collectionId}/items``: features as a GeoJSON FeatureCollection, filtered
  by ``bbox=minx,miny,maxx,maxy`` (WGS 84, CRS84 axis order) and paged by ``limit`` (1 to
  10000, default 10) and ``offset``, with ``numberMatched``, ``numberReturned``,
  ``timeStamp`` and ``self``/``collection``/``next``/``prev`` links;
- ``/ogc/collections/{collectionId}/items/{featureId}``: one feature (ids are 1, 2, 3 ... in
  source order).

Errors are raised as the platform's own :mod:`aiplus.core.errors` and answered as OGC
exceptions (``{"code", "description"}``) that also carry the platform's
``{"error": {"code", "message", "details"}}`` envelope, in the asker's language, whatever the
``Accept`` header (an OGC client may send ``application/geo+json``). Unknown query parameters are refused (400), as the standard
requires. The router reads the database of ``request.app.state.platform``; it is mounted by
the platform (it is not registered here).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Coroutine, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy import select
from starlette.responses import Response

from aiplus.core.errors import AiplusError, BadRequest, NotFound
from aiplus.core.i18n import LANG_COOKIE, N_, negotiate, translator
from aiplus.core.identifiers import canonical_uuid
from aiplus.core.identity import Principal
from aiplus.data.catalog.tables import Dataset
from aiplus.data.catalog.service import can_read
from aiplus.data.spatial.crs import CRS84_URI
from aiplus.data.spatial.store import CollectionInfo, SpatialStore, check_bbox
from aiplus.platform.security import request_guard

GEOJSON = "application/geo+json"
JSON = "application/json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
MAX_LIMIT = 10_000
DEFAULT_LIMIT = 10
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
_COMMON_PARAMS = frozenset({"f", "lang", "format"})
_ITEMS_PARAMS = _COMMON_PARAMS | {"bbox", "limit", "offset", "datetime"}
_OGC_CODES = {400: "InvalidParameterValue", 404: "NotFound", 401: "Unauthorized",
              403: "Forbidden", 429: "TooManyRequests", 503: "ServiceUnavailable"}


class GeoJSONResponse(JSONResponse):
    media_type = GEOJSON


# --- Errors ----------------------------------------------------------------------------------


def _locale(request: Request) -> str:
    return negotiate(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                     request.headers.get("accept-language"))


def render_error(request: Request, error: AiplusError, message: str,
                 headers: Mapping[str, str]) -> Response:
    """An OGC exception document (``code``, ``description``) that also carries the platform's
    ``error`` envelope. Its signature fits the platform's per-prefix error shapes, so the
    platform can render its own errors under ``/ogc`` (unknown paths, 405) the same way."""
    body: dict[str, Any] = {
        "code": _OGC_CODES.get(error.status_code, error.code),
        "description": message,
        "error": {"code": error.code, "message": message},
    }
    if error.details is not None:
        body["error"]["details"] = error.details
    return JSONResponse(body, status_code=error.status_code, headers=dict(headers))


def ogc_error_response(request: Request, error: AiplusError) -> Response:
    """The error in the asker's language, as :func:`render_error` shapes it."""
    message = translator(_locale(request))(error.message, **error.params)
    headers = {}
    if error.status_code == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if "retry_after" in error.params:
        headers["Retry-After"] = str(error.params["retry_after"])
    return render_error(request, error, message, headers)


def _parameter_error(exc: RequestValidationError) -> BadRequest:
    names = {str(err.get("loc", ("", ""))[-1]) for err in exc.errors()}
    if "limit" in names:
        error = BadRequest(N_("The limit parameter must be a whole number from 1 to {high}."),
                           high=MAX_LIMIT)
    elif "offset" in names:
        error = BadRequest(N_("The offset parameter must be a whole number, 0 or more."))
    else:
        error = BadRequest()
    error.details = [{"parameter": name} for name in sorted(names)]
    return error


class OGCRoute(APIRoute):
    """A route whose errors come back as OGC exception documents (JSON), whatever the Accept.

    Invalid ``limit``/``offset`` values are a 400 (the standard's answer), not a 422.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                error: AiplusError = _parameter_error(exc)
            except AiplusError as exc:
                error = exc
            return ogc_error_response(request, error)

        return answer


_EXCEPTION = {"content": {JSON: {"schema": {
    "type": "object", "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}}}}
router = APIRouter(
    prefix="/ogc", tags=["ogc-features"], route_class=OGCRoute,
    responses={400: {"description": "Invalid request (OGC exception)", **_EXCEPTION},
               404: {"description": "Not found (OGC exception)", **_EXCEPTION}},
)


# --- Helpers ---------------------------------------------------------------------------------


def _store(request: Request) -> SpatialStore:
    return SpatialStore(request.app.state.platform.db)


def _href(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


def _collection_path(collection_id: str) -> str:
    return "/ogc/collections/" + quote(collection_id, safe="")


def _check_params(request: Request, allowed: frozenset[str]) -> None:
    for name in request.query_params:
        if name not in allowed:
            raise BadRequest(N_("The query parameter {name} is not supported here."),
                             name=name[:40], details=[{"parameter": name[:40]}])
    fmt = request.query_params.get("f")
    if fmt and fmt.lower() not in ("json", "geojson"):
        raise BadRequest(N_("The format {value} is not offered; use f=json."), value=fmt[:40],
                         details=[{"parameter": "f"}])


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``minx,miny,maxx,maxy`` (or six numbers with heights) in WGS 84, checked."""
    parts = [p.strip() for p in text.split(",")]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        raise BadRequest(
            N_("The bbox parameter needs four numbers separated by commas: minimum longitude, "
               "minimum latitude, maximum longitude, maximum latitude (or six, with heights)."),
            details=[{"parameter": "bbox"}],
        )
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    try:
        return check_bbox(numbers)
    except ValueError:
        raise BadRequest(
            N_("The bbox parameter is out of range: longitudes run from -180 to 180, latitudes "
               "from -90 to 90, and the minimum latitude comes first."),
            details=[{"parameter": "bbox"}],
        ) from None


def _instant(text: str) -> bool:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _check_datetime(text: str) -> None:
    """Syntax check of ``datetime``: an RFC 3339 instant or an interval (``..`` = open end).

    The collections carry no time of their own, so a valid value filters nothing out.
    """
    parts = text.split("/")
    if len(parts) == 1:
        ok = _instant(parts[0])
    else:
        opened = [p in ("", "..") for p in parts]
        ok = (len(parts) == 2 and not all(opened)
              and all(o or _instant(p) for o, p in zip(opened, parts, strict=True)))
    if not ok:
        raise BadRequest(N_("The datetime parameter must be an RFC 3339 date-time or an "
                            "interval such as 2024-01-01T00:00:00Z/.."),
                         details=[{"parameter": "datetime"}])


def readable_datasets(request: Request, principal: Principal, dataset_ids: set[str]) -> set[str]:
    """Which of these datasets the principal may read (the catalogue's rule, nothing else)."""
    if not dataset_ids:
        return set()
    with request.app.state.platform.db.read() as session:
        found = session.scalars(select(Dataset).where(Dataset.id.in_(dataset_ids)))
        return {dataset.id for dataset in found if can_read(principal, dataset)}


def _collection(request: Request, collection_id: str, principal: Principal) -> CollectionInfo:
    """The collection an id names, in any spelling of the resource id. One the caller may not
    read is "not found", exactly like one that does not exist, so its existence stays private."""
    info = _store(request).collection(canonical_uuid(collection_id) or collection_id)
    if info is None or not readable_datasets(request, principal, {info.dataset_id}):
        raise NotFound(N_("There is no collection called {id}."), id=collection_id[:80])
    return info


def _collection_document(request: Request, info: CollectionInfo, locale: str) -> dict[str, Any]:
    translate = translator(locale)
    here = _href(request, _collection_path(info.id))
    document: dict[str, Any] = {
        "id": info.id,
        "title": info.title.get(locale),
        "links": [
            {"href": here, "rel": "self", "type": JSON, "title": info.title.get(locale)},
            {"href": here + "/items", "rel": "items", "type": GEOJSON,
             "title": translate(N_("Features"))},
        ],
        "itemType": "feature",
        "crs": [CRS84_URI],
        "datasetId": info.dataset_id,
        "featureCount": info.feature_count,
        "updated": _timestamp(info.updated_at),
    }
    if info.bbox is not None:
        document["extent"] = {"spatial": {"bbox": [list(info.bbox)], "crs": CRS84_URI}}
    return document


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _json(body: dict[str, Any], locale: str, media_type: str = JSON) -> Response:
    response = (GeoJSONResponse if media_type == GEOJSON else JSONResponse)(body)
    response.headers["Content-Language"] = locale
    return response


# --- Routes ----------------------------------------------------------------------------------

_LANG = Annotated[str | None, Query(description="Language: en or zh-Hant.")]
_F = Annotated[str | None, Query(description="Response format; only json is offered.")]


@router.get("", summary="OGC API - Features landing page", response_class=JSONResponse)
def landing(request: Request, f: _F = None, lang: _LANG = None) -> Response:
    _check_params(request, _COMMON_PARAMS)
    locale = _locale(request)
    translate = translator(locale)
    return _json({
        "title": translate(N_("AI Plus spatial data")),
        "description": translate(N_("Spatial resources of the open data portal, served "
                                    "through OGC API - Features.")),
        "links": [
            {"href": _href(request, "/ogc"), "rel": "self", "type": JSON,
             "title": translate(N_("This document"))},
            {"href": _href(request, "/openapi.json"), "rel": "service-desc", "type": OPENAPI,
             "title": translate(N_("The API definition"))},
            {"href": _href(request, "/docs"), "rel": "service-doc", "type": "text/html",
             "title": translate(N_("The API documentation"))},
            {"href": _href(request, "/ogc/conformance"), "rel": "conformance", "type": JSON,
             "title": translate(N_("Conformance classes"))},
            {"href": _href(request, "/ogc/collections"), "rel": "data", "type": JSON,
             "title": translate(N_("Collections"))},
        ],
    }, locale)


@router.get("/conformance", summary="Conformance classes implemented",
            response_class=JSONResponse)
def conformance(request: Request, f: _F = None, lang: _LANG = None) -> Response:
    _check_params(request, _COMMON_PARAMS)
    return _json({"conformsTo": CONFORMANCE}, _locale(request))


@router.get("/collections", summary="Spatial collections (one per spatial resource)",
            response_class=JSONResponse)
def collections(request: Request, f: _F = None, lang: _LANG = None,
                principal: Principal = Depends(request_guard)) -> Response:
    _check_params(request, _COMMON_PARAMS)
    locale = _locale(request)
    platform = request.app.state.platform
    store = _store(request)
    cache = getattr(platform, "cache", None)  # cleared on every commit
    found = (cache.get_or_compute("spatial:collections", store.collections)
             if cache is not None else store.collections())
    readable = readable_datasets(request, principal, {info.dataset_id for info in found})
    found = [info for info in found if info.dataset_id in readable]
    return _json({
        "links": [{"href": _href(request, "/ogc/collections"), "rel": "self", "type": JSON}],
        "collections": [_collection_document(request, info, locale) for info in found],
    }, locale)


_COLLECTION_ID = Annotated[str, Path(alias="collectionId",
                                     description="The collection (resource) id.")]


@router.get("/collections/{collectionId}", summary="One spatial collection",
            response_class=JSONResponse)
def collection(request: Request, collection_id: _COLLECTION_ID, f: _F = None,
               lang: _LANG = None, principal: Principal = Depends(request_guard)) -> Response:
    _check_params(request, _COMMON_PARAMS)
    locale = _locale(request)
    info = _collection(request, collection_id, principal)
    return _json(_collection_document(request, info, locale), locale)


@router.get("/collections/{collectionId}/items", summary="Features of a collection",
            response_class=GeoJSONResponse)
def items(
    request: Request,
    collection_id: _COLLECTION_ID,
    bbox: Annotated[str | None, Query(
        description="minx,miny,maxx,maxy in WGS 84 degrees (longitude first); features whose "
                    "geometry intersects the box.", examples=["114.1,22.25,114.25,22.35"],
    )] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Features per page.")]
    = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Features to skip.")] = 0,
    datetime_: Annotated[str | None, Query(
        alias="datetime", description="Accepted for conformance; the collections carry no "
        "time, so it selects every feature.",
    )] = None,
    f: _F = None,
    lang: _LANG = None,
    principal: Principal = Depends(request_guard),
) -> Response:
    _check_params(request, _ITEMS_PARAMS)
    box = parse_bbox(bbox) if bbox is not None else None
    if datetime_ is not None:
        _check_datetime(datetime_)
    info = _collection(request, collection_id, principal)
    features, matched = _store(request).items(info.id, bbox=box, limit=limit, offset=offset)
    here = _href(request, _collection_path(info.id))
    for feature in features:
        feature["links"] = [{"href": f"{here}/items/{feature['id']}", "rel": "self",
                             "type": GEOJSON}]
    links = [
        {"href": str(request.url), "rel": "self", "type": GEOJSON},
        {"href": here, "rel": "collection", "type": JSON},
    ]
    if offset + limit < matched:
        links.append({"href": str(request.url.include_query_params(offset=offset + limit,
                                                                   limit=limit)),
                      "rel": "next", "type": GEOJSON})
    if offset > 0:
        links.append({"href": str(request.url.include_query_params(
            offset=max(0, offset - limit), limit=limit)), "rel": "prev", "type": GEOJSON})
    return _json({
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": _timestamp(datetime.now(UTC)),
        "links": links,
    }, _locale(request), GEOJSON)


@router.get("/collections/{collectionId}/items/{featureId}", summary="One feature",
            response_class=GeoJSONResponse)
def feature(
    request: Request,
    collection_id: _COLLECTION_ID,
    feature_id: Annotated[str, Path(alias="featureId",
                                    description="The feature's number in its collection.")],
    f: _F = None,
    lang: _LANG = None,
    principal: Principal = Depends(request_guard),
) -> Response:
    _check_params(request, _COMMON_PARAMS)
    info = _collection(request, collection_id, principal)
    found = None
    if feature_id.isascii() and feature_id.isdigit() and len(feature_id) <= 9:
        found = _store(request).feature(info.id, int(feature_id))
    if found is None:
        raise NotFound(N_("There is no feature {feature} in collection {id}."),
                       feature=feature_id[:40], id=info.id)
    here = _href(request, _collection_path(info.id))
    found["links"] = [
        {"href": f"{here}/items/{found['id']}", "rel": "self", "type": GEOJSON},
        {"href": here, "rel": "collection", "type": JSON},
    ]
    return _json(found, _locale(request), GEOJSON)
