"""The portal in a real browser: Debian Chromium, driven by Playwright, audited by axe-core.

Each test serves the app of its own per-test platform (SQLite or PostgreSQL, as the suite runs)
with uvicorn on a free local port; one Chromium instance serves the whole module. Every page
family is audited in English and in Traditional Chinese against the WCAG 2.0/2.1 A and AA rules,
in a desktop window and at the 320 px width where pages must reflow without sideways scrolling.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from aiplus.compute.jobs import JobContext
from aiplus.platform.services import Platform
from tests.factories import PASSWORD, Factory, Member
from tests.live_server import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# What the browser sends as Accept-Language for each portal locale.
BROWSER_LOCALE = {"en": "en-GB", "zh-Hant": "zh-HK"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"serious", "critical"}
# A desktop window, and the 320 CSS px width where WCAG 1.4.10 (Reflow) allows no sideways scroll.
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 320, "height": 640}}
SNAPSHOT_JOB = "ai-register.snapshot"
CJK = re.compile(r"[\u3400-\u9fff]")
AXE = Axe()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian Chromium is missing at {CHROMIUM}. `make test` installs it "
            "(or run: sudo apt-get install chromium); these tests never download a browser.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[str]:
    """The test's app served by uvicorn in a background thread on a free 127.0.0.1 port."""
    with LiveServer(app) as server:
        yield server.url


@pytest.fixture
def open_context(browser: Browser, live_url: str) -> Iterator[Any]:
    """Opens browser contexts (fresh cookies) whose Accept-Language matches a portal locale."""
    opened: list[BrowserContext] = []

    def open_(lang: str = "en", viewport: str = "desktop") -> Page:
        context = browser.new_context(base_url=live_url, locale=BROWSER_LOCALE[lang],
                                      viewport=VIEWPORTS[viewport])
        context.set_default_timeout(10_000)
        opened.append(context)
        return context.new_page()

    yield open_
    for context in opened:
        context.close()


def sign_in(page: Page, username: str, password: str = PASSWORD, next_path: str = "/") -> None:
    """Sign in through the real form, as a person would."""
    page.goto("/login?" + urlencode({"next": next_path}))
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main form[action='/login'] button[type=submit]")


def open_menu(page: Page) -> None:
    """On a phone the header's links fold behind the Menu button: open it."""
    toggle = page.locator("header.site .menu-toggle")
    if toggle.is_visible():
        toggle.click()


def html_lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def describe(violations: list[dict[str, Any]]) -> str:
    """axe violations as readable text: rule, impact, help link and each offending node."""
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']}) on {v['where']}")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


class Auditor:
    """Visits pages, checks their language, and gathers axe's serious and critical findings."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page = page
        self.lang = lang
        self.violations: list[dict[str, Any]] = []
        self.audited: list[str] = []

    def visit(self, path: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response)
        self.check(path)

    def check(self, where: str) -> None:
        page = self.page
        assert html_lang(page) == self.lang, f"{where}: <html lang> is {html_lang(page)!r}"
        title = page.title()
        assert bool(CJK.search(title)) == (self.lang == "zh-Hant"), f"{where}: title {title!r}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{where}: the page scrolls sideways by {overflow}px"
        results = AXE.run(page, options=AXE_OPTIONS).response
        width = page.viewport_size["width"] if page.viewport_size else "?"
        for violation in results["violations"]:
            if violation.get("impact") in BLOCKING_IMPACTS:
                self.violations.append({**violation, "where": f"{where} [{self.lang}, {width}px]"})
        self.audited.append(where)


def wait_until_finished(platform: Platform, member: Member, job_id: str) -> None:
    deadline = time.monotonic() + 20
    while not platform.jobs.get(member.principal, job_id).state.finished:
        assert time.monotonic() < deadline, "the job did not finish"
        time.sleep(0.05)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_every_page_family_passes_axe(
    lang: str, viewport: str, open_context: Any, factory: Factory, platform: Platform
) -> None:
    admin = factory.member("axe-admin", org="hk-dpo", role="admin", platform_admin=True)
    job = platform.jobs.submit(admin.principal, SNAPSHOT_JOB)
    wait_until_finished(platform, admin, job.id)
    page = open_context(lang, viewport)
    auditor = Auditor(page, lang)

    for path in ("/", "/login", "/orgs", "/register", "/register/ai-register"):
        auditor.visit(path)
    auditor.visit("/no-such-page", status=404)
    expect(page.locator("main [role=alert]")).to_be_visible()

    # A failed sign-in shows the form again with its error.
    sign_in(page, admin.username, password="not the password at all")
    expect(page.locator("main [role=alert]")).to_be_visible()
    auditor.check("/login (failed sign-in)")

    sign_in(page, admin.username)
    open_menu(page)
    expect(page.locator("header form[action='/logout'] button")).to_be_visible()
    for path in ("/jobs", f"/jobs/{job.id}", "/account", "/audit"):
        auditor.visit(path)
    expect(page.locator("main tbody tr").first).to_be_visible()

    # The account page right after creating a token shows its secret once.
    page.goto("/account")
    page.fill("#token-name", "axe token")
    with page.expect_navigation():
        page.click("main form[action='/account/tokens'] button[type=submit]")
    expect(page.locator("main code.secret")).to_be_visible()
    auditor.check("/account (new token)")

    assert len(auditor.audited) == 12
    assert not auditor.violations, (
        f"axe found serious or critical WCAG 2.1 AA violations:\n{describe(auditor.violations)}"
    )


def test_language_switch_link_changes_html_lang(open_context: Any) -> None:
    page = open_context("en")
    page.goto("/orgs")
    assert html_lang(page) == "en"
    with page.expect_navigation():
        page.click("header a[hreflang='zh-Hant']")
    assert page.url.endswith("/orgs")
    assert html_lang(page) == "zh-Hant"
    expect(page.locator("h1")).to_have_text("機構")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("aiplus_lang") == "zh-Hant"

    # The choice outlives the page, though the browser still asks for English.
    page.goto("/")
    assert html_lang(page) == "zh-Hant"
    with page.expect_navigation():
        page.click("header a[hreflang='en']")
    assert html_lang(page) == "en"
    expect(page.locator("h1")).to_have_text("Applications on AI Plus")


def test_job_from_form_shows_live_progress_until_it_succeeds(
    open_context: Any, factory: Factory, platform: Platform
) -> None:
    member = factory.member("job-officer")
    # Hold the job at its start until the page is polling, so the live update is what we see.
    release = threading.Event()
    kind = platform.jobs.kinds[SNAPSHOT_JOB]

    def held(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any] | None:
        if not release.wait(30):
            raise TimeoutError("the test never released the job")
        return kind.function(ctx, params)

    platform.jobs.kinds[SNAPSHOT_JOB] = dataclasses.replace(kind, function=held)
    try:
        page = open_context("en")
        sign_in(page, member.username, next_path="/jobs")
        assert page.url.endswith("/jobs")
        page.select_option("#kind", SNAPSHOT_JOB)
        with page.expect_navigation():
            page.click("main form[action='/jobs'] button[type=submit]")
        job_path = urlsplit(page.url).path
        assert re.fullmatch(r"/jobs/[0-9a-f]{32}", job_path), page.url

        progress = page.locator("#job-progress")
        expect(progress).to_have_attribute("hx-get", re.compile(r"/progress$"))
        expect(progress.locator("[class^=status-]")).to_have_text(re.compile("^(queued|running)$"))
        page.evaluate("window.sameDocument = true")
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        release.set()

        expect(progress.locator(".status-succeeded")).to_have_text("succeeded", timeout=15_000)
        assert page.locator("#job-bar").evaluate("bar => bar.value") == 100
        expect(progress).not_to_have_attribute("hx-get", re.compile(".*"))  # polling stops
        expect(progress).to_contain_text('"sha256"')
        assert page.evaluate("window.sameDocument") is True, "the page was reloaded"
        paths = [urlsplit(url).path for url in requests]
        assert f"{job_path}/progress" in paths and job_path not in paths
    finally:
        release.set()


def test_sign_out(open_context: Any, factory: Factory) -> None:
    member = factory.member("leaving-officer")
    page = open_context("zh-Hant")
    sign_in(page, member.username, next_path="/account")
    assert page.url.endswith("/account")
    expect(page.locator("h1")).to_have_text("你的帳戶")

    with page.expect_navigation():
        page.click("header form[action='/logout'] button[type=submit]")
    assert urlsplit(page.url).path == "/"
    expect(page.locator("header a[href='/login']")).to_be_visible()
    expect(page.locator("header form[action='/logout']")).to_have_count(0)

    page.goto("/account")  # signed out: the account page sends you to sign in
    assert "/login?next=%2Faccount" in page.url
