"""The federation pages in a real browser (Debian Chromium, axe-core), signed in as the
demo federation's officer, in English and Traditional Chinese, on a desktop and at 320 px:
the federation page with its tables and run form, the form's error state, and a run page
with its round journal. No serious or critical WCAG 2.1 AA violation is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from aiplus.apps.federated.demo import DEMO_ORG, load_demo_federation
from aiplus.apps.federated.tables import RoundRecord, Run
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
)

pytestmark = pytest.mark.browser


def a_finished_run(platform: Platform) -> int:
    """A run row with a two-round journal, as a finished job leaves it."""
    with platform.db.transaction() as session:
        run = Run(org=DEMO_ORG[0], created_by="fl-axe", status="done",
                  settings={"model": "lr", "strategy": "fedavg", "rounds": 2, "secagg": False},
                  participant_ids=[1, 2], results=None)
        session.add(run)
        session.flush()
        for number in (1, 2):
            session.add(RoundRecord(run_id=run.id, number=number, joined=["1"],
                                    norms={"0": 0.41, "1": 512.0},
                                    rejected=[{"participant": 1, "reason": "norm-outlier"}],
                                    failures=[], epsilon_spent=None))
        return run.id


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_federation_pages_pass_axe(lang: str, viewport: str, open_context: Any,  # noqa: F811
                                   factory: Factory, platform: Platform) -> None:
    platform.migrate()
    load_demo_federation(platform)
    officer = factory.member("fl-axe", org=DEMO_ORG[0], role="officer")
    run_id = a_finished_run(platform)
    page = open_context(lang, viewport)
    auditor = Auditor(page, lang)
    sign_in(page, officer.username, next_path="/federated")
    auditor.visit("/federated")
    expect(page.locator("main form[action='/federated/runs']")).to_be_visible()
    page.fill("#fl-partition", "zipf")
    with page.expect_navigation():
        page.click("main form[action='/federated/runs'] button[type=submit]")
    expect(page.locator("main [role=alert]")).to_be_visible()
    auditor.check("/federated (form error)")
    auditor.visit(f"/federated/runs/{run_id}")
    expect(page.locator("main table")).to_be_visible()
    assert not auditor.violations, (
        f"axe found serious or critical WCAG 2.1 AA violations:\n{describe(auditor.violations)}")
