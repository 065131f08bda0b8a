"""DCAT-AP endpoints: ``GET /catalog.{jsonld,ttl,xml}`` (paged) and
``GET /dataset/{id}.{jsonld,ttl}``.

The router knows nothing of the catalogue's storage: ``make_router`` takes a function that
returns a :class:`PackageSource` for the request, e.g.
``make_router(lambda request: request.app.state.platform.catalog.dcat_source())``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from aiplus.core.errors import BadRequest, NotFound
from aiplus.data.dcat.graph import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    catalog_graph,
    dataset_graph,
    last_page,
)
from aiplus.data.dcat.serialize import FORMATS, render

CATALOG_FORMATS: tuple[str, ...] = ("jsonld", "ttl", "xml")
DATASET_FORMATS: tuple[str, ...] = ("jsonld", "ttl")
#: CKAN ids and names: letters, digits, ``-`` and ``_``, at most 100 characters.
_DATASET_KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}$")


@runtime_checkable
class PackageSource(Protocol):
    """What the DCAT endpoints need from the catalogue. Only public, active datasets should
    be returned; the router drops any private or deleted one it is handed all the same."""

    def page(self, page: int, page_size: int) -> tuple[list[dict[str, Any]], int]:
        """Datasets on 1-based ``page`` as CKAN ``package_show`` dicts, and the total count."""
        ...

    def get(self, id_or_name: str) -> dict[str, Any]:
        """One dataset by id or name; raises :class:`aiplus.core.errors.NotFound`."""
        ...

    def catalog_meta(self) -> dict[str, Any]:
        """``title``/``description`` (``{"en", "zh-Hant"}``), ``publisher``
        (``{"name", "homepage"?, "email"?, "uri"?}``), ``homepage``; optionally ``issued``,
        ``modified``, ``license_url``."""
        ...


def _published(package: Mapping[str, Any]) -> bool:
    return (
        not package.get("private")
        and package.get("state", "active") == "active"
        and package.get("type", "dataset") == "dataset"
    )


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise NotFound(details={"format": fmt, "formats": list(allowed)})


def _responses(formats: tuple[str, ...]) -> dict[int | str, dict[str, Any]]:
    content = {FORMATS[f].media_type: {"schema": {"type": "string"}} for f in formats}
    return {200: {"description": "DCAT-AP RDF", "content": content}}


def make_router(get_source: Callable[[Request], PackageSource]) -> APIRouter:
    router = APIRouter(tags=["open data: DCAT-AP"])

    @router.get(
        "/catalog.{fmt}",
        response_class=Response,
        responses=_responses(CATALOG_FORMATS),
        summary="The data catalogue as DCAT-AP (paged)",
    )
    def catalog(
        request: Request,
        fmt: str = Path(description="jsonld, ttl or xml"),
        page: int = Query(1, ge=1, le=1_000_000, description="1-based page number"),
        page_size: int = Query(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="datasets per page"
        ),
    ) -> Response:
        """``fmt``: ``jsonld``, ``ttl`` or ``xml``. Page links are in a
        ``hydra:PagedCollection``; a page past the last one is 404."""
        _check_format(fmt, CATALOG_FORMATS)
        source = get_source(request)
        packages, total = source.page(page, page_size)
        if page > last_page(total, page_size):
            raise NotFound(details={"page": page, "last_page": last_page(total, page_size)})
        graph = catalog_graph(
            source.catalog_meta(),
            [p for p in packages if _published(p)],
            _base_url(request),
            page,
            page_size,
            total,
            fmt=fmt,
        )
        body, media_type = render(graph, fmt)
        return Response(body, media_type=media_type)

    @router.get(
        "/dataset/{dataset_id}.{fmt}",
        response_class=Response,
        responses=_responses(DATASET_FORMATS),
        summary="One dataset as DCAT-AP",
    )
    def dataset(
        request: Request,
        dataset_id: str = Path(description="the dataset's id or name"),
        fmt: str = Path(description="jsonld or ttl"),
    ) -> Response:
        """``dataset_id``: the dataset's id or name (400 if it cannot be one); ``fmt``:
        ``jsonld`` or ``ttl``."""
        _check_format(fmt, DATASET_FORMATS)
        if not _DATASET_KEY.match(dataset_id):
            raise BadRequest(details={"dataset_id": "expected a CKAN id or name"})
        package = get_source(request).get(dataset_id)
        if not _published(package):
            raise NotFound()
        body, media_type = render(dataset_graph(package, _base_url(request)), fmt)
        return Response(body, media_type=media_type)

    return router
