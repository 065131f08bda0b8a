"""Each serialisation parses back to the same graph."""

from __future__ import annotations

import json

import pytest
from rdflib.compare import isomorphic

from aiplus.data.dcat.graph import catalog_graph, dataset_graph
from aiplus.data.dcat.serialize import FORMATS, parse, render
from tests.data.dcat.samples import CATALOG_META, packages

BASE = "https://data.example.hk"


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("jsonld", "application/ld+json"),
        ("ttl", "text/turtle"),
        ("xml", "application/rdf+xml"),
    ],
)
def test_round_trip(fmt: str, media_type: str) -> None:
    graph = catalog_graph(CATALOG_META, packages(), BASE, 1, 10, 4, fmt=fmt)
    body, got_type = render(graph, fmt)
    assert got_type == media_type == FORMATS[fmt].media_type
    assert isinstance(body, bytes)
    assert "行車時間指示".encode() in body or fmt == "xml"
    again = parse(body, fmt)
    assert len(again) == len(graph) > 200
    assert isomorphic(graph, again)


def test_jsonld_context_is_inline() -> None:
    body, _ = render(dataset_graph(packages()[1], BASE), "jsonld")
    document = json.loads(body)
    assert isinstance(document["@context"], dict)  # never a URL to fetch
    assert document["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert "急症室等候時間" in body.decode()


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown RDF format"):
        render(dataset_graph(packages()[0], BASE), "csv")
