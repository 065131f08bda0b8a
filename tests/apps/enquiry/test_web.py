"""The portal pages: the public chat page works as a plain form without JavaScript in both
languages; the officer console shows KBs, review, hand-overs, calls, outbox and analytics."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from aiplus.apps.enquiry.answering import Enquiries
from aiplus.platform.services import Platform
from tests.apps.enquiry.conftest import Team, csrf_of

HTML = {"Accept": "text/html"}


def _ask(client: TestClient, text: str, **extra: str):  # type: ignore[no-untyped-def]
    form = {"csrf_token": csrf_of(client), "text": text, "kb": "1823", **extra}
    return client.post("/enquiry", data=form, headers=HTML)


@pytest.mark.parametrize(("lang", "question", "expected"), [
    ("en", "What should I do if I lose my Hong Kong identity card?", "Registration of Persons"),
    ("zh-Hant", "遺失香港身份證應該怎樣做？", "人事登記辦事處"),
])
def test_chat_form_answers_without_javascript(lang: str, question: str, expected: str, kb: str,
                                              client: TestClient) -> None:
    client.cookies.set("aiplus_lang", lang)
    page = client.get("/enquiry", headers=HTML)
    assert page.status_code == 200 and f'<html lang="{lang}">' in page.text
    assert '<form method="post" action="/enquiry">' in page.text
    answered = _ask(client, question)
    assert answered.status_code == 200
    assert expected in answered.text
    conversation = re.search(r'name="conversation_id" value="([0-9a-f]{32})"', answered.text)
    assert conversation, "the answer page carries the conversation on for a follow-up"
    follow = _ask(client, "what about the fee?", conversation_id=conversation.group(1))
    assert follow.status_code == 200 and conversation.group(1) in follow.text


def test_chat_form_shows_errors_and_hand_overs(kb: str, client: TestClient) -> None:
    empty = _ask(client, "   ")
    assert empty.status_code == 400 and 'role="alert"' in empty.text
    handed = _ask(client, "Who will win the football match tonight?")
    assert handed.status_code == 200 and re.search(r"H-[0-9A-F]{8}", handed.text)
    # Without the session's CSRF token a cross-site form post is refused.
    forged = client.post("/enquiry", data={"text": "hello"}, headers=HTML)
    assert forged.status_code == 403


def test_chat_page_has_a_json_twin(kb: str, client: TestClient) -> None:
    assert client.get("/enquiry?format=json").json()["kb"] == "1823"


def test_console_pages_for_an_officer(kb: str, team: Team, client: TestClient,
                                      enquiry_platform: Platform) -> None:
    Enquiries(enquiry_platform).ask("Who will win the football match tonight?", kb=kb)
    headers = {**HTML, **team.officer.headers}
    anonymous = client.get("/enquiry/console", headers=HTML, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    for path, text in (("/enquiry/console", "1823 government services"),
                       (f"/enquiry/console/kb/{kb}", "id-replace-lost"),
                       (f"/enquiry/console/kb/{kb}/faq/id-replace-lost", "Registration of Persons"),
                       (f"/enquiry/console/kb/{kb}/faq", "f-q"),
                       ("/enquiry/console/handovers", "football"),
                       ("/enquiry/console/calls", "<h1>"),
                       ("/enquiry/console/outbox", "<table>"),
                       ("/enquiry/console/analytics", "football")):
        page = client.get(path, headers=headers, follow_redirects=False)
        assert page.status_code == 200, path
        assert text in page.text, path


def test_console_faq_form_saves_a_version_for_review(kb: str, team: Team,
                                                     client: TestClient) -> None:
    headers = {**HTML, **team.officer.headers}
    form = {"faq_id": "dog-licence", "question": "How do I licence my dog?",
            "answer": "At an AFCD animal management centre.", "category": "pets",
            "department": "AFCD", "action": "submit"}
    saved = client.post(f"/enquiry/console/kb/{kb}/faq", data=form, headers=headers,
                        follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"], headers=headers)
    assert "pending_review" in page.text
    bad = client.post(f"/enquiry/console/kb/{kb}/faq", data={**form, "answer": ""},
                      headers=headers)
    assert bad.status_code == 422 and 'role="alert"' in bad.text


def test_language_from_the_url_sticks_after_the_form_is_sent(kb: str, client: TestClient) -> None:
    """Issue 27: a page opened with ?lang=zh-Hant and no saved choice answers its form in
    Chinese, not in the browser's default language."""
    page = client.get("/enquiry?lang=zh-Hant", headers=HTML)
    assert page.status_code == 200 and '<html lang="zh-Hant">' in page.text
    assert page.cookies.get("aiplus_lang") == "zh-Hant"
    answered = _ask(client, "遺失香港身份證應該怎樣做？")
    assert answered.status_code == 200 and '<html lang="zh-Hant">' in answered.text
    back = client.get("/enquiry?lang=en", headers=HTML)
    assert back.cookies.get("aiplus_lang") == "en"
    assert '<html lang="en">' in _ask(client, "How do I renew a passport?").text
