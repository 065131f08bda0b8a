"""``package_search``: CKAN's query language over the catalogue, answered by SQL.

Free text goes to SQLite FTS5 (bm25) or PostgreSQL full-text search (ts_rank) over the
segmented search documents; ``fq`` clauses (``organization:hk-td``, ``tags:"air quality"``,
``-res_format:PDF``, ``groups:(transport OR health)``) become parameterised SQL filters. Only
known fields are accepted: anything else is a "Search Query Error", never raw SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    exists,
    func,
    literal_column,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from aiplus.core import jsonlimits
from aiplus.core.errors import BadRequest
from aiplus.core.i18n import N_
from aiplus.core.identity import Organisation, Principal
from aiplus.data.catalog.facets import count as facet_counts
from aiplus.data.catalog.tables import (
    Dataset,
    Group,
    Resource,
    SearchDocument,
    Tag,
    dataset_groups,
    dataset_tags,
)
from aiplus.data.catalog.serialise import package_dict
from aiplus.data.catalog.text import tokens

MAX_ROWS = 1000
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
FILTER_FIELDS = (*FACET_FIELDS, "name", "id", "update_frequency", "classification", "capacity",
                 "owner_org")
SORT_FIELDS = {"score", "metadata_modified", "metadata_created", "name", "title_string", "title"}
_CLAUSE = re.compile(
    r'\s*(?P<sign>[+-]?)(?P<field>[a-z_]+):(?P<value>"(?:[^"\\]|\\.)*"|\([^)]*\)|[^\s()"]+)\s*'
)


class SearchQueryError(BadRequest):
    code = "search_query_error"
    default_message = N_("The search query is not valid.")


@dataclass(frozen=True)
class Clause:
    field: str
    values: tuple[str, ...]
    negate: bool = False


@dataclass
class SearchParams:
    text: str = ""
    clauses: list[Clause] = field(default_factory=list)
    sort: list[tuple[str, bool]] = field(default_factory=lambda: [("score", True),
                                                                  ("metadata_modified", True)])
    rows: int = 10
    start: int = 0
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = 50
    include_private: bool = False
    dataset_ids: list[str] | None = None


def _unquote(value: str) -> tuple[str, ...]:
    if value.startswith("("):
        parts = [p.strip() for p in re.split(r"\s+OR\s+", value[1:-1]) if p.strip()]
        return tuple(v for part in parts for v in _unquote(part))
    if value.startswith('"'):
        return (value[1:-1].replace('\\"', '"'),)
    return (value,)


def parse_filter(query: str) -> list[Clause]:
    """Clauses of an ``fq`` string; raises SearchQueryError on anything not understood."""
    clauses = []
    rest = query.replace(" AND ", " ").strip()
    while rest:
        match = _CLAUSE.match(rest)
        if not match:
            raise SearchQueryError(N_("Could not understand the filter {query}."), query=query[:200])
        name = match.group("field")
        if name not in FILTER_FIELDS:
            raise SearchQueryError(N_("Cannot filter on the field {field}."), field=name)
        clauses.append(Clause(name, _unquote(match.group("value")), match.group("sign") == "-"))
        rest = rest[match.end():]
    return clauses


def _split_text(q: str) -> tuple[str, list[Clause]]:
    """CKAN accepts ``field:value`` inside ``q`` too; pull those out as filters."""
    if q.strip() in ("", "*:*", "*"):
        return "", []
    clauses: list[Clause] = []
    words = []
    for match in re.finditer(r'[+-]?[a-z_]+:(?:"[^"]*"|\([^)]*\)|\S+)|\S+', q):
        token = match.group()
        name = token.lstrip("+-").split(":", 1)[0]
        if ":" in token and name in FILTER_FIELDS:
            clauses.extend(parse_filter(token))
        else:
            words.append(token)
    return " ".join(words), clauses


def _int(data: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
    raw = data.get(key, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise SearchQueryError(N_("{field} must be a whole number."), field=key) from None
    if not low <= value <= high:
        raise SearchQueryError(N_("{field} must be between {low} and {high}."),
                               field=key, low=low, high=high)
    return value


def _list(value: Any, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = jsonlimits.loads(stripped)
            except json.JSONDecodeError:
                raise SearchQueryError(N_("{field} must be a JSON list."), field=key) from None
        else:
            return [stripped] if stripped else []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SearchQueryError(N_("{field} must be a list of strings."), field=key)
    return value


def parse_params(data: Mapping[str, Any]) -> SearchParams:
    q = data.get("q") or ""
    if not isinstance(q, str) or len(q) > 1000:
        raise SearchQueryError(N_("q must be text of at most 1000 characters."))
    words, clauses = _split_text(q)
    for fq in [*_list(data.get("fq"), "fq"), *_list(data.get("fq_list"), "fq_list")]:
        clauses.extend(parse_filter(fq))
    sort = []
    raw_sort = data.get("sort") or "score desc, metadata_modified desc"
    if not isinstance(raw_sort, str):
        raise SearchQueryError(N_("sort must be text such as 'metadata_modified desc'."))
    for part in raw_sort.split(","):
        pieces = part.split()
        if not pieces or pieces[0] not in SORT_FIELDS or len(pieces) > 2 or (
                len(pieces) == 2 and pieces[1].lower() not in ("asc", "desc")):
            raise SearchQueryError(N_("Cannot sort by {sort}."), sort=part.strip()[:100])
        sort.append((pieces[0], len(pieces) == 1 or pieces[1].lower() == "desc"))
    facet_fields = _list(data.get("facet.field"), "facet.field")
    for name in facet_fields:
        if name not in FACET_FIELDS:
            raise SearchQueryError(N_("Cannot facet on the field {field}."), field=name)
    include_private = data.get("include_private", False)
    return SearchParams(
        text=words, clauses=clauses, sort=sort,
        rows=_int(data, "rows", 10, 0, MAX_ROWS), start=_int(data, "start", 0, 0, 10**7),
        facet_fields=facet_fields, facet_limit=_int(data, "facet.limit", 50, -1, 10000),
        include_private=include_private in (True, "true", "True", "1"),
    )


def _clause_filter(clause: Clause) -> Any:
    values = list(clause.values)
    match clause.field:
        case "organization" | "owner_org":
            condition = Dataset.org_id.in_(select(Organisation.id).where(Organisation.slug.in_(values)))
        case "groups":
            condition = exists(select(1).select_from(dataset_groups.join(Group)).where(
                dataset_groups.c.dataset_id == Dataset.id, Group.name.in_(values)))
        case "tags":
            condition = exists(select(1).select_from(dataset_tags.join(Tag)).where(
                dataset_tags.c.dataset_id == Dataset.id, Tag.name.in_(values)))
        case "res_format":
            condition = exists(select(1).where(Resource.dataset_id == Dataset.id,
                                               func.upper(Resource.format).in_([x.upper() for x in values])))
        case "license_id":
            condition = Dataset.licence_id.in_(values)
        case "capacity":
            condition = Dataset.private.is_(values != ["public"])
        case other:
            condition = getattr(Dataset, other).in_(values)
    return not_(condition) if clause.negate else condition


def _ranked(session: Session, words: str) -> Any:
    """A subquery (dataset_id, rank) of documents matching all words; higher rank is better."""
    terms = tokens(words)
    if not terms:
        return None
    if session.get_bind().dialect.name == "postgresql":
        query = func.plainto_tsquery("simple", " ".join(terms))
        vector = literal_column("data_search_documents.tsv")  # stored, GIN-indexed
        return (select(SearchDocument.dataset_id.label("dataset_id"),
                       func.ts_rank(vector, query).label("rank"))
                .where(vector.op("@@")(query)).cte("ranked").prefix_with("MATERIALIZED"))
    match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return (select(literal_column("dataset_id").label("dataset_id"),
                   literal_column("-bm25(data_search_fts)").label("rank"))
            .select_from(text("data_search_fts"))
            .where(text("data_search_fts MATCH :match").bindparams(match=match))
            .cte("ranked").prefix_with("MATERIALIZED"))


def _visible(principal: Principal, include_private: bool) -> Any:
    condition = Dataset.private.is_(False)
    if include_private and principal.authenticated:
        if principal.platform_admin:
            return Dataset.state == "active"
        member_orgs = select(Organisation.id).where(Organisation.slug.in_(list(principal.roles)))
        condition = or_(condition, Dataset.org_id.in_(member_orgs))
    return and_(Dataset.state == "active", condition)


_ORDER = {"metadata_modified": Dataset.modified_at, "metadata_created": Dataset.created_at,
          "name": Dataset.name, "title_string": Dataset.title_en, "title": Dataset.title_en}


def search(session: Session, principal: Principal, params: SearchParams,
           locale: str = "en") -> dict[str, Any]:
    ranked = _ranked(session, params.text)
    base: Select[Any] = select(Dataset.id.label("id")).where(
        _visible(principal, params.include_private), *map(_clause_filter, params.clauses))
    if params.dataset_ids is not None:
        base = base.where(Dataset.id.in_(params.dataset_ids))
    if ranked is not None:
        base = base.join(ranked, ranked.c.dataset_id == Dataset.id)
    filtered = base.subquery()
    count = session.scalar(select(func.count()).select_from(filtered)) or 0
    order = []
    for name, descending in params.sort:
        if name == "score":
            if ranked is None:
                continue
            column = ranked.c.rank
        else:
            column = _ORDER[name]
        order.append(column.desc() if descending else column.asc())
    order.append(Dataset.id.asc())
    page = base.order_by(*order).offset(params.start).limit(params.rows)
    ids = list(session.scalars(page))
    datasets = {d.id: d for d in session.scalars(select(Dataset).where(Dataset.id.in_(ids)))}
    facets = facet_counts(session, base, params.facet_fields, params.facet_limit, locale)
    return {
        "count": count,
        "sort": ", ".join(f"{n} {'desc' if d else 'asc'}" for n, d in params.sort),
        "results": [package_dict(datasets[i], locale) for i in ids],
        "facets": {name: {item["name"]: item["count"] for item in items}
                   for name, items in facets.items()},
        "search_facets": {name: {"title": name, "items": items} for name, items in facets.items()},
    }
