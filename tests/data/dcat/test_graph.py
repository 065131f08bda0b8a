"""CKAN package dicts -> DCAT-AP graph content."""

from __future__ import annotations

import json

from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns

from aiplus.data.dcat.graph import (
    ADMS,
    EU_FREQUENCY,
    EU_THEME,
    GSP,
    HYDRA,
    LOCN,
    SPDX,
    THEMES,
    VCARD,
    catalog_graph,
    dataset_graph,
)
from tests.data.dcat.samples import (
    AE_WAITING,
    CATALOG_META,
    HA_ID,
    HK_POLYGON,
    HKO_ID,
    MISC_ID,
    SHA256,
    TD_ID,
    packages,
)

# rdflib's closed namespaces are reached through ``ns``: as module globals pytest's collection
# probes them and they warn
BASE = "https://data.example.hk"
TD = URIRef(f"{BASE}/dataset/{TD_ID}")
HA = URIRef(f"{BASE}/dataset/{HA_ID}")


def _one(graph: Graph, subject, predicate):  # type: ignore[no-untyped-def]
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_titles_and_descriptions_carry_language_tags() -> None:
    g = dataset_graph(packages()[0], BASE + "/")  # a trailing slash is tolerated
    assert (TD, ns.RDF.type, ns.DCAT.Dataset) in g
    assert set(g.objects(TD, ns.DCTERMS.title)) == {
        Literal("Journey Time Indicators", lang="en"),
        Literal("行車時間指示", lang="zh-Hant"),
    }
    langs = {lit.language for lit in g.objects(TD, ns.DCTERMS.description)}
    assert langs == {"en", "zh-Hant"}
    assert _one(g, TD, ns.DCTERMS.identifier) == Literal(TD_ID)
    other = _one(g, TD, ADMS.identifier)
    assert _one(g, other, ns.SKOS.notation) == Literal("hk-td-tis_15-journey-time-v2")


def test_untranslated_title_falls_back_to_plain_literal() -> None:
    package = packages()[0]
    package["title_translated"] = {"en": "", "zh-Hant": " "}
    g = dataset_graph(package, BASE)
    assert list(g.objects(TD, ns.DCTERMS.title)) == [Literal("Journey Time Indicators")]


def test_publisher_contact_keywords_and_dates() -> None:
    g = dataset_graph(packages()[0], BASE)
    publisher = _one(g, TD, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in g
    assert Literal("運輸署", lang="zh-Hant") in set(g.objects(publisher, ns.FOAF.name))
    contact = _one(g, TD, ns.DCAT.contactPoint)
    assert (contact, ns.RDF.type, VCARD.Kind) in g
    assert _one(g, contact, VCARD.hasEmail) == URIRef("mailto:tdenq@td.gov.hk")
    assert {str(k) for k in g.objects(TD, ns.DCAT.keyword)} == {
        "journey time",
        "traffic",
        "行車時間",
    }
    issued = _one(g, TD, ns.DCTERMS.issued)
    assert issued.datatype == ns.XSD.dateTime and str(issued) == "2019-03-01T08:00:00+00:00"
    assert _one(g, TD, ns.DCTERMS.accrualPeriodicity) == EU_FREQUENCY.UPDATE_CONT
    provenance = _one(g, TD, ns.DCTERMS.provenance)
    assert str(_one(g, provenance, ns.RDFS.label)).startswith("Detector data")
    # the author stands in when there is no maintainer
    hko = dataset_graph(packages()[2], BASE)
    contact = _one(hko, URIRef(f"{BASE}/dataset/{HKO_ID}"), ns.DCAT.contactPoint)
    assert _one(hko, contact, VCARD.fn) == Literal("Hong Kong Observatory")


def test_themes_map_to_eu_data_themes_and_keep_our_group() -> None:
    assert len(THEMES) == 19
    codes = {
        "AGRI",
        "ECON",
        "EDUC",
        "ENER",
        "ENVI",
        "GOVE",
        "HEAL",
        "INTR",
        "JUST",
        "REGI",
        "SOCI",
        "TECH",
        "TRAN",
    }
    assert all(set(mapped) <= codes for mapped in THEMES.values())
    g = dataset_graph(packages()[0], BASE)
    ours = URIRef(f"{BASE}/group/transport")
    assert set(g.objects(TD, ns.DCAT.theme)) == {EU_THEME.TRAN, ours}
    assert (ours, ns.RDF.type, ns.SKOS.Concept) in g
    assert (ours, ns.SKOS.inScheme, URIRef(f"{BASE}/group")) in g
    assert (ours, ns.SKOS.closeMatch, EU_THEME.TRAN) in g
    assert Literal("運輸", lang="zh-Hant") in set(g.objects(ours, ns.SKOS.prefLabel))
    assert EU_THEME.HEAL in set(dataset_graph(AE_WAITING, BASE).objects(HA, ns.DCAT.theme))
    misc = dataset_graph(packages()[3], BASE)
    assert set(misc.objects(URIRef(f"{BASE}/dataset/{MISC_ID}"), ns.DCAT.theme)) == {
        URIRef(f"{BASE}/group/miscellaneous")
    }


def test_distributions_with_checksum_size_formats_and_licence() -> None:
    g = dataset_graph(packages()[0], BASE)
    dists = sorted(g.objects(TD, ns.DCAT.distribution))
    assert len(dists) == 2
    xml, pdf = dists
    assert str(xml).endswith("/resource/d0c1e2f3-1111-4111-8111-000000000001")
    url = URIRef("https://resource.data.one.gov.hk/td/jss/Journeytimev2.xml")
    assert _one(g, xml, ns.DCAT.accessURL) == url == _one(g, xml, ns.DCAT.downloadURL)
    assert _one(g, xml, ns.DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/application/xml"
    )
    assert _one(g, xml, ns.DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/XML"
    )
    size = _one(g, xml, ns.DCAT.byteSize)
    assert size.datatype == ns.XSD.nonNegativeInteger and size.toPython() == 48213
    checksum = _one(g, xml, SPDX.checksum)
    assert _one(g, checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    value = _one(g, checksum, SPDX.checksumValue)
    assert value.datatype == ns.XSD.hexBinary and str(value) == SHA256
    assert _one(g, xml, ns.DCTERMS.license) == URIRef("https://data.gov.hk/en/terms-and-conditions")
    # string size, no mimetype (taken from the format), empty hash, no last_modified
    assert _one(g, pdf, ns.DCAT.byteSize).toPython() == 120034
    assert _one(g, pdf, ns.DCAT.mediaType) == URIRef(
        "http://www.iana.org/assignments/media-types/application/pdf"
    )
    assert not list(g.objects(pdf, SPDX.checksum))
    assert not list(g.objects(pdf, ns.DCTERMS.modified))


def test_odd_resource_values_are_normalised_or_left_out() -> None:
    ha = dataset_graph(AE_WAITING, BASE)
    (dist,) = ha.objects(HA, ns.DCAT.distribution)
    # "sha256:" prefix and upper case are accepted
    assert str(_one(ha, _one(ha, dist, SPDX.checksum), SPDX.checksumValue)) == SHA256
    misc = dataset_graph(packages()[3], BASE)
    (dist,) = misc.objects(URIRef(f"{BASE}/dataset/{MISC_ID}"), ns.DCAT.distribution)
    assert str(_one(misc, dist, ns.DCAT.accessURL)).startswith(
        BASE + "/dataset/misc-public-holidays/"
    )
    assert not list(misc.objects(dist, SPDX.checksum))  # "not-a-hash"
    assert _one(misc, dist, ns.DCTERMS.issued).datatype == ns.XSD.date


def test_spatial_geometry_as_geojson_literal() -> None:
    g = dataset_graph(packages()[0], BASE)
    location = _one(g, TD, ns.DCTERMS.spatial)
    assert isinstance(location, BNode) and (location, ns.RDF.type, ns.DCTERMS.Location) in g
    geometry = _one(g, location, LOCN.geometry)
    assert geometry.datatype == GSP.geoJSONLiteral
    assert json.loads(str(geometry)) == json.loads(HK_POLYGON)
    assert not list(dataset_graph(AE_WAITING, BASE).objects(HA, ns.DCTERMS.spatial))
    broken = packages()[0]
    broken["spatial"] = "{not json"
    assert not list(dataset_graph(broken, BASE).objects(TD, ns.DCTERMS.spatial))


def test_catalog_lists_datasets_and_links_pages() -> None:
    items = packages()
    g = catalog_graph(CATALOG_META, items[2:4], BASE, 2, 2, 5, fmt="jsonld")
    catalog = URIRef(f"{BASE}/catalog")
    assert (catalog, ns.RDF.type, ns.DCAT.Catalog) in g
    assert Literal("AI Plus 開放數據", lang="zh-Hant") in set(g.objects(catalog, ns.DCTERMS.title))
    assert len(set(g.objects(catalog, ns.DCAT.dataset))) == 2
    assert (_one(g, catalog, ns.DCTERMS.publisher), ns.RDF.type, ns.FOAF.Agent) in g

    def page(n: int) -> URIRef:
        return URIRef(f"{BASE}/catalog.jsonld?page={n}&page_size=2")

    here = page(2)
    assert (here, ns.RDF.type, HYDRA.PagedCollection) in g
    assert _one(g, here, HYDRA.totalItems).toPython() == 5
    assert _one(g, here, HYDRA.itemsPerPage).toPython() == 2
    assert _one(g, here, HYDRA.firstPage) == page(1)
    assert _one(g, here, HYDRA.previousPage) == page(1)
    assert _one(g, here, HYDRA.nextPage) == page(3)
    assert _one(g, here, HYDRA.lastPage) == page(3)

    first = catalog_graph(CATALOG_META, items, BASE, 1, 10, 4)
    here = URIRef(f"{BASE}/catalog.ttl?page=1&page_size=10")
    assert not list(first.objects(here, HYDRA.previousPage))
    assert not list(first.objects(here, HYDRA.nextPage))
    assert _one(first, here, HYDRA.lastPage) == here
