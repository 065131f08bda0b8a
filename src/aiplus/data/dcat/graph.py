"""CKAN-shaped package dicts as DCAT-AP RDF graphs.

Input is what CKAN 2.10 ``package_show`` returns, plus our bilingual ``*_translated`` fields.
Nothing here touches the catalogue's storage: callers hand in plain dicts.

IRIs minted under ``base_url`` (the site root, no trailing slash):

* catalogue       ``{base}/catalog``
* dataset         ``{base}/dataset/{id}``
* distribution    ``{base}/dataset/{id}/resource/{resource id}``
* publisher       ``{base}/organization/{organization id}``
* category        ``{base}/group/{group name}`` in the scheme ``{base}/group``

Missing or malformed fields are left out rather than guessed, so SHACL validation reports
them; the builder itself never raises on incomplete metadata.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urlencode, urljoin

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

#: rdflib's closed DCAT namespace predates DCAT 3 terms such as ``dcat:version``.
DCAT_OPEN = Namespace(str(DCAT))
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU = "http://publications.europa.eu/resource/authority/"
EU_THEME = Namespace(EU + "data-theme/")
EU_FREQUENCY = Namespace(EU + "frequency/")
EU_FILE_TYPE = Namespace(EU + "file-type/")
EU_LANGUAGE = Namespace(EU + "language/")
EU_ACCESS_RIGHT = Namespace(EU + "access-right/")
EU_THEME_SCHEME = URIRef(EU + "data-theme")
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

PREFIXES: dict[str, Namespace] = {
    "dcat": Namespace(str(DCAT)),
    "dct": Namespace(str(DCTERMS)),
    "foaf": Namespace(str(FOAF)),
    "vcard": VCARD,
    "adms": ADMS,
    "spdx": SPDX,
    "locn": LOCN,
    "hydra": HYDRA,
    "gsp": GSP,
    "skos": Namespace(str(SKOS)),
    "owl": Namespace(str(OWL)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
}

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

#: Our DATA.GOV.HK category ids -> the EU data themes that fit them best. ``miscellaneous``
#: has no EU counterpart and is published with our own concept only.
THEMES: dict[str, tuple[str, ...]] = {
    "city-management": ("REGI",),
    "climate-and-weather": ("ENVI",),
    "commerce-and-industry": ("ECON",),
    "development": ("REGI",),
    "education": ("EDUC",),
    "employment-and-labour": ("SOCI", "ECON"),
    "environment": ("ENVI",),
    "finance": ("ECON",),
    "food": ("AGRI",),
    "health": ("HEAL",),
    "housing": ("SOCI",),
    "information-technology-and-broadcasting": ("TECH",),
    "law-and-security": ("JUST",),
    "legislature": ("GOVE",),
    "miscellaneous": (),
    "population": ("SOCI",),
    "recreation-and-culture": ("EDUC",),
    "social-welfare": ("SOCI",),
    "transport": ("TRAN",),
}

#: Our ``update_frequency`` values -> EU frequency authority codes.
FREQUENCIES: dict[str, str] = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "annual": "ANNUAL",
    "irregular": "IRREG",
    "as-needed": "IRREG",
    "real-time": "UPDATE_CONT",
}

#: CKAN resource ``format`` (upper-cased) -> (EU file-type code, IANA media type or None).
FILE_TYPES: dict[str, tuple[str, str | None]] = {
    "CSV": ("CSV", "text/csv"),
    "JSON": ("JSON", "application/json"),
    "GEOJSON": ("GEOJSON", "application/geo+json"),
    "JSON-LD": ("JSON_LD", "application/ld+json"),
    "JSONLD": ("JSON_LD", "application/ld+json"),
    "XML": ("XML", "application/xml"),
    "RDF": ("RDF_XML", "application/rdf+xml"),
    "TTL": ("RDF_TURTLE", "text/turtle"),
    "XLS": ("XLS", "application/vnd.ms-excel"),
    "XLSX": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ODS": ("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "PDF": ("PDF", "application/pdf"),
    "DOCX": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "HTML": ("HTML", "text/html"),
    "TXT": ("TXT", "text/plain"),
    "ZIP": ("ZIP", "application/zip"),
    "KML": ("KML", "application/vnd.google-earth.kml+xml"),
    "KMZ": ("KMZ", "application/vnd.google-earth.kmz"),
    "GML": ("GML", "application/gml+xml"),
    "SHP": ("SHP", None),
    "JPEG": ("JPEG", "image/jpeg"),
    "JPG": ("JPEG", "image/jpeg"),
    "PNG": ("PNG", "image/png"),
}

_LANGUAGES = {"en": "ENG", "zh-Hant": "ZHO"}
_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_CHECKSUM_ALGORITHMS = {64: "sha256", 40: "sha1", 32: "md5"}
_IRI_SAFE = ":/?#[]@!$&'()*+,;=%~"


# --------------------------------------------------------------------------- helpers


def new_graph() -> Graph:
    """An empty graph with our prefixes bound (and none of rdflib's extra defaults)."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _lang(tag: str) -> str | None:
    tag = tag.replace("_", "-")
    return tag if _LANG_TAG.match(tag) else None


def _literals(translated: Any, fallback: Any = None) -> list[Literal]:
    """Language-tagged literals from a ``{"en": ..., "zh-Hant": ...}`` dict; the untranslated
    value, untagged, only when no translation is filled in."""
    out: list[Literal] = []
    if isinstance(translated, Mapping):
        for tag, value in translated.items():
            lang = _lang(str(tag))
            if lang and _text(value):
                out.append(Literal(_text(value), lang=lang))
    if not out and _text(fallback):
        out.append(Literal(_text(fallback)))
    return out


def _bilingual(value: Any) -> list[Literal]:
    """A plain string or a translations dict (as in ``catalog_meta``)."""
    return _literals(value) if isinstance(value, Mapping) else _literals(None, value)


def _iri(value: Any, base_url: str | None = None) -> URIRef | None:
    """An absolute IRI from a URL string: relative ones resolved against ``base_url``, unsafe
    characters percent-encoded. ``None`` when there is nothing usable."""
    text = _text(value)
    if not text:
        return None
    if base_url and "://" not in text and not text.startswith(("mailto:", "urn:")):
        text = urljoin(base_url + "/", text)
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", text):
        return None
    return URIRef(quote(text, safe=_IRI_SAFE))


def _mailto(value: Any) -> URIRef | None:
    text = _text(value)
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not text or "@" not in text or any(c.isspace() for c in text):
        return None
    return URIRef("mailto:" + quote(text, safe="@+.!$&'*=~-_"))


def _when(value: Any) -> Literal | None:
    """``xsd:dateTime`` (naive times are CKAN's UTC) or ``xsd:date``; ``None`` if unparseable."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    else:
        text = _text(value)
        if not text:
            return None
        try:
            if len(text) == 10:
                return Literal(date.fromisoformat(text).isoformat(), datatype=XSD.date)
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Literal(moment.isoformat(), datatype=XSD.dateTime)


def _segment(value: Any) -> str:
    return quote(str(value), safe="-_.~")


def dataset_iri(base_url: str, package: Mapping[str, Any]) -> URIRef:
    return URIRef(f"{base_url}/dataset/{_segment(package.get('id') or package.get('name'))}")


def distribution_iri(
    base_url: str, package: Mapping[str, Any], resource: Mapping[str, Any], position: int
) -> URIRef:
    key = resource.get("id") or str(position)
    return URIRef(f"{dataset_iri(base_url, package)}/resource/{_segment(key)}")


def catalog_iri(base_url: str) -> URIRef:
    return URIRef(f"{base_url}/catalog")


def group_scheme_iri(base_url: str) -> URIRef:
    return URIRef(f"{base_url}/group")


# --------------------------------------------------------------------------- parts


def _add_languages(graph: Graph, subject: URIRef) -> None:
    for code in _LANGUAGES.values():
        graph.add((subject, DCTERMS.language, EU_LANGUAGE[code]))


def _add_group_scheme(graph: Graph, base_url: str) -> URIRef:
    scheme = group_scheme_iri(base_url)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal("Open data categories", lang="en")))
    graph.add((scheme, DCTERMS.title, Literal("開放數據類別", lang="zh-Hant")))
    graph.add((EU_THEME_SCHEME, RDF.type, SKOS.ConceptScheme))
    return scheme


def _add_agent(
    graph: Graph,
    node: URIRef | BNode,
    names: Iterable[Literal],
    homepage: URIRef | None = None,
    email: URIRef | None = None,
) -> None:
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, RDF.type, FOAF.Organization))
    for name in names:
        graph.add((node, FOAF.name, name))
    if homepage is not None:
        graph.add((node, FOAF.homepage, homepage))
        graph.add((homepage, RDF.type, FOAF.Document))
    if email is not None:
        graph.add((node, FOAF.mbox, email))


def _add_publisher(
    graph: Graph, dataset: URIRef, package: Mapping[str, Any], base_url: str
) -> None:
    org = package.get("organization")
    if not isinstance(org, Mapping) or not (org.get("id") or org.get("name")):
        return
    node = URIRef(f"{base_url}/organization/{_segment(org.get('id') or org.get('name'))}")
    _add_agent(
        graph, node, _literals(org.get("title_translated"), org.get("title") or org.get("name"))
    )
    graph.add((dataset, DCTERMS.publisher, node))


def _add_contact(graph: Graph, dataset: URIRef, package: Mapping[str, Any]) -> None:
    """The maintainer, else the author, as a ``vcard:Kind``."""
    for role in ("maintainer", "author"):
        name, email = _text(package.get(role)), _mailto(package.get(f"{role}_email"))
        if name or email is not None:
            break
    else:
        return
    contact = BNode()
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    if name:
        graph.add((contact, VCARD.fn, Literal(name)))
    if email is not None:
        graph.add((contact, VCARD.hasEmail, email))


def _add_themes(graph: Graph, dataset: URIRef, package: Mapping[str, Any], base_url: str) -> None:
    groups = [g for g in package.get("groups") or () if isinstance(g, Mapping) and g.get("name")]
    if not groups:
        return
    scheme = _add_group_scheme(graph, base_url)
    for group in groups:
        name = str(group["name"])
        ours = URIRef(f"{scheme}/{_segment(name)}")
        graph.add((dataset, DCAT.theme, ours))
        graph.add((ours, RDF.type, SKOS.Concept))
        graph.add((ours, SKOS.inScheme, scheme))
        graph.add((ours, SKOS.notation, Literal(name)))
        for label in _literals(group.get("title_translated"), group.get("title") or name):
            graph.add((ours, SKOS.prefLabel, label))
        for code in THEMES.get(name, ()):
            eu = EU_THEME[code]
            graph.add((dataset, DCAT.theme, eu))
            graph.add((eu, RDF.type, SKOS.Concept))
            graph.add((eu, SKOS.inScheme, EU_THEME_SCHEME))
            graph.add((ours, SKOS.closeMatch, eu))


def _add_spatial(graph: Graph, dataset: URIRef, spatial: Any) -> None:
    if isinstance(spatial, Mapping):
        geometry: Any = dict(spatial)
    elif _text(spatial):
        try:
            geometry = json.loads(spatial)
        except ValueError:
            return
    else:
        return
    if not isinstance(geometry, dict) or "type" not in geometry:
        return
    location = BNode()
    graph.add((dataset, DCTERMS.spatial, location))
    graph.add((location, RDF.type, DCTERMS.Location))
    text = json.dumps(geometry, separators=(",", ":"), ensure_ascii=False)
    graph.add((location, LOCN.geometry, Literal(text, datatype=GSP.geoJSONLiteral)))


def _add_checksum(graph: Graph, distribution: URIRef, value: Any) -> None:
    text = _text(value)
    algorithm = None
    if ":" in text:
        algorithm, text = (part.strip() for part in text.split(":", 1))
        algorithm = algorithm.lower().replace("-", "")
    if not text or not _HEX.match(text):
        return
    expected = _CHECKSUM_ALGORITHMS.get(len(text))
    if expected is None or (algorithm and algorithm != expected):
        return
    checksum = BNode()
    graph.add((distribution, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX["checksumAlgorithm_" + expected]))
    graph.add((checksum, SPDX.checksumValue, Literal(text.lower(), datatype=XSD.hexBinary)))


def _add_license(graph: Graph, subject: URIRef, package: Mapping[str, Any]) -> None:
    licence = _iri(package.get("license_url"))
    if licence is None:
        return
    graph.add((subject, DCTERMS.license, licence))
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    if _text(package.get("license_title")):
        graph.add((licence, DCTERMS.title, Literal(_text(package["license_title"]))))
    if _text(package.get("license_id")):
        graph.add((licence, DCTERMS.identifier, Literal(_text(package["license_id"]))))


def _byte_size(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = _text(value)
    return int(text) if text.isdigit() else None


def _add_distribution(
    graph: Graph,
    dataset: URIRef,
    package: Mapping[str, Any],
    resource: Mapping[str, Any],
    position: int,
    base_url: str,
) -> None:
    node = distribution_iri(base_url, package, resource, position)
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    if _text(resource.get("id")):
        graph.add((node, DCTERMS.identifier, Literal(_text(resource["id"]))))
    for title in _literals(resource.get("name_translated"), resource.get("name")):
        graph.add((node, DCTERMS.title, title))
    for text in _literals(resource.get("description_translated"), resource.get("description")):
        graph.add((node, DCTERMS.description, text))
    url = _iri(resource.get("url"), base_url)
    if url is not None:
        graph.add((node, DCAT.accessURL, url))
        if _text(resource.get("url_type")) != "api":
            graph.add((node, DCAT.downloadURL, url))
    file_type = FILE_TYPES.get(_text(resource.get("format")).upper())
    if file_type is not None:
        graph.add((node, DCTERMS.format, EU_FILE_TYPE[file_type[0]]))
    media_type = _text(resource.get("mimetype")).split(";")[0].strip().lower()
    if not _MEDIA_TYPE.match(media_type):
        media_type = (file_type[1] or "") if file_type else ""
    if media_type:
        graph.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + media_type)))
    size = _byte_size(resource.get("size"))
    if size is not None:
        graph.add((node, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    _add_checksum(graph, node, resource.get("hash"))
    for prop, key in ((DCTERMS.issued, "created"), (DCTERMS.modified, "last_modified")):
        when = _when(resource.get(key))
        if when is not None:
            graph.add((node, prop, when))
    _add_license(graph, node, package)


def _add_dataset(graph: Graph, package: Mapping[str, Any], base_url: str) -> URIRef:
    node = dataset_iri(base_url, package)
    graph.add((node, RDF.type, DCAT.Dataset))
    if _text(package.get("id")):
        graph.add((node, DCTERMS.identifier, Literal(_text(package["id"]))))
    if _text(package.get("name")):
        other = BNode()
        graph.add((node, ADMS.identifier, other))
        graph.add((other, RDF.type, ADMS.Identifier))
        graph.add((other, SKOS.notation, Literal(_text(package["name"]))))
    for title in _literals(package.get("title_translated"), package.get("title")):
        graph.add((node, DCTERMS.title, title))
    for text in _literals(package.get("notes_translated"), package.get("notes")):
        graph.add((node, DCTERMS.description, text))
    for tag in package.get("tags") or ():
        keyword = _text(tag.get("name") if isinstance(tag, Mapping) else tag)
        if keyword:
            graph.add((node, DCAT.keyword, Literal(keyword)))
    landing = _iri(package.get("url"))
    if landing is not None:
        graph.add((node, DCAT.landingPage, landing))
        graph.add((landing, RDF.type, FOAF.Document))
    if _text(package.get("version")):
        graph.add((node, DCAT_OPEN.version, Literal(_text(package["version"]))))
    for prop, key in (
        (DCTERMS.issued, "metadata_created"),
        (DCTERMS.modified, "metadata_modified"),
    ):
        when = _when(package.get(key))
        if when is not None:
            graph.add((node, prop, when))
    frequency = FREQUENCIES.get(_text(package.get("update_frequency")))
    if frequency is not None:
        graph.add((node, DCTERMS.accrualPeriodicity, EU_FREQUENCY[frequency]))
        graph.add((EU_FREQUENCY[frequency], RDF.type, DCTERMS.Frequency))
    if _text(package.get("provenance")):
        statement = BNode()
        graph.add((node, DCTERMS.provenance, statement))
        graph.add((statement, RDF.type, DCTERMS.ProvenanceStatement))
        graph.add((statement, RDFS.label, Literal(_text(package["provenance"]))))
    classification = _text(package.get("classification"))
    if classification:
        right = {"public": "PUBLIC", "restricted": "RESTRICTED"}.get(classification, "NON_PUBLIC")
        graph.add((node, DCTERMS.accessRights, EU_ACCESS_RIGHT[right]))
    _add_languages(graph, node)
    _add_publisher(graph, node, package, base_url)
    _add_contact(graph, node, package)
    _add_themes(graph, node, package, base_url)
    _add_spatial(graph, node, package.get("spatial"))
    for position, resource in enumerate(package.get("resources") or ()):
        if isinstance(resource, Mapping):
            _add_distribution(graph, node, package, resource, position, base_url)
    return node


# --------------------------------------------------------------------------- public API


def dataset_graph(package: Mapping[str, Any], base_url: str) -> Graph:
    """One dataset, its distributions, publisher, contact point and themes."""
    graph = new_graph()
    _add_dataset(graph, package, base_url.rstrip("/"))
    return graph


def page_url(base_url: str, page: int, page_size: int, fmt: str = "ttl") -> URIRef:
    query = urlencode({"page": page, "page_size": page_size})
    return URIRef(f"{base_url.rstrip('/')}/catalog.{fmt}?{query}")


def last_page(total: int, page_size: int) -> int:
    return max(1, math.ceil(total / page_size)) if page_size > 0 else 1


def catalog_graph(
    catalog_meta: Mapping[str, Any],
    packages: Iterable[Mapping[str, Any]],
    base_url: str,
    page: int,
    page_size: int,
    total: int,
    *,
    fmt: str = "ttl",
) -> Graph:
    """One page of the catalogue: the ``dcat:Catalog``, the page's datasets in full, and a
    ``hydra:PagedCollection`` whose page links point at ``/catalog.{fmt}``.

    ``catalog_meta``: ``title`` and ``description`` (string or ``{"en", "zh-Hant"}``),
    ``publisher`` (``{"name", "homepage"?, "email"?, "uri"?}``), ``homepage``, and optionally
    ``issued``, ``modified``, ``license_url``.
    """
    base_url = base_url.rstrip("/")
    graph = new_graph()
    catalog = catalog_iri(base_url)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    for title in _bilingual(catalog_meta.get("title")):
        graph.add((catalog, DCTERMS.title, title))
    for text in _bilingual(catalog_meta.get("description")):
        graph.add((catalog, DCTERMS.description, text))
    homepage = _iri(catalog_meta.get("homepage"), base_url)
    if homepage is not None:
        graph.add((catalog, FOAF.homepage, homepage))
        graph.add((homepage, RDF.type, FOAF.Document))
    publisher = catalog_meta.get("publisher")
    if isinstance(publisher, Mapping):
        node = _iri(publisher.get("uri")) or URIRef(f"{catalog}#publisher")
        _add_agent(
            graph,
            node,
            _bilingual(publisher.get("name")),
            _iri(publisher.get("homepage")),
            _mailto(publisher.get("email")),
        )
        graph.add((catalog, DCTERMS.publisher, node))
    elif _text(publisher):
        node = URIRef(f"{catalog}#publisher")
        _add_agent(graph, node, _bilingual(publisher))
        graph.add((catalog, DCTERMS.publisher, node))
    for prop, key in ((DCTERMS.issued, "issued"), (DCTERMS.modified, "modified")):
        when = _when(catalog_meta.get(key))
        if when is not None:
            graph.add((catalog, prop, when))
    licence = _iri(catalog_meta.get("license_url"))
    if licence is not None:
        graph.add((catalog, DCTERMS.license, licence))
        graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    _add_languages(graph, catalog)
    graph.add((catalog, DCAT.themeTaxonomy, _add_group_scheme(graph, base_url)))
    graph.add((catalog, DCAT.themeTaxonomy, EU_THEME_SCHEME))
    for package in packages:
        graph.add((catalog, DCAT.dataset, _add_dataset(graph, package, base_url)))

    last = last_page(total, page_size)
    here = page_url(base_url, page, page_size, fmt)
    graph.add((here, RDF.type, HYDRA.PagedCollection))
    graph.add((here, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((here, HYDRA.itemsPerPage, Literal(page_size, datatype=XSD.integer)))
    graph.add((here, HYDRA.firstPage, page_url(base_url, 1, page_size, fmt)))
    graph.add((here, HYDRA.lastPage, page_url(base_url, last, page_size, fmt)))
    if page < last:
        graph.add((here, HYDRA.nextPage, page_url(base_url, page + 1, page_size, fmt)))
    if page > 1:
        previous = min(page - 1, last)
        graph.add((here, HYDRA.previousPage, page_url(base_url, previous, page_size, fmt)))
    return graph
