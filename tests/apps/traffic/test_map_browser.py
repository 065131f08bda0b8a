"""The forecast map in a real browser (Debian Chromium, axe-core), in English and Traditional
Chinese, on a desktop and at 320 px, with forecasts served: no serious or critical WCAG 2.1
AA violation, and the chart has its data table alternative."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aiplus.apps.traffic.ingest.store import FeedFile, ingest
from aiplus.apps.traffic.service import refresh
from aiplus.apps.traffic.simulation.feeds import jti_xml
from aiplus.platform.services import Platform
from tests.apps.traffic.test_serving import _journeys
from tests.platform.test_browser import (  # noqa: F401 (fixtures)
    VIEWPORTS,
    Auditor,
    browser,
    describe,
    live_url,
    open_context,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_the_map_passes_axe(lang: str, viewport: str, open_context: Any,  # noqa: F811
                            platform: Platform) -> None:
    ingest(platform.db, "jti", [FeedFile("a.xml", jti_xml(_journeys(1)))], actor="t",
           location="test")
    refresh(platform.db)
    page = open_context(lang, viewport)
    auditor = Auditor(page, lang)
    auditor.visit("/traffic")
    expect(page.locator("main svg").first).to_be_visible()
    # labels stay readable at any width: the map scrolls sideways in its region rather than
    # shrinking its 11-unit text to ~5 px on a phone (issue 27)
    label = page.locator("main svg text").first.bounding_box()
    assert label is not None and label["height"] >= 10, label
    page.locator("main details summary").first.click()
    auditor.check("/traffic (data table open)")
    assert not auditor.violations, describe(auditor.violations)
