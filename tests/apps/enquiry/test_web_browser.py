"""The chat page and the officer console in headless Chromium, audited by axe-core against
WCAG 2.1 A/AA in both languages; the chat form is used with JavaScript switched off."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from aiplus.platform.services import Platform
from tests.factories import Factory
from tests.platform.test_browser import (  # noqa: F401 (fixtures)
    Auditor,
    browser,
    describe,
    live_url,
    open_context,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_chat_and_console_pass_axe(lang: str, open_context: Any, factory: Factory,
                                   kb: str, enquiry_platform: Platform) -> None:
    officer = factory.member(f"axe-officer-{lang.lower()}", org="hk-effo", role="admin")
    page = open_context(lang)
    page.set_default_timeout(90_000)  # the first answer in a process loads the models
    auditor = Auditor(page, lang)
    auditor.visit("/enquiry")
    page.fill("#q", "Who will win the football match tonight?")
    with page.expect_navigation():
        page.click("main form[action='/enquiry'] button[type=submit]")
    expect(page.locator("#answer-heading")).to_be_visible()
    auditor.check("/enquiry (hand-over)")
    sign_in(page, officer.username, next_path="/enquiry/console")
    for path in ("/enquiry/console", f"/enquiry/console/kb/{kb}",
                 f"/enquiry/console/kb/{kb}/faq/id-replace-lost", "/enquiry/console/handovers",
                 "/enquiry/console/calls", "/enquiry/console/outbox",
                 "/enquiry/console/analytics"):
        auditor.visit(path)
    assert not auditor.violations, describe(auditor.violations)


def test_chat_works_without_javascript(browser: Browser, live_url: str, kb: str) -> None:
    context = browser.new_context(base_url=live_url, java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(90_000)
        page.goto("/enquiry")
        page.fill("#q", "What should I do if I lose my Hong Kong identity card?")
        with page.expect_navigation():
            page.click("main form[action='/enquiry'] button[type=submit]")
        expect(page.locator("main")).to_contain_text("Registration of Persons")
    finally:
        context.close()
