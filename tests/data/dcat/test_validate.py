"""SHACL validation against the shipped DCAT-AP shapes: good data passes, broken data fails."""

from __future__ import annotations

import socket

import pytest
from rdflib import Literal, URIRef
from rdflib import namespace as ns

from aiplus.data.dcat.graph import catalog_graph, dataset_graph
from aiplus.data.dcat.validate import shapes_graph, shapes_text, validate
from tests.data.dcat.samples import CATALOG_META, TD_ID, packages

BASE = "https://data.example.hk"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Shapes ship in the repo: any attempt to open a connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_shapes_are_self_contained() -> None:
    shapes = shapes_graph()
    assert not list(shapes.objects(None, ns.OWL.imports))
    assert "http://www.w3.org/ns/shacl#" in shapes_text()
    shacl = ns.Namespace("http://www.w3.org/ns/shacl#")
    targets = set(shapes.objects(None, shacl.targetClass))
    assert {ns.DCAT.Catalog, ns.DCAT.Dataset, ns.DCAT.Distribution, ns.FOAF.Agent} <= targets


def test_good_catalogue_conforms_without_warnings() -> None:
    conforms, report = validate(catalog_graph(CATALOG_META, packages(), BASE, 1, 10, 4))
    assert conforms, report
    assert "Violation" not in report and "Warning" not in report


def test_dataset_without_title_fails() -> None:
    package = packages()[0]
    package["title"], package["title_translated"] = "", {"en": "", "zh-Hant": ""}
    conforms, report = validate(dataset_graph(package, BASE))
    assert not conforms
    assert "Message: A dataset must have a title (dct:title)" in report
    assert "Severity: sh:Violation" in report


def test_distribution_without_access_url_fails() -> None:
    package = packages()[1]
    package["resources"][0]["url"] = None
    conforms, report = validate(dataset_graph(package, BASE))
    assert not conforms
    assert "Message: A distribution must have an access URL (dcat:accessURL)" in report


def test_recommended_properties_only_warn() -> None:
    package = packages()[0]
    package.update(
        tags=[],
        groups=[],
        resources=[],
        maintainer=None,
        maintainer_email=None,
        author=None,
        author_email=None,
    )
    conforms, report = validate(dataset_graph(package, BASE))
    assert conforms, report
    for message in (
        "should have keywords",
        "should have a theme",
        "should have a distribution",
        "should have a contact point",
    ):
        assert message in report
    assert "Severity: sh:Warning" in report and "sh:Violation" not in report


def test_range_checks_catch_wrongly_typed_values() -> None:
    graph = dataset_graph(packages()[0], BASE)
    dist = next(iter(graph.objects(URIRef(f"{BASE}/dataset/{TD_ID}"), ns.DCAT.distribution)))
    graph.set((dist, ns.DCAT.byteSize, Literal("48 kB")))
    graph.set((dist, ns.DCTERMS.license, Literal("cc-by")))
    graph.set((dist, ns.DCTERMS.issued, Literal("yesterday")))
    conforms, report = validate(graph, inference="rdfs")
    assert not conforms
    assert "dcat:byteSize" in report and "xsd:nonNegativeInteger" in report
    assert "licence (dct:license), an IRI" in report
    assert "issue date (dct:issued)" in report
    with pytest.raises(ValueError):
        validate(graph, inference="owlrl")
