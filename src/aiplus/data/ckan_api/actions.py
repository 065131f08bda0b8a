"""The action registry and the catalogue's actions.

Each action is a function ``f(ctx, data) -> result`` registered by name; its docstring is what
``help_show`` returns. ``write=True`` actions are refused to anonymous callers by the
dispatcher, before the function runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from aiplus import __version__
from aiplus.core import jsonlimits
from aiplus.core import audit, identity
from aiplus.core.errors import AiplusError, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Organisation, Principal
from aiplus.data.catalog.licences import LICENCES
from aiplus.data.catalog.tables import Dataset, Group, Tag, dataset_groups
from aiplus.data.catalog.resources import Resources, Upload, UploadCheck
from aiplus.data.catalog.search import SearchQueryError, parse_params, search
from aiplus.data.catalog.serialise import group_dict, organization_dict
from aiplus.data.catalog.service import Catalog
from aiplus.data.spatial.ogc import parse_bbox
from aiplus.data.pipeline import datastore_of, resource_removals
from aiplus.data.spatial.store import SpatialStore
from aiplus.platform.services import Platform


@dataclass
class ActionContext:
    platform: Platform
    principal: Principal
    locale: str
    base_url: str
    upload: Upload | None = None
    upload_checks: tuple[UploadCheck, ...] = ()

    @property
    def catalog(self) -> Catalog:
        return Catalog(self.platform.db)

    @property
    def resources(self) -> Resources:
        return Resources(self.platform.db, self.platform.files, self.upload_checks,
                         resource_removals(self.platform))


ActionFunction = Callable[[ActionContext, dict[str, Any]], Any]


@dataclass(frozen=True)
class Action:
    name: str
    function: ActionFunction
    write: bool

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()


ACTIONS: dict[str, Action] = {}


def action(write: bool = False) -> Callable[[ActionFunction], ActionFunction]:
    def register(function: ActionFunction) -> ActionFunction:
        ACTIONS[function.__name__] = Action(function.__name__, function, write)
        return function

    return register


def writing_actions() -> set[str]:
    return {name for name, found in ACTIONS.items() if found.write}


def _limit(data: dict[str, Any], key: str, default: int | None, high: int) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(details={key: ["Must be a whole number."]}) from None
    return max(0, min(number, high))


@action()
def site_read(ctx: ActionContext, data: dict[str, Any]) -> bool:
    """Return True: the site can be read."""
    return True


@action()
def status_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """The site's version, URL and extensions, as CKAN reports them."""
    return {"site_title": "AI Plus Open Data", "site_url": ctx.base_url,
            "site_description": "DATA.GOV.HK-compatible open data portal",
            "ckan_version": "2.10.0", "aiplus_version": __version__, "error_emails_to": None,
            "locale_default": ctx.locale, "extensions": ["datastore", "dcat", "spatial", "fluent"]}


@action()
def help_show(ctx: ActionContext, data: dict[str, Any]) -> str:
    """The documentation of the action named ``name``."""
    name = data.get("name")
    if not isinstance(name, str) or name not in ACTIONS:
        raise NotFound(N_("Action not found."))
    return ACTIONS[name].doc


@action()
def package_list(ctx: ActionContext, data: dict[str, Any]) -> list[str]:
    """Names of the public, active datasets; ``limit`` and ``offset`` page through them."""
    return ctx.catalog.names(_limit(data, "limit", None, 10**6), _limit(data, "offset", 0, 10**9) or 0)


@action()
def package_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: q, fq, fq_list, sort, rows (<= 1000), start, facet.field,
    facet.limit, include_private, and ``ext_bbox=minx,miny,maxx,maxy`` (WGS84) for datasets
    with features in that box. Returns count, results, facets and search_facets."""
    params = parse_params(data)
    if isinstance(data.get("ext_bbox"), str):
        try:
            box = parse_bbox(data["ext_bbox"])
        except AiplusError as problem:
            raise SearchQueryError(problem.message, **problem.params) from None
        params.dataset_ids = SpatialStore(ctx.platform.db).datasets_in_bbox(box)
    with ctx.platform.db.read() as session:
        return search(session, ctx.principal, params, ctx.locale)


@action()
def package_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One dataset by ``id`` or name."""
    return ctx.catalog.show(ctx.principal, data.get("id") or data.get("name_or_id"), ctx.locale)


@action(write=True)
def package_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create a dataset: name, title (or title_translated), owner_org, license_id and
    provenance are required; notes, tags, groups, resources, extras, private, state,
    update_frequency, classification, personal_data, spatial are optional."""
    return ctx.catalog.create(ctx.principal, data, ctx.locale)


@action(write=True)
def package_update(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a dataset's metadata (fields left out are cleared, as in CKAN). Send the
    ``metadata_modified`` you read to refuse stale updates."""
    return ctx.catalog.update(ctx.principal, data, ctx.locale)


@action(write=True)
def package_patch(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the given fields of a dataset."""
    return ctx.catalog.update(ctx.principal, data, ctx.locale, patch=True)


@action(write=True)
def package_delete(ctx: ActionContext, data: dict[str, Any]) -> None:
    """Mark a dataset deleted (it stays in the history and the archive)."""
    ctx.catalog.delete(ctx.principal, data.get("id"))


@action()
def package_revision_list(ctx: ActionContext, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every saved revision of a dataset's metadata, newest first."""
    return ctx.catalog.history(ctx.principal, data.get("id"))


def _counts(session: Any, column: Any, join: Any = None) -> dict[Any, int]:
    query = select(column, func.count()).select_from(Dataset)
    if join is not None:
        query = query.join(*join)
    query = query.where(Dataset.state == "active", Dataset.private.is_(False)).group_by(column)
    return dict(session.execute(query).all())


@action()
def organization_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Organisation names, or whole records with ``all_fields=true``."""
    with ctx.platform.db.read() as session:
        orgs = list(session.scalars(select(Organisation).order_by(Organisation.slug)))
        if data.get("all_fields") in (True, "true", "True", "1"):
            counts = _counts(session, Dataset.org_id)
            return [organization_dict(o, ctx.locale, counts.get(o.id, 0)) for o in orgs]
        return [o.slug for o in orgs]


@action()
def organization_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One organisation by ``id`` (its name) with its dataset count."""
    with ctx.platform.db.read() as session:
        org = session.scalar(select(Organisation).where(Organisation.slug == data.get("id")))
        if org is None:
            raise NotFound(N_("Organisation not found."))
        return organization_dict(org, ctx.locale, _counts(session, Dataset.org_id).get(org.id, 0))


@action(write=True)
def organization_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create an organisation (platform administrators): name, title or title_translated."""
    if not ctx.principal.platform_admin:
        raise Forbidden(N_("Only platform administrators create organisations."))
    titles = data.get("title_translated") or {}
    title = data.get("title") or ""
    with ctx.platform.db.transaction() as session:
        org = identity.create_org(
            session, str(data.get("name") or ""), str(titles.get("en") or title),
            str(titles.get("zh-Hant") or title), str(data.get("kind") or "department"))
        audit.record(session, actor=ctx.principal.actor, org=org.slug, action="org.create",
                     target=f"org:{org.slug}")
        return organization_dict(org, ctx.locale, 0)


@action()
def group_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Category names, or whole records with ``all_fields=true``."""
    with ctx.platform.db.read() as session:
        groups = list(session.scalars(select(Group).order_by(Group.name)))
        if data.get("all_fields") in (True, "true", "True", "1"):
            counts = _counts(session, dataset_groups.c.group_id,
                             (dataset_groups, dataset_groups.c.dataset_id == Dataset.id))
            return [group_dict(g, ctx.locale, counts.get(g.id, 0)) for g in groups]
        return [g.name for g in groups]


@action()
def group_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One category by ``id`` or name."""
    with ctx.platform.db.read() as session:
        key = data.get("id")
        group = session.scalar(select(Group).where((Group.name == key) | (Group.id == key)))
        if group is None:
            raise NotFound(N_("Category not found."))
        counts = _counts(session, dataset_groups.c.group_id,
                         (dataset_groups, dataset_groups.c.dataset_id == Dataset.id))
        return group_dict(group, ctx.locale, counts.get(group.id, 0))


@action()
def tag_list(ctx: ActionContext, data: dict[str, Any]) -> list[str]:
    """Every tag name; ``query`` keeps those containing it."""
    with ctx.platform.db.read() as session:
        query = select(Tag.name).order_by(Tag.name)
        if isinstance(data.get("query"), str):
            query = query.where(Tag.name.contains(data["query"]))
        return list(session.scalars(query))


@action()
def license_list(ctx: ActionContext, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The licences a dataset may use."""
    return [licence.as_ckan() for licence in LICENCES.values()]


@action()
def resource_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One resource by ``id``."""
    return ctx.resources.show(ctx.principal, data.get("id"), ctx.locale)


@action(write=True)
def resource_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Add a resource to ``package_id``: a ``url``, or a file sent as multipart ``upload``.
    Uploaded tables are scanned for personal data and loaded into the DataStore."""
    return ctx.resources.create(ctx.principal, data, ctx.upload, ctx.locale)


@action(write=True)
def resource_update(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Change a resource (by ``id``); a new ``upload`` becomes a new archived version."""
    return ctx.resources.update(ctx.principal, data, ctx.upload, ctx.locale)


@action(write=True)
def resource_patch(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the given fields of a resource."""
    return ctx.resources.update(ctx.principal, data, ctx.upload, ctx.locale, patch=True)


@action(write=True)
def resource_delete(ctx: ActionContext, data: dict[str, Any]) -> None:
    """Remove a resource from its dataset (its archived files stay)."""
    ctx.resources.delete(ctx.principal, data.get("id"))


def readable_resource(ctx: ActionContext, resource_id: Any) -> str:
    """The resource's canonical id; NotFound/Forbidden unless the principal may read its
    dataset."""
    return str(ctx.resources.show(ctx.principal, resource_id, ctx.locale)["id"])


@action()
def datastore_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Rows of a resource's table: resource_id, filters, q, fields, sort, limit, offset,
    records_format (objects, lists, csv, tsv), include_total, distinct. The result carries
    fields, records, total and ``_links`` to the next page."""
    resource_id = readable_resource(ctx, data.get("resource_id") or data.get("id"))
    params = {key: data[key] for key in ("filters", "q", "fields", "sort", "limit", "offset",
                                         "records_format", "include_total", "distinct", "plain",
                                         "language") if key in data}
    for key in ("filters", "q", "fields", "sort"):
        if key in params:
            params[key] = _loads(params[key], key)
    return datastore_of(ctx.platform).search(
        resource_id, base_url=f"{ctx.base_url}/api/3/action/datastore_search", **params)


@action()
def datastore_search_sql(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One read-only SELECT over resource tables, named by resource id in double quotes
    (``SELECT * FROM "<resource id>" WHERE ...``); time-limited and row-capped."""
    sql = data.get("sql")
    if not isinstance(sql, str) or not sql.strip() or len(sql) > 20_000:
        raise ValidationFailed(details={"sql": ["Send one SELECT statement of at most 20,000 characters."]})

    def readable(resource_id: str) -> bool:
        """The sandbox asks for every table it resolves: a resource the catalogue does not
        know is no table; one the caller may not read refuses the statement (403)."""
        try:
            readable_resource(ctx, resource_id)
        except NotFound:
            return False
        return True

    return datastore_of(ctx.platform).search_sql(sql, readable=readable)


@action()
def datastore_info(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """A resource table's fields, types and row count."""
    resource_id = readable_resource(ctx, data.get("id") or data.get("resource_id"))
    return datastore_of(ctx.platform).info(resource_id)


def _loads(value: Any, key: str) -> Any:
    if not isinstance(value, str) or value[:1] not in "{[":
        return value
    try:
        return jsonlimits.loads(value)
    except json.JSONDecodeError:
        raise ValidationFailed(details={key: ["Must be valid JSON."]}) from None
