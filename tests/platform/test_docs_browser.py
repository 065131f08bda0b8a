"""The API reference page (/docs) in a real browser: page language, a title in that language,
and no serious axe finding once Swagger UI has drawn the operations (issue 27)."""

from __future__ import annotations

import pytest

from tests.platform.test_browser import (  # noqa: F401 (fixtures)
    AXE, AXE_OPTIONS, BLOCKING_IMPACTS, browser, describe, html_lang, live_url, open_context)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_api_docs_have_a_language_and_pass_axe(open_context, lang: str) -> None:
    page = open_context(lang)
    response = page.goto("/docs")
    assert response is not None and response.status == 200
    page.wait_for_selector(".opblock", timeout=20_000)
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body", timeout=10_000)
    assert html_lang(page) == lang
    assert ("API 參考" in page.title()) == (lang == "zh-Hant")
    results = AXE.run(page, options=AXE_OPTIONS).response
    found = [{**v, "where": f"/docs [{lang}]"} for v in results["violations"]
             if v.get("impact") in BLOCKING_IMPACTS]
    assert not found, describe(found)
