"""The portal's open data pages: home, search with facets, organisation and category pages,
dataset pages, and the data steward's publishing flow. Each page has a JSON twin."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from aiplus.core.errors import ValidationFailed
from aiplus.apps.opendata.preview import resource_previews
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.data.catalog.licences import LICENCES
from aiplus.data.catalog.links import with_absolute_links
from aiplus.data.catalog.resources import Resources
from aiplus.data.catalog.search import FACET_FIELDS, Clause, SearchParams, search
from aiplus.data.catalog.service import Catalog
from aiplus.data.catalog.validation import CLASSIFICATIONS, FREQUENCIES, localised
from aiplus.data.ckan_api.actions import ACTIONS, ActionContext
from aiplus.data.ckan_api.router import base_url, read_resource_upload
from aiplus.data.pipeline import upload_checks
from aiplus.platform.negotiation import locale_of, translator_of
from aiplus.platform.security import platform_of, request_guard, require_user
from aiplus.platform.web.render import page

router = APIRouter(prefix="/data", include_in_schema=False)
PAGE_SIZE = 20


def _action(request: Request, principal: Principal, name: str, data: dict[str, Any]) -> Any:
    context = ActionContext(platform_of(request), principal, locale_of(request), base_url(request))
    return with_absolute_links(ACTIONS[name].function(context, data), context.base_url)


@router.get("")
def data_home(request: Request, principal: Principal = Depends(request_guard)) -> Response:
    groups = _action(request, principal, "group_list", {"all_fields": True})
    recent = _action(request, principal, "package_search",
                     {"sort": "metadata_modified desc", "rows": 6})
    orgs = [o for o in _action(request, principal, "organization_list", {"all_fields": True})
            if o["package_count"]]
    data = {"groups": groups, "organizations": orgs, "recent": recent["results"],
            "count": recent["count"]}
    return page(request, "data_home.html", data, title=translator_of(request)(N_("Open data")))


def _search_page(request: Request, principal: Principal, q: str, filters: dict[str, list[str]],
                 page_number: int, title: str, heading: dict[str, Any] | None = None) -> Response:
    params = SearchParams(
        text=q, rows=PAGE_SIZE, start=(page_number - 1) * PAGE_SIZE,
        clauses=[Clause(name, tuple(values)) for name, values in filters.items() if values],
        facet_fields=list(FACET_FIELDS), facet_limit=10,
        sort=[("score", True), ("metadata_modified", True)],
    )
    with platform_of(request).db.read() as session:
        result = search(session, principal, params, locale_of(request))
    pages = max(1, -(-result["count"] // PAGE_SIZE))
    data = {"q": q, "filters": filters, "page": page_number, "pages": pages, **result,
            "heading": heading}
    links = _facet_links(request, q, filters)
    return page(request, "data_search.html", data, title=title, html={"links": links})


def _facet_links(request: Request, q: str, filters: dict[str, list[str]]) -> dict[str, Any]:
    """Query strings to add or remove one facet value, and to move between pages."""
    def query(**changes: Any) -> str:
        current = {"q": q, **{k: list(v) for k, v in filters.items()}}
        current.update(changes)
        pairs = [(k, v) for k, values in current.items()
                 for v in (values if isinstance(values, list) else [values]) if v]
        return "?" + urlencode(pairs)

    def toggle(name: str, value: str) -> str:
        values = list(filters.get(name, []))
        values = [v for v in values if v != value] if value in values else [*values, value]
        return query(**{name: values, "page": ""})

    return {"toggle": toggle, "page": lambda n: query(page=n)}


def _filters(request: Request) -> dict[str, list[str]]:
    return {name: request.query_params.getlist(name)[:10] for name in FACET_FIELDS}


@router.get("/search")
def data_search(request: Request, q: Annotated[str, Query(max_length=200)] = "",
                page_number: Annotated[int, Query(alias="page", ge=1, le=10000)] = 1,
                principal: Principal = Depends(request_guard)) -> Response:
    return _search_page(request, principal, q, _filters(request), page_number,
                        translator_of(request)(N_("Search datasets")))


@router.get("/dataset/{name}")
def dataset_page(request: Request, name: str, principal: Principal = Depends(request_guard)) -> Response:
    package = _action(request, principal, "package_show", {"id": name})
    editable = principal.has_role(package["owner_org"], Role.DATA_STEWARD)
    history = Catalog(platform_of(request).db).history(principal, name) if editable else []
    previews, maps = resource_previews(platform_of(request), package, locale_of(request))
    data = {"dataset": package, "editable": editable, "previews": previews,
            "history": [{k: h[k] for k in ("revision", "at", "actor", "action")} for h in history],
            "api": {"package_show": f"{base_url(request)}/api/3/action/package_show?id={name}",
                    "datastore_search": f"{base_url(request)}/api/3/action/datastore_search"}}
    return page(request, "data_dataset.html", data, html={"maps": maps},
                title=package["title"] or package["name"])


def _form_context(principal: Principal) -> dict[str, Any]:
    orgs = sorted(org for org in principal.roles if principal.has_role(org, Role.DATA_STEWARD))
    return {"orgs": orgs, "licences": list(LICENCES.values()), "frequencies": FREQUENCIES,
            "classifications": CLASSIFICATIONS}


@router.get("/new")
def new_dataset_form(request: Request, principal: Principal = Depends(require_user)) -> Response:
    return page(request, "data_new.html", {"values": {}, "errors": {}},
                html=_form_context(principal), title=translator_of(request)(N_("Publish a dataset")))


@router.post("/new")
async def create_dataset(
    request: Request,
    name: Annotated[str, Form(max_length=100)], owner_org: Annotated[str, Form(max_length=63)],
    license_id: Annotated[str, Form(max_length=50)],
    title_en: Annotated[str, Form(max_length=300)] = "",
    title_zh: Annotated[str, Form(max_length=300)] = "",
    provenance: Annotated[str, Form(max_length=5000)] = "",
    notes_en: Annotated[str, Form(max_length=20000)] = "", notes_zh: Annotated[str, Form(max_length=20000)] = "",
    classification: Annotated[str, Form(max_length=12)] = "public",
    update_frequency: Annotated[str, Form(max_length=20)] = "irregular",
    personal_data: Annotated[bool, Form()] = False, private: Annotated[bool, Form()] = False,
    tags: Annotated[str, Form(max_length=1000)] = "", group: Annotated[str, Form(max_length=100)] = "",
    principal: Principal = Depends(require_user),
) -> Response:
    values = {"name": name, "title_translated": {"en": title_en, "zh-Hant": title_zh},
              "notes_translated": {"en": notes_en, "zh-Hant": notes_zh}, "owner_org": owner_org,
              "license_id": license_id, "provenance": provenance, "classification": classification,
              "update_frequency": update_frequency, "personal_data": personal_data,
              "private": private, "tag_string": tags, "groups": [group] if group else []}
    try:
        created = await run_in_threadpool(
            Catalog(platform_of(request).db).create, principal, values, locale_of(request))
    except ValidationFailed as problem:
        return page(request, "data_new.html", {"values": values, "errors": localised(problem, translator_of(request))},
                    html=_form_context(principal), status=422,
                    title=translator_of(request)(N_("Publish a dataset")))
    return RedirectResponse(f"/data/dataset/{created['name']}", status_code=303)


@router.post("/dataset/{name}/upload")
async def upload_resource(
    request: Request, name: str, file: Annotated[UploadFile, File()],
    resource_name: Annotated[str, Form(max_length=300)] = "",
    principal: Principal = Depends(require_user),
) -> Response:
    platform = platform_of(request)
    service = Resources(platform.db, platform.files, upload_checks(platform))
    try:
        upload = await read_resource_upload(request, file)
        await run_in_threadpool(service.create, principal,
                                {"package_id": name, "name": resource_name or upload.filename},
                                upload, locale_of(request))
    except ValidationFailed as problem:
        package = _action(request, principal, "package_show", {"id": name})
        return page(request, "data_dataset.html",
                    {"dataset": package, "editable": True, "history": [], "api": {},
                     "previews": [], "upload_errors": localised(problem, translator_of(request))},
                    title=package["title"] or name, status=422)
    return RedirectResponse(f"/data/dataset/{name}", status_code=303)


# A scope page is the search page narrowed to one organisation or one category; declared
# last so that /data/dataset/... and the other fixed paths match first.
SCOPES = {"organization": ("organization_show", "organization"), "group": ("group_show", "groups")}


@router.get("/{scope}/{key}")
def scope_page(request: Request, scope: Literal["organization", "group"], key: str,
               q: Annotated[str, Query(max_length=200)] = "",
               page_number: Annotated[int, Query(alias="page", ge=1, le=10000)] = 1,
               principal: Principal = Depends(request_guard)) -> Response:
    show, facet = SCOPES[scope]
    heading = _action(request, principal, show, {"id": key})
    filters = {**_filters(request), facet: [key]}
    return _search_page(request, principal, q, filters, page_number, heading["display_name"],
                        heading)
