"""``gateway keys create`` prints a key that then authenticates."""

import pytest
from typer.testing import CliRunner

from aiplus.core.settings import Settings
from aiplus.gateway.cli import cli as gateway_cli
from aiplus.gateway.keys import authenticate_key
from aiplus.platform.services import Platform
from tests.factories import Factory


def test_keys_create_prints_a_working_secret(platform: Platform, settings: Settings,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    Factory(platform).org("hk-td")
    monkeypatch.setenv("AIPLUS_HOME", str(settings.home))
    monkeypatch.setenv("AIPLUS_DATABASE_URL", settings.sqlalchemy_url)
    result = CliRunner().invoke(gateway_cli, ["keys", "create", "--org", "hk-td", "--name",
                                              "chatbot", "--requests-per-minute", "5"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip()
    with platform.db.read() as session:
        grant = authenticate_key(session, secret)
    assert grant.org == "hk-td" and grant.name == "chatbot"

    refused = CliRunner().invoke(gateway_cli, ["keys", "create", "--org", "no-such-org",
                                               "--name", "x"])
    assert refused.exit_code == 1 and "no-such-org" in refused.output
