"""``aiplus enquiry import/export`` against the test's database and home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aiplus.apps.enquiry.cli import cli
from aiplus.apps.enquiry.demo import LOADER
from aiplus.apps.enquiry.service import KnowledgeBases
from aiplus.core import identity
from aiplus.core.settings import Settings
from aiplus.platform.services import Platform
from tests.apps.enquiry.conftest import Team, demo_kb_bytes

runner = CliRunner()


@pytest.fixture
def environment(settings: Settings, enquiry_platform: Platform,
                monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI builds its own platform from AIPLUS_* variables: point them at this test's."""
    monkeypatch.setenv("AIPLUS_HOME", str(settings.home))
    monkeypatch.setenv("AIPLUS_DATABASE_URL", settings.sqlalchemy_url)
    monkeypatch.setenv("AIPLUS_SECRET_KEY", "cli-test-secret")


def test_import_is_idempotent_and_export_round_trips(environment: None, tmp_path: Path,
                                                     enquiry_platform: Platform) -> None:
    source = tmp_path / "faqs.json"
    source.write_bytes(demo_kb_bytes())
    count = len(json.loads(demo_kb_bytes()))
    first = runner.invoke(cli, ["import", str(source), "--kb", "demo", "--org", "hk-1823-cli"])
    assert first.exit_code != 0 and "organisation" in first.output.lower()  # no such org yet
    with enquiry_platform.db.transaction() as session:
        identity.create_org(session, "hk-1823-cli", "1823", "1823", "department")
    first = runner.invoke(cli, ["import", str(source), "--kb", "demo", "--org", "hk-1823-cli"])
    assert first.exit_code == 0, first.output
    assert f"{count} new versions" in first.output
    again = runner.invoke(cli, ["import", str(source), "--kb", "demo"])
    assert again.exit_code == 0 and "0 new versions" in again.output

    for fmt in ("json", "jsonl", "csv"):
        target = tmp_path / f"out.{fmt}"
        exported = runner.invoke(cli, ["export", "--kb", "demo", "--format", fmt, str(target)])
        assert exported.exit_code == 0, exported.output
        back = runner.invoke(cli, ["import", str(target), "--kb", "demo"])
        assert back.exit_code == 0 and "0 new versions" in back.output, (fmt, back.output)
    assert len(KnowledgeBases(enquiry_platform).export("demo")) == count


def test_bad_rows_fail_with_their_row_numbers(environment: None, kb: str, team: Team,
                                              tmp_path: Path, enquiry_platform: Platform) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,question,answer\nfine,Q?,A.\nbad id,Q?,A.\n", encoding="utf-8")
    result = runner.invoke(cli, ["import", str(bad), "--kb", kb])
    assert result.exit_code == 1
    assert "row 2, id" in result.output
    assert "fine" not in {f["faq_id"] for f in KnowledgeBases(enquiry_platform).faqs(LOADER, kb)}
    # As a named officer the import waits for review instead of going live.
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "fine", "question": "Q?", "answer": "A."}) + "\n",
                    encoding="utf-8")
    as_officer = runner.invoke(cli, ["import", str(good), "--kb", kb, "--as", team.officer.username])
    assert as_officer.exit_code == 0, as_officer.output
    assert KnowledgeBases(enquiry_platform).faq(LOADER, kb, "fine")["live"] is None
    unknown = runner.invoke(cli, ["export", "--kb", "no-such-kb"])
    assert unknown.exit_code == 1
