"""Bilingual portal: the catalogue covers every source string, and requests get their language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from fastapi.testclient import TestClient

from aiplus.compute.jobs import JobStatus
from aiplus.core.i18n import CATALOGUE_DIR, LANG_COOKIE, translator
from aiplus.core.identity import OrgKind, Role
from aiplus.data.catalog.search import FACET_FIELDS
from aiplus.data.catalog.validation import CLASSIFICATIONS, FREQUENCIES
from aiplus.platform.registry import AppRegistry
from aiplus.platform.web.labels import LABELS

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u9fff]")
# The risk levels an impact assessment may state (see web/labels.py).
RISK_LEVELS = ("low", "medium", "high", "very high")


def source_messages() -> dict[str, str]:
    """Every msgid in the source tree, extracted exactly as ``pybabel extract -F babel.cfg``."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        assert isinstance(message, str), f"{filename}:{lineno}: plural forms are not supported"
        found.setdefault(message, f"{filename}:{lineno}")
    return found


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_extraction_sees_python_markers_and_template_calls() -> None:
    found = source_messages()
    # N_() in Python, translate(N_(...)) at call sites, and _() in the apps' templates,
    # including the open data pages and the spatial module's Python and map preview.
    for expected in ("Nothing was found at this address.", "Job: {kind}", "Error {status}",
                     "AI register", "Skip to main content", "very high",
                     "{apps} applications and {models} models are registered.",
                     "Publish a dataset", "Must be at most {limit} characters.", "real-time",
                     "There is no collection called {id}.", "Map of {title}"):
        assert expected in found, expected
    assert found["Map of {title}"].startswith("src/aiplus/data/spatial/templates/")
    assert not any(location.startswith("tests") for location in found.values())
    assert (CATALOGUE_DIR / "messages.pot").exists()


def test_every_source_string_has_a_traditional_chinese_translation() -> None:
    messages = translator("zh-Hant").messages  # as the portal loads it: fuzzy entries don't count
    problems = []
    for msgid, where in sorted(source_messages().items()):
        translated = messages.get(msgid, "").strip()
        if not translated:
            problems.append(f"{where}: no zh_Hant translation for {msgid!r}")
        elif placeholders(translated) != placeholders(msgid):
            problems.append(f"{where}: placeholders differ in {msgid!r} -> {translated!r}")
        else:
            translated.format(**{name: "x" for name in placeholders(msgid)})  # still formats
    assert not problems, "\n".join(problems)


def test_enum_values_and_risk_levels_have_labels() -> None:
    shown = [*JobStatus, *Role, *OrgKind]
    missing = [value.value for value in shown if value.value not in LABELS]
    risks = {app.assessment.risk_level for app in AppRegistry.discover()} | set(RISK_LEVELS)
    missing += sorted(risk for risk in risks if risk not in LABELS)
    # Open data values the /data pages show through _(): frequencies, classifications, facets.
    missing += [value for value in (*FREQUENCIES, *CLASSIFICATIONS, *FACET_FIELDS)
                if value not in LABELS]
    assert not missing, f"add these to aiplus/platform/web/labels.py: {missing}"
    zh = translator("zh-Hant")
    assert all(CJK.search(zh(label)) for label in LABELS)


def test_accept_language_picks_chinese_and_query_overrides(client: TestClient) -> None:
    chinese = client.get("/", headers={"Accept-Language": "zh-HK,zh;q=0.9,en;q=0.8"})
    assert chinese.status_code == 200
    assert '<html lang="zh-Hant">' in chinese.text
    assert chinese.headers["content-language"] == "zh-Hant"
    title = re.search(r"<title>(.*?)</title>", chinese.text, re.S)
    assert title and CJK.search(title.group(1)), title
    assert "<h1>AI Plus 上的應用</h1>" in chinese.text

    english = client.get("/?lang=en", headers={"Accept-Language": "zh-HK"})
    assert '<html lang="en">' in english.text
    assert "<title>Applications on AI Plus · AI Plus</title>" in english.text
    assert not CJK.search(english.text.split("<body", 1)[1].replace("繁體中文", ""))


def test_language_switch_sets_cookie_and_redirects_locally(client: TestClient) -> None:
    response = client.get("/lang/zh-Hant?next=/orgs", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/orgs"
    assert f"{LANG_COOKIE}=zh-Hant" in response.headers["set-cookie"]

    page = client.get("/orgs")  # the client now carries the cookie
    assert '<html lang="zh-Hant">' in page.text and "<h1>機構</h1>" in page.text


@pytest.mark.parametrize("target", [
    "https://evil.example", "//evil.example/orgs", "evil.example", "/\t/evil.example", "",
])
def test_language_switch_never_redirects_off_site(client: TestClient, target: str) -> None:
    response = client.get("/lang/en", params={"next": target}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_language_switch_keeps_odd_local_paths_local(client: TestClient) -> None:
    # Browsers read a raw backslash as a slash, so "/\\host" must not reach them unescaped.
    response = client.get("/lang/en", params={"next": "/\\evil.example"}, follow_redirects=False)
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location


def test_unknown_language_is_not_found(client: TestClient) -> None:
    assert client.get("/lang/fr", follow_redirects=False).status_code == 404


def test_api_errors_speak_chinese(client: TestClient) -> None:
    response = client.get("/api/orgs/nope", headers={"Accept-Language": "zh-HK"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert error["message"] == "沒有名為 nope 的機構。"

    english = client.get("/api/orgs/nope", headers={"Accept-Language": "en"})
    assert english.json()["error"]["message"] == "There is no organisation called nope."


def test_error_page_speaks_chinese(client: TestClient) -> None:
    response = client.get("/no-such-page", headers={"Accept-Language": "zh-HK"})
    assert response.status_code == 404
    assert "<title>錯誤 404 · AI Plus</title>" in response.text
    assert "這個網址沒有任何內容。" in response.text
