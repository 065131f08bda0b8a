"""The map preview in Debian Chromium: Leaflet draws the features, offline, and axe passes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from aiplus.data.spatial.preview import render_map_preview
from aiplus.data.spatial.store import SpatialStore
from aiplus.platform.app import create_app
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}


@pytest.fixture
def live_preview(platform, public_dataset) -> Iterator[str]:
    store = SpatialStore(platform.db)
    square = {"type": "Polygon", "coordinates": [[[114.15, 22.28], [114.18, 22.28],
                                                  [114.18, 22.30], [114.15, 22.28]]]}
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [
        round(114.15 + 0.002 * i, 3), round(22.28 + 0.001 * i, 3)]}, "properties": {"n": i}}
        for i in range(12)]
    features.append({"type": "Feature", "geometry": square, "properties": {"名稱": "<b>x</b>"}})
    info = store.replace_collection("kiosks", public_dataset("kiosks"), ("Kiosks", "報攤"),
                                    features)
    app: FastAPI = create_app(platform=platform)

    @app.get("/preview-test", response_class=HTMLResponse, include_in_schema=False)
    def page() -> str:
        return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                "<title>Preview</title></head><body><main><h1>Kiosks</h1>"
                f"{render_map_preview(info, 'en')}</main></body></html>")

    with LiveServer(app) as server:
        yield server.url


def test_preview_draws_features_without_leaving_the_platform(live_preview: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian Chromium is missing at {CHROMIUM}; `make test` installs it.",
                    pytrace=False)
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"])
        try:
            page = browser.new_page(base_url=live_preview)
            page.set_default_timeout(10_000)
            requested: list[str] = []
            page.on("request", lambda request: requested.append(request.url))
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto("/preview-test")
            region = page.locator("[role=region][aria-label='Map of Kiosks']")
            region.locator("path.leaflet-interactive").nth(12).wait_for()  # 12 points + 1 polygon
            assert region.locator("path.leaflet-interactive").count() == 13
            assert region.locator("path.spatial-graticule").count() == 1
            assert "No background map" in region.locator(".leaflet-control-attribution").inner_text()
            region.locator("path.leaflet-interactive").nth(12).click(force=True)
            popup = region.locator(".leaflet-popup-content")
            page.wait_for_function(  # let the popup finish fading in before judging contrast
                "getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
            assert popup.locator("th").inner_text() == "名稱"
            assert popup.locator("td").inner_text() == "<b>x</b>"  # shown as text, not markup
            assert not errors
            foreign = [url for url in requested if not url.startswith(live_preview)
                       and not url.startswith("data:")]
            assert foreign == [], foreign
            results = Axe().run(page, options=AXE_OPTIONS).response
            blocking = [v["id"] for v in results["violations"]
                        if v["impact"] in ("serious", "critical")]
            assert blocking == [], [(v["id"], [n["target"] for n in v["nodes"]])
                                    for v in results["violations"]]
        finally:
            browser.close()
