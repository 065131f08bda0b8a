"""The copilot pages in a real browser (Debian Chromium, axe-core), signed in as an
organisation admin: the workspace with documents and a streamed answer with citations, a
document page and the usage page, on a desktop and at 320 px. No serious or critical WCAG
2.1 AA violation is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aiplus.platform.services import Platform
from tests.apps.copilot.conftest import POLICY
from tests.factories import Factory
from tests.gateway.conftest import EchoUpstream
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
LANGS = ["en", "zh-Hant"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", LANGS)
def test_copilot_pages_pass_axe(lang: str, viewport: str, open_context: Any,  # noqa: F811
                                factory: Factory, platform: Platform,
                                echo: EchoUpstream) -> None:
    echo.reply = "Drivers will renew licences online from 1 March 2027 [1]."
    admin = factory.member("axe-admin", org="hk-td", role="admin")
    from aiplus.apps.copilot.library import Library

    document = Library(platform).ingest(admin.principal, "policy.txt", POLICY.encode())["id"]
    page = open_context(lang, viewport)
    auditor = Auditor(page, lang)
    sign_in(page, admin.username, next_path="/copilot")
    auditor.visit("/copilot")
    page.check(f"#doc-{document}")
    page.fill("#text", "When can drivers renew online?")
    held: list[Any] = []  # the answer's request, held until the waiting page is checked
    page.route("**/api/copilot/stream", lambda route: held.append(route))
    page.click("#copilot-form button[type=submit]")
    expect(page.locator("#copilot-run")).to_be_disabled()
    expect(page.locator("#copilot-progress")).not_to_be_empty()
    expect(page.locator("#live-answer")).to_have_attribute("aria-busy", "true")
    assert len(held) == 1
    held[0].continue_()
    expect(page.locator("#live-answer a").first).to_have_attribute(
        "href", f"/copilot/documents/{document}#page-1", timeout=60_000)
    # issue 27: one link per page however many passages of it were used, and the button is
    # usable again once the answer is in, with the status line saying it is done
    assert page.locator("#live-answer li").count() == 1
    expect(page.locator("#copilot-run")).to_be_enabled()
    expect(page.locator("#copilot-progress")).not_to_be_empty()
    auditor.check("/copilot (streamed answer)")
    auditor.visit(f"/copilot/documents/{document}")
    auditor.visit("/copilot/admin?org=hk-td")
    assert not auditor.violations, (
        f"axe found serious or critical WCAG 2.1 AA violations:\n{describe(auditor.violations)}")
