"""The portal on a 390x844 phone (issue 27): the header folds behind a Menu button instead of
taking a third of the screen, the button opens it, every form control and header link is at
least 44 px tall, and no page scrolls sideways. Screenshots go to $AIPLUS_SCREENSHOTS if set."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.platform.test_browser import (  # noqa: F401 (fixtures)
    browser, live_url, open_context, sign_in)
from tests.factories import Factory

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PAGES = ("/", "/data", "/data/search", "/enquiry", "/register", "/responsible", "/forms",
         "/copilot", "/federated", "/traffic", "/security/monitor", "/docs", "/login")
CONTROLS = "main button:visible, main select:visible, main input:visible:not([type=hidden])" \
           ":not([type=checkbox]):not([type=radio]), header.site a:visible, header.site button:visible"


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_pages_fit_a_phone_with_a_folding_menu(browser, live_url, factory: Factory,
                                                lang: str) -> None:
    factory.member("phone-admin", org="hk-dpo", role="admin", platform_admin=True)
    context = browser.new_context(base_url=live_url, viewport=PHONE,
                                  locale={"en": "en-GB", "zh-Hant": "zh-HK"}[lang])
    page = context.new_page()
    sign_in(page, "phone-admin")
    shots = os.environ.get("AIPLUS_SCREENSHOTS")
    small: list[str] = []
    try:
        for path in PAGES:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            if path != "/docs":
                header = page.locator("header.site").bounding_box()
                assert header and header["height"] <= 120, (path, header)
                assert not page.locator("#main-nav").is_visible(), path
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
            for control in page.locator(CONTROLS).all():
                box = control.bounding_box()
                if box and box["height"] < 44:
                    small.append(f"{path}: {control.evaluate('e => e.outerHTML')[:100]} "
                                 f"is {box['height']:.0f}px tall")
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                name = path.strip("/").replace("/", "-") or "home"
                page.screenshot(path=f"{shots}/phone-{lang}-{name}.png", full_page=False)
        page.goto("/")
        page.click("header.site .menu-toggle")
        assert page.locator("#main-nav").is_visible()
        assert page.locator("header.site .menu-toggle").get_attribute("aria-expanded") == "true"
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(page.locator("header.site .menu-toggle")).to_be_hidden()
        expect(page.locator("#main-nav")).to_be_visible()
    finally:
        context.close()
    assert not small, "\n".join(small)
