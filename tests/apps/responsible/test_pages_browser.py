"""The responsible-AI pages in a real browser (Debian Chromium, axe-core), in English and
Traditional Chinese, on a desktop (English) and at 320 px (Chinese): the registry, a model's card with its test
results, the fairness check with its result and its error, and an assessment report. No
serious or critical WCAG 2.1 AA violation is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aiplus.core.i18n import Bilingual
from aiplus.ethics.assessment.store import start
from aiplus.ethics.assurance.contract import AssuranceData
from aiplus.ethics.assurance.store import run_suite, store_suite
from aiplus.models.registry import CardText, Lineage, register_version
from tests.apps.responsible.conftest import upload_csv
from tests.platform.test_browser import (  # noqa: F401 (fixtures)
    Auditor,
    browser,
    live_url,
    open_context,
    sign_in,
)

pytestmark = pytest.mark.browser
TEXT = Bilingual("Rank card holders by risk.", "按風險排列持卡人。")


@pytest.fixture(scope="module")
def suite(small_credit):
    data = AssuranceData.from_model(
        small_credit.model.score, small_credit.test_features.iloc[:2000],
        small_credit.test_label[:2000], sensitive=small_credit.test_sensitive.iloc[:2000],
        tree_model=small_credit.booster)
    return run_suite(data, ["fairness", "performance", "explainability"], {
        "fairness": {"bootstrap": 10}, "explainability": {"sample": 100}})


@pytest.mark.parametrize(("lang", "viewport"), [("en", "desktop"), ("zh-Hant", "phone")])
def test_responsible_pages_pass_axe(lang: str, viewport: str, open_context: Any,  # noqa: F811
                                    platform, team, small_credit, suite, tmp_path) -> None:
    with platform.db.transaction() as session:
        row = register_version(
            session, platform.files, name="credit-test", version="1.0.0", kind="lightgbm",
            org="demo-bank", actor="ann", title=Bilingual("Credit test", "信貸測試"),
            card=CardText(TEXT, TEXT, TEXT, TEXT),
            lineage=Lineage("uci-credit", file_sha256=small_credit.data_sha256),
            artefact=small_credit.artefact)
        store_suite(session, row, suite, "ann")
        assessment = start(session, team.analyst.principal, row, {"decisions": "recommends"})
    page = open_context(lang, viewport)
    auditor = Auditor(page, lang)
    sign_in(page, team.analyst.username, next_path="/responsible")
    for path in ("/responsible", "/register", "/responsible/models/credit-test/versions/1.0.0",
                 f"/responsible/assessments/{assessment.id}", "/responsible/fairness"):
        auditor.visit(path)

    predictions = tmp_path / "predictions.csv"
    predictions.write_bytes(upload_csv(small_credit, rows=400))
    page.set_input_files("#f-file", str(predictions))
    page.fill("#f-label", "label")
    page.fill("#f-pred", "EDUCATION")  # not binary: a clear error naming the column
    page.fill("#f-sensitive", "SEX")
    with page.expect_navigation():
        page.click("main form[action='/responsible/fairness'] button[type=submit]")
    expect(page.locator("main [role=alert]")).to_contain_text("EDUCATION")
    auditor.check("/responsible/fairness (error)")
    page.set_input_files("#f-file", str(predictions))
    page.fill("#f-pred", "label")
    page.fill("#f-sensitive", "SEX,AGE_BAND")
    with page.expect_navigation():
        page.click("main form[action='/responsible/fairness'] button[type=submit]")
    expect(page.locator("#groups-caption")).to_be_visible()
    auditor.check("/responsible/fairness (result)")
    assert not auditor.violations, auditor.violations
