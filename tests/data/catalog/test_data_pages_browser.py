"""The open data pages in a real browser: Debian Chromium, Playwright and axe-core.

A catalogue is seeded through the CKAN API (a dataset in the transport category with a car
park table that gets a preview, a bar chart and a map), then every /data page family is audited
in English and in Traditional Chinese, at desktop width and at 320 CSS px, against the WCAG
2.0/2.1 A and AA rules. Every request the browser makes is checked to stay on 127.0.0.1: the
map preview must draw without tiles or scripts from anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from aiplus.platform.services import Platform
from tests.data.catalog.conftest import journey_times
from tests.data.catalog.test_upload_pipeline import CARPARKS
from tests.factories import PASSWORD, Member
from tests.live_server import LiveServer
from tests.platform.test_browser import (
    BROWSER_LOCALE,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORTS,
    Auditor,
    describe,
)

pytestmark = pytest.mark.browser

DATASET = "journey-time-indicators"
# What the pages must show in each language (a word of the page's own, not of the data).
SEARCH = {"en": "journey", "zh-Hant": "行車"}
# How the dataset page states its update frequency ("real-time", a value shown through _()).
REAL_TIME = {"en": "real-time", "zh-Hant": "實時"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian Chromium is missing at {CHROMIUM}; `make test` installs it "
                    "(these tests never download a browser).", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def catalogue(ckan: Any, client: Any, steward: Member) -> dict[str, Any]:
    """A transport dataset of hk-td with an external link and an uploaded car park table."""
    status, body = ckan("package_create", steward, **journey_times())
    assert status == 200, body
    response = client.post("/api/3/action/resource_create",
                           headers={"Authorization": steward.token},
                           data={"package_id": body["result"]["id"], "name": "Car parks"},
                           files={"upload": ("carparks.csv", CARPARKS, "text/csv")})
    assert response.status_code == 200, response.text
    resource = response.json()["result"]
    assert resource["datastore_active"] is True
    return {"dataset": body["result"], "carparks": resource}


@pytest.fixture
def live(platform: Platform, catalogue: dict[str, Any]) -> Iterator[str]:
    with LiveServer(platform) as server:
        yield server.url


class Guarded:
    """Browser contexts whose every request must stay on the live server (others are aborted)."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.contexts: list[Any] = []

    def _route(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith("data:"):
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def open(self, lang: str, viewport: str) -> Page:
        context = self.browser.new_context(base_url=self.base_url, locale=BROWSER_LOCALE[lang],
                                           viewport=VIEWPORTS[viewport])
        context.set_default_timeout(10_000)
        context.route("**/*", self._route)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def guarded(browser: Browser, live: str) -> Iterator[Guarded]:
    opened = Guarded(browser, live)
    yield opened
    opened.close()


def sign_in(page: Page, username: str, next_path: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto("/login?" + urlencode({"next": next_path}))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main form[action='/login'] button[type=submit]")
    assert urlsplit(page.url).path == next_path, page.url


def check_dataset_page(page: Page, auditor: Auditor, carparks: str, where: str) -> None:
    response = page.goto(f"/data/dataset/{DATASET}")
    assert response is not None and response.status == 200, where
    expect(page.locator("main dl.facts")).to_contain_text(REAL_TIME[auditor.lang])
    preview = page.locator("main section", has=page.locator("table caption"))
    expect(preview.locator("tbody tr")).to_have_count(3)  # the three car parks
    chart = preview.locator("figure.chart")
    expect(chart.locator(".bars li")).to_have_count(3)
    expect(chart.locator("figcaption")).to_contain_text("vacancy")
    map_region = page.locator(f"#spatial-map-{carparks}")
    expect(map_region).to_have_attribute("role", "region")
    # Leaflet has drawn the three car parks over its own graticule, with no background tiles.
    expect(map_region.locator("path.leaflet-interactive")).to_have_count(3)
    expect(map_region.locator("path.spatial-graticule")).to_have_count(1)
    expect(map_region.locator("img.leaflet-tile")).to_have_count(0)
    auditor.check(where)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_data_pages_pass_axe(lang: str, viewport: str, guarded: Guarded, steward: Member,
                             catalogue: dict[str, Any]) -> None:
    page = guarded.open(lang, viewport)
    auditor = Auditor(page, lang)
    carparks = catalogue["carparks"]["id"]

    auditor.visit("/data")
    expect(page.locator("main a[href='/data/group/transport']")).to_be_visible()

    auditor.visit("/data/search?" + urlencode({"q": SEARCH[lang]}))
    expect(page.locator(f"main .results a[href='/data/dataset/{DATASET}']")).to_be_visible()

    # Choosing a facet through its link marks it as the current filter.
    page.goto("/data/search")
    with page.expect_navigation():
        page.locator("main nav.facets a[href*='res_format=CSV']").click()
    expect(page.locator("main nav.facets a[aria-current=true]")).to_have_count(1)
    expect(page.locator("main .results > li")).to_have_count(1)
    auditor.check("/data/search (facet res_format=CSV)")

    auditor.visit("/data/group/transport")
    auditor.visit("/data/organization/hk-td")
    expect(page.locator(f"main .results a[href='/data/dataset/{DATASET}']")).to_be_visible()
    check_dataset_page(page, auditor, carparks, f"/data/dataset/{DATASET}")

    # The data steward: the dataset page with its upload form and history, and the new form.
    sign_in(page, steward.username, next_path="/data/new")
    auditor.check("/data/new")
    page.fill("#f-name", "Not A Valid Name")
    page.fill("#f-title-en", "Ferry punctuality")
    with page.expect_navigation():
        page.click("main form[action='/data/new'] button[type=submit]")
    # The error summary links to the field, which keeps what was typed and is marked invalid.
    expect(page.locator("main [role=alert] a[href='#f-name']")).to_be_visible()
    expect(page.locator("#f-name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-title-en")).to_have_value("Ferry punctuality")
    auditor.check("/data/new (refused)")
    check_dataset_page(page, auditor, carparks, f"/data/dataset/{DATASET} (steward)")
    expect(page.locator("main form[enctype='multipart/form-data'] input[type=file]")).to_be_visible()

    assert len(auditor.audited) == 9
    assert not guarded.errors, guarded.errors
    assert not guarded.foreign, f"requests left 127.0.0.1: {guarded.foreign}"
    assert not auditor.violations, (
        f"axe found serious or critical WCAG 2.1 AA violations:\n{describe(auditor.violations)}"
    )
