"""The DCAT-AP router on a minimal app with an in-memory package source."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import URIRef
from rdflib import namespace as ns

from aiplus.data.dcat.graph import HYDRA
from aiplus.data.dcat.router import PackageSource, make_router
from aiplus.data.dcat.serialize import parse
from aiplus.data.dcat.validate import validate
from aiplus.platform.errors import install_error_handlers
from tests.data.dcat.samples import HA_ID, TD_ID, MemorySource, packages

JSON = {"Accept": "application/json"}


@pytest.fixture
def source() -> MemorySource:
    items = packages()
    hidden = dict(
        items[0], id="11111111-2222-4333-8444-555555555555", name="secret-draft", private=True
    )
    return MemorySource([*items, hidden])


@pytest.fixture
def client(source: MemorySource) -> Iterator[TestClient]:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(make_router(lambda request: source))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_source_satisfies_protocol(source: MemorySource) -> None:
    assert isinstance(source, PackageSource)


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("jsonld", "application/ld+json"),
        ("ttl", "text/turtle"),
        ("xml", "application/rdf+xml"),
    ],
)
def test_catalog_formats(client: TestClient, fmt: str, media_type: str) -> None:
    response = client.get(f"/catalog.{fmt}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = parse(response.content, fmt)
    catalog = URIRef("http://testserver/catalog")  # base URL taken from the request
    datasets = set(graph.objects(catalog, ns.DCAT.dataset))
    assert len(datasets) == 4  # the private dataset is not listed
    assert URIRef(f"http://testserver/dataset/{TD_ID}") in datasets


def test_catalog_paging_links_and_validation(client: TestClient) -> None:
    response = client.get("/catalog.ttl", params={"page": 2, "page_size": 3})
    assert response.status_code == 200
    graph = parse(response.content, "ttl")
    here = URIRef("http://testserver/catalog.ttl?page=2&page_size=3")
    assert len(set(graph.objects(URIRef("http://testserver/catalog"), ns.DCAT.dataset))) == 1
    assert graph.value(here, HYDRA.totalItems).toPython() == 4
    assert graph.value(here, HYDRA.previousPage) == URIRef(
        "http://testserver/catalog.ttl?page=1&page_size=3"
    )
    assert graph.value(here, HYDRA.lastPage) == here
    assert graph.value(here, HYDRA.nextPage) is None
    conforms, report = validate(graph)
    assert conforms, report


def test_dataset_by_id_and_name(client: TestClient) -> None:
    response = client.get(f"/dataset/{HA_ID}.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    graph = parse(response.content, "jsonld")
    subject = URIRef(f"http://testserver/dataset/{HA_ID}")
    assert (subject, ns.RDF.type, ns.DCAT.Dataset) in graph
    by_name = client.get("/dataset/hospital-authority-ae-waiting-time.ttl")
    assert by_name.status_code == 200
    assert by_name.headers["content-type"].startswith("text/turtle")
    assert (subject, ns.RDF.type, ns.DCAT.Dataset) in parse(by_name.content, "ttl")


@pytest.mark.parametrize(
    "path",
    [
        "/catalog.csv",
        "/catalog.rdf",
        f"/dataset/{TD_ID}.xml",
        f"/dataset/{TD_ID}.html",
        "/dataset/no-such-dataset.ttl",
        "/dataset/secret-draft.ttl",
        "/catalog.ttl?page=3&page_size=2",
    ],
)
def test_not_found(client: TestClient, path: str) -> None:
    response = client.get(path, headers=JSON)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=0", 422),
        ("page=-1", 422),
        ("page=two", 422),
        ("page_size=0", 422),
        ("page_size=1001", 422),
    ],
)
def test_bad_paging(client: TestClient, query: str, status: int) -> None:
    response = client.get(f"/catalog.ttl?{query}", headers=JSON)
    assert response.status_code == status
    assert response.json()["error"]["code"] == "validation_error"


def test_malformed_dataset_id_is_a_bad_request(client: TestClient) -> None:
    response = client.get("/dataset/not%20an%20id.ttl", headers=JSON)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_largest_page_size_is_accepted(client: TestClient) -> None:
    assert client.get("/catalog.jsonld?page_size=1000").status_code == 200


def test_empty_catalogue_is_one_empty_page() -> None:
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(make_router(lambda request: MemorySource([])))
    with TestClient(app) as client:
        response = client.get("/catalog.ttl")
        assert response.status_code == 200
        graph = parse(response.content, "ttl")
        here = URIRef("http://testserver/catalog.ttl?page=1&page_size=100")
        assert graph.value(here, HYDRA.totalItems).toPython() == 0
        assert graph.value(here, HYDRA.lastPage) == here
        assert client.get("/catalog.ttl?page=2", headers=JSON).status_code == 404
