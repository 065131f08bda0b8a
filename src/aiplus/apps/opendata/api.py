"""The open data portal's HTTP surface: CKAN actions, the archive, and file downloads."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse

from aiplus.apps.opendata.dcat_source import public_catalog
from aiplus.core.identity import Principal
from aiplus.data.archive.api import router as archive_router
from aiplus.data.catalog.resources import Resources
from aiplus.data.ckan_api.router import base_url
from aiplus.data.ckan_api.router import router as ckan_router
from aiplus.data.datastore import export, export_bytes
from aiplus.data.dcat.router import make_router
from aiplus.data.pipeline import datastore_of
from aiplus.data.spatial.ogc import router as ogc_router
from aiplus.platform.security import platform_of, request_guard

router = APIRouter()
router.include_router(ckan_router)
router.include_router(archive_router)
router.include_router(make_router(public_catalog))
router.include_router(ogc_router)


@router.get("/dataset/{dataset}/resource/{resource_id}/download/{filename}",
            tags=["ckan"], summary="Download a resource's newest file", response_class=Response)
def download(request: Request, dataset: str, resource_id: str, filename: str,
             principal: Principal = Depends(request_guard)) -> Response:
    platform = platform_of(request)
    data, name, media_type = Resources(platform.db, platform.files).download(
        principal, resource_id)
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


DUMP_TYPES = {"csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values; charset=utf-8",
              "json": "application/json", "parquet": "application/vnd.apache.parquet"}


@router.get("/datastore/dump/{resource_id}", tags=["ckan"], response_class=Response,
            summary="Download a resource's DataStore table as CSV, TSV, JSON or Parquet")
def dump(request: Request, resource_id: str,
         format: str = Query("csv", pattern="^(csv|tsv|json|parquet)$"),
         principal: Principal = Depends(request_guard)) -> Response:
    platform = platform_of(request)
    resource_id = Resources(platform.db, platform.files).show(
        principal, resource_id, "en")["id"]
    store = datastore_of(platform)
    if format == "parquet":
        body = export_bytes(store, resource_id, "parquet")
        return Response(body, media_type=DUMP_TYPES[format], headers=_attachment(resource_id, format))
    return StreamingResponse(export(store, resource_id, format, bom=format == "csv"),
                             media_type=DUMP_TYPES[format], headers=_attachment(resource_id, format))


def _attachment(resource_id: str, format: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{resource_id}.{format}"'}
