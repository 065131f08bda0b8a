"""The forms pages in a real browser (Debian Chromium, axe-core), in English and Traditional
Chinese, on a desktop and at 320 px: the upload page, the review queue, the review page with
its image crops, the applicant's status page, and an officer's approval. No serious or
critical WCAG 2.1 AA violation is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aiplus.apps.forms.extract import Reading, read
from aiplus.apps.forms.service import Forms
from aiplus.apps.forms.synth import sample
from aiplus.apps.forms.templates import load
from aiplus.platform.services import Platform
from tests.apps.forms.conftest import ORG
from tests.factories import Factory
from tests.platform.test_browser import (  # noqa: F401 (fixtures)
    VIEWPORTS,
    Auditor,
    browser,
    describe,
    live_url,
    open_context,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reading() -> Reading:
    """One page read once for the module (OCR is the slow part, not what is tested here)."""
    return read(sample("idp", 0, seed=5).image, load("idp"))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_forms_pages_pass_axe(lang: str, viewport: str, open_context: Any,  # noqa: F811
                              factory: Factory, forms_platform: Platform,
                              reading: Reading) -> None:
    officer = factory.member("axe-officer", org=ORG, role="officer")
    reading.status = "needs_review"
    with forms_platform.db.transaction() as session:
        reference = Forms(forms_platform).store(session, officer.principal, ORG, reading).reference
    page = open_context(lang, viewport)
    auditor = Auditor(page, lang)
    sign_in(page, officer.username, next_path="/forms")
    for path in ("/forms", "/forms/review", f"/forms/review/{reference}",
                 f"/forms/status?reference={reference}"):
        auditor.visit(path)
    page.goto(f"/forms/review/{reference}")
    expect(page.locator("main img[src*='/crops/id_number']")).to_be_visible()
    with page.expect_navigation():
        page.click("main button[value=reject]")
    auditor.check("/forms/review (after a decision)")
    assert not auditor.violations, (
        f"axe found serious or critical WCAG 2.1 AA violations:\n{describe(auditor.violations)}")
