"""OGC API - Features over HTTP, and the offline map preview."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from aiplus.data.spatial.ogc import CONFORMANCE
from aiplus.data.spatial.preview import STATIC, render_map_preview
from aiplus.data.spatial.store import SpatialStore
from aiplus.platform.app import create_app

GEOJSON = "application/geo+json"


def point(x: float, y: float, n: int) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
            "properties": {"n": n, "名稱": f"站{n}"}}


@pytest.fixture
def ogc(platform, public_dataset) -> Iterator[TestClient]:
    store = SpatialStore(platform.db)
    # 25 points along a diagonal, 0.01 degrees apart, from 114.10 E 22.20 N.
    store.replace_collection("lamp-posts", public_dataset("lamps"),
                             ("Lamp posts", "燈柱"),
                             [point(round(114.10 + 0.01 * i, 2), round(22.20 + 0.01 * i, 2), i)
                              for i in range(25)])
    store.replace_collection("empty", public_dataset("nothing"),
                             ("Nothing yet", "暫無"), [])
    app = create_app(platform=platform)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def href(links: list[dict], rel: str) -> str | None:
    return next((link["href"] for link in links if link["rel"] == rel), None)


def test_landing_conformance_and_collections(ogc: TestClient) -> None:
    landing = ogc.get("/ogc")
    assert landing.status_code == 200 and landing.headers["content-type"] == "application/json"
    rels = {link["rel"] for link in landing.json()["links"]}
    assert {"self", "service-desc", "service-doc", "conformance", "data"} <= rels
    assert ogc.get("/ogc/conformance").json() == {"conformsTo": CONFORMANCE}
    listed = ogc.get("/ogc/collections").json()
    assert [c["id"] for c in listed["collections"]] == ["empty", "lamp-posts"]
    lamps = ogc.get("/ogc/collections/lamp-posts").json()
    assert lamps["title"] == "Lamp posts" and lamps["itemType"] == "feature"
    assert lamps["extent"]["spatial"]["bbox"] == [[114.1, 22.2, 114.34, 22.44]]
    assert href(lamps["links"], "items") == "http://testserver/ogc/collections/lamp-posts/items"
    assert "extent" not in ogc.get("/ogc/collections/empty").json()
    chinese = ogc.get("/ogc/collections/lamp-posts", headers={"Accept-Language": "zh-HK"})
    assert chinese.json()["title"] == "燈柱" and chinese.headers["content-language"] == "zh-Hant"


def test_items_page_with_limit_offset_and_next_prev_links(ogc: TestClient) -> None:
    first = ogc.get("/ogc/collections/lamp-posts/items")
    assert first.status_code == 200 and first.headers["content-type"] == GEOJSON
    body = first.json()
    assert body["type"] == "FeatureCollection" and body["numberMatched"] == 25
    assert body["numberReturned"] == 10 and re.match(r"\d{4}-\d\d-\d\dT.*Z$", body["timeStamp"])
    assert [f["id"] for f in body["features"]] == list(range(1, 11))
    assert href(body["links"], "prev") is None
    seen, url = [], "/ogc/collections/lamp-posts/items?limit=10"
    while url:  # follow next links to the end
        page = ogc.get(url).json()
        seen += [f["properties"]["n"] for f in page["features"]]
        url = href(page["links"], "next")
    assert seen == list(range(25))
    last = ogc.get("/ogc/collections/lamp-posts/items?limit=10&offset=20").json()
    assert last["numberReturned"] == 5 and href(last["links"], "next") is None
    assert parse_qs(urlsplit(href(last["links"], "prev")).query) == {"limit": ["10"],
                                                                      "offset": ["10"]}
    assert ogc.get("/ogc/collections/empty/items").json()["numberMatched"] == 0


def test_items_bbox_filter_keeps_other_parameters_in_links(ogc: TestClient) -> None:
    url = "/ogc/collections/lamp-posts/items?bbox=114.105,22.205,114.155,22.255&limit=2"
    body = ogc.get(url).json()
    assert body["numberMatched"] == 5 and [f["properties"]["n"] for f in body["features"]] == [1, 2]
    query = parse_qs(urlsplit(href(body["links"], "next")).query)
    assert query == {"bbox": ["114.105,22.205,114.155,22.255"], "limit": ["2"], "offset": ["2"]}
    with_heights = ogc.get("/ogc/collections/lamp-posts/items"
                           "?bbox=114.105,22.205,0,114.155,22.255,100").json()
    assert with_heights["numberMatched"] == 5
    assert ogc.get("/ogc/collections/lamp-posts/items?datetime=2024-01-01T00:00:00Z/..&f=json"
                   ).json()["numberMatched"] == 25


def test_single_feature_and_not_found(ogc: TestClient) -> None:
    one = ogc.get("/ogc/collections/lamp-posts/items/3")
    assert one.status_code == 200 and one.headers["content-type"] == GEOJSON
    feature = one.json()
    assert feature["id"] == 3 and feature["properties"] == {"n": 2, "名稱": "站2"}
    assert feature["geometry"] == {"type": "Point", "coordinates": [114.12, 22.22]}
    assert {"self", "collection"} <= {link["rel"] for link in feature["links"]}
    for path in ("/ogc/collections/nope", "/ogc/collections/nope/items",
                 "/ogc/collections/lamp-posts/items/26", "/ogc/collections/lamp-posts/items/x1",
                 "/ogc/collections/" + "x" * 300 + "/items/1"):
        missing = ogc.get(path, headers={"Accept": GEOJSON})
        assert missing.status_code == 404, path
        body = missing.json()
        assert body["code"] == "NotFound" and body["description"]
        assert body["error"]["code"] == "not_found"


@pytest.mark.parametrize("query", [
    "bbox=114.1,22.2,114.3", "bbox=a,b,c,d", "bbox=114.1,22.2,114.3,22.4,1",
    "bbox=114.1,22.5,114.3,22.4", "bbox=114.1,-95,114.3,22.4", "bbox=200,22.2,210,22.4",
    "bbox=114.1,22.2,nan,22.4", "limit=0", "limit=10001", "limit=ten", "offset=-1",
    "datetime=yesterday", "colour=red", "f=xml",
])
def test_bad_parameters_are_400_ogc_exceptions(ogc: TestClient, query: str) -> None:
    response = ogc.get(f"/ogc/collections/lamp-posts/items?{query}",
                       headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and body["description"]
    assert body["error"]["code"] == "bad_request"


def test_error_descriptions_follow_the_language(ogc: TestClient) -> None:
    english = ogc.get("/ogc/collections/lamp-posts/items?limit=0").json()["description"]
    assert english == "The limit parameter must be a whole number from 1 to 10000."


def test_map_preview_is_accessible_and_entirely_local(ogc: TestClient, platform) -> None:
    info = SpatialStore(platform.db).collection("lamp-posts")
    assert info is not None
    html = str(render_map_preview(info, "en", limit=20))
    assert 'role="region"' in html and 'aria-label="Map of Lamp posts"' in html
    assert "Features: 25." in html and "longitude 114.1 to 114.34" in html
    assert "The map shows the first 20 features." in html and "No background map" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources)  # nothing from another host
    for source in sources:
        assert ogc.get(source).status_code == 200, source
    assert re.search(r'aria-label="[^"]*燈柱', str(render_map_preview(info, "zh-Hant")))
    empty = SpatialStore(platform.db).collection("empty")
    assert empty is not None and 'class="spatial-map"' not in str(
        render_map_preview(empty, "en"))
    for name in ("leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/images/marker-icon.png",
                 "map-preview.js", "map-preview.css"):
        assert ogc.get(f"/spatial-static/{name}").status_code == 200
    own_script = (STATIC / "map-preview.js").read_text()
    assert "tileLayer" not in own_script and "http" not in own_script  # no remote tiles
