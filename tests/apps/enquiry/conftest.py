"""Fixtures of the enquiry service's tests: the app's tables, a small bilingual knowledge base
(the demo FAQs, approved) and the people who work on it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from aiplus.apps.enquiry.demo import demo_kb_bytes, load_demo_kb
from aiplus.apps.enquiry.settings import enquiry_settings
from aiplus.platform.services import Platform
from tests.factories import Factory, Member

ORG = "hk-effo"
KB = "1823"


@pytest.fixture(autouse=True)
def manual_question_translation(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Approvals start no translation job (it would run the local LLM in the background of
    unrelated tests); the test of that trigger switches it back on."""
    monkeypatch.setenv("AIPLUS_ENQUIRY_AUTO_TRANSLATE_QUESTIONS", "false")
    enquiry_settings.cache_clear()
    yield
    enquiry_settings.cache_clear()


@pytest.fixture
def enquiry_platform(platform: Platform) -> Platform:
    """The platform with the enquiry tables (the app's own migration branch)."""
    platform.migrate()
    return platform


def demo_rows() -> list[dict[str, object]]:
    return json.loads(demo_kb_bytes())  # type: ignore[no-any-return]


@dataclass
class Team:
    officer: Member
    reviewer: Member
    outsider: Member


@pytest.fixture
def team(enquiry_platform: Platform, factory: Factory) -> Team:
    # No passwords: hashing them (Argon2) is slow on purpose; tokens are all the tests use.
    return Team(officer=factory.member("ivy-officer", org=ORG, role="officer", password=None),
                reviewer=factory.member("rex-reviewer", org=ORG, role="reviewer", password=None),
                outsider=factory.member("olga-other", org="hk-td", role="officer", password=None))


@pytest.fixture
def kb(enquiry_platform: Platform, team: Team) -> str:
    """The demo knowledge base "1823" of hk-effo, approved (as ``make run`` loads it)."""
    load_demo_kb(enquiry_platform)
    return KB


def csrf_of(client: TestClient) -> str:
    """The CSRF token of the client's session, as the chat page's form carries it: anonymous
    form and multipart posts need it (the platform's rule against cross-site posts)."""
    page = client.get("/enquiry", headers={"Accept": "text/html"})
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the chat page carries no CSRF token"
    return found.group(1)
