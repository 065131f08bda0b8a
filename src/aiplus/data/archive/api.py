"""``/api/v1/historical-archive/{list-files, list-file-versions, get-file}``.

Times are Hong Kong time (GMT+8) as on DATA.GOV.HK: dates ``YYYYMMDD``, snapshot times
``YYYYMMDD-HHMM``. Files are addressed by the resource's public URL, as there.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import func, select

from aiplus.core.errors import BadRequest, NotFound
from aiplus.core.i18n import N_
from aiplus.core.identity import Organisation
from aiplus.data.catalog.links import absolute, uploaded_resource_id
from aiplus.data.catalog.serialise import resource_url
from aiplus.data.catalog.tables import Dataset, Group, Resource, ResourceVersion
from aiplus.data.ckan_api.router import base_url
from aiplus.platform.security import platform_of

HKT = timezone(timedelta(hours=8))
router = APIRouter(prefix="/api/v1/historical-archive", tags=["archive"])


def _day(value: str, field: str, end: bool = False) -> datetime:
    try:
        day = datetime.strptime(value, "%Y%m%d").replace(tzinfo=HKT)
    except ValueError:
        raise BadRequest(N_("{field} must be a date written YYYYMMDD."), field=field) from None
    return day + timedelta(days=1) if end else day


def _range(start: str, end: str) -> tuple[datetime, datetime]:
    low, high = _day(start, "start"), _day(end, "end", end=True)
    if high <= low:
        raise BadRequest(N_("end must not be before start."))
    return low, high


def _public_versions() -> Any:
    return (select(ResourceVersion, Resource, Dataset)
            .join(Resource, Resource.id == ResourceVersion.resource_id)
            .join(Dataset, Dataset.id == ResourceVersion.dataset_id)
            .where(Dataset.state == "active", Dataset.private.is_(False)))


@router.get("/list-files", summary="Files with snapshots between two dates")
def list_files(
    request: Request,
    start: str = Query(..., pattern=r"^\d{8}$"), end: str = Query(..., pattern=r"^\d{8}$"),
    category: str | None = Query(None, max_length=100),
    provider: str | None = Query(None, max_length=63),
    format: str | None = Query(None, max_length=30),
    max: int = Query(100, ge=1, le=10000), skip: int = Query(0, ge=0, le=10**7),
) -> dict[str, Any]:
    low, high = _range(start, end)
    query = _public_versions().where(ResourceVersion.at >= low, ResourceVersion.at < high)
    if provider:
        query = query.where(Dataset.org_id.in_(
            select(Organisation.id).where(Organisation.slug == provider)))
    if category:
        query = query.where(Dataset.groups.any(Group.name == category))
    if format:
        query = query.where(func.upper(ResourceVersion.format) == format.upper())
    base = base_url(request)
    with platform_of(request).db.read() as session:
        rows = session.execute(query.order_by(ResourceVersion.at)).all()
        latest: dict[str, tuple[ResourceVersion, Resource, Dataset]] = {}
        for version, resource, dataset in rows:
            latest[resource.id] = (version, resource, dataset)
        files = [{
            "url": absolute(resource_url(resource), base), "format": version.format,
            "dataset-name-en": dataset.title_en, "dataset-name-tc": dataset.title_zh,
            "resource-name-en": resource.name_en, "resource-name-tc": resource.name_zh,
            "provider": dataset.organisation.slug,
            "category": [g.name for g in dataset.groups],
            "last-updated": version.at.astimezone(HKT).strftime("%Y%m%d-%H%M"),
        } for version, resource, dataset in latest.values()]
    return {"files": files[skip:skip + max], "file-count": len(files)}


def _resource_by_url(session: Any, url: str) -> Resource:
    """The resource a listed URL names: an uploaded file by the id in its link (the host part
    depends on where the list was asked), any other by the URL its publisher gave."""
    uploaded = uploaded_resource_id(url)
    resource = (session.get(Resource, uploaded) if uploaded
                else session.scalar(select(Resource).where(Resource.url == url)))
    if resource is None or resource.dataset.state != "active" or resource.dataset.private:
        raise NotFound(N_("No archived file has that URL."))
    return resource


@router.get("/list-file-versions", summary="Snapshot times of one file")
def list_file_versions(
    request: Request, url: str = Query(..., max_length=1000),
    start: str = Query(..., pattern=r"^\d{8}$"), end: str = Query(..., pattern=r"^\d{8}$"),
) -> dict[str, Any]:
    low, high = _range(start, end)
    with platform_of(request).db.read() as session:
        resource = _resource_by_url(session, url)
        versions = session.scalars(select(ResourceVersion).where(
            ResourceVersion.resource_id == resource.id, ResourceVersion.at >= low,
            ResourceVersion.at < high).order_by(ResourceVersion.at)).all()
    stamps = [v.at.astimezone(HKT).strftime("%Y%m%d-%H%M") for v in versions]
    return {"timestamps": stamps, "data-files": [
        f"{str(request.base_url).rstrip('/')}/api/v1/historical-archive/get-file?url={url}&time={s}"
        for s in stamps]}


@router.get("/get-file", summary="The file as it was at a snapshot time", response_class=Response)
def get_file(request: Request, url: str = Query(..., max_length=1000),
             time: str = Query(..., pattern=r"^\d{8}-\d{4}$")) -> Response:
    try:
        moment = datetime.strptime(time, "%Y%m%d-%H%M").replace(tzinfo=HKT)
    except ValueError:
        raise BadRequest(N_("time must be written YYYYMMDD-HHMM.")) from None
    platform = platform_of(request)
    with platform.db.read() as session:
        resource = _resource_by_url(session, url)
        version = session.scalar(select(ResourceVersion).where(
            ResourceVersion.resource_id == resource.id,
            ResourceVersion.at < moment + timedelta(minutes=1))
            .order_by(ResourceVersion.at.desc()).limit(1))
        if version is None:
            raise NotFound(N_("The file had no snapshot at that time."))
    return Response(platform.files.read_bytes(version.file_key),
                    media_type=resource.mimetype or "application/octet-stream",
                    headers={"Content-Disposition": f'attachment; filename="{version.filename}"',
                             "X-Archive-Time": version.at.astimezone(HKT).strftime("%Y%m%d-%H%M")})
