"""The adaptive-signals page in a real browser (Debian Chromium, axe-core): an officer starts
a run from the form, and its figures appear in the table; in English and Traditional Chinese,
on a desktop and at 320 px, with no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aiplus.platform.services import Platform
from tests.factories import Factory
from tests.platform.test_browser import (  # noqa: F401 (fixtures)
    VIEWPORTS,
    Auditor,
    browser,
    describe,
    live_url,
    open_context,
    sign_in,
    wait_until_finished,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_signals_page_runs_a_controller_and_passes_axe(
        lang: str, viewport: str, open_context: Any, factory: Factory,  # noqa: F811
        platform: Platform) -> None:
    officer = factory.member("signals-officer", org="hk-td", role="officer")
    page = open_context(lang, viewport)
    auditor = Auditor(page, lang)
    sign_in(page, officer.username, next_path="/traffic/signals")
    auditor.visit("/traffic/signals")
    page.select_option("#controller", "adaptive")
    page.fill("#seconds", "60")
    with page.expect_navigation():
        page.click("main form[action='/traffic/signals'] button[type=submit]")
    job_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    wait_until_finished(platform, officer, job_id)
    auditor.visit("/traffic/signals")
    row = page.locator("main table tbody tr").first
    expect(row).to_contain_text("adaptive")
    expect(row.locator("td").nth(3)).not_to_be_empty()  # average delay of the finished run
    assert not auditor.violations, describe(auditor.violations)
