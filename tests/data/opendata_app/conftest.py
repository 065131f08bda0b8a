import pytest
from typer.testing import CliRunner

from aiplus.cli import cli

runner = CliRunner()


@pytest.fixture
def invoke(settings, monkeypatch):
    """Run the ``aiplus`` CLI against the test's home and database."""
    monkeypatch.setenv("AIPLUS_HOME", str(settings.home))
    monkeypatch.setenv("AIPLUS_DATABASE_URL", settings.sqlalchemy_url)
    monkeypatch.setenv("AIPLUS_SECRET_KEY", "opendata-cli-test-secret")
    monkeypatch.setenv("AIPLUS_LOG_LEVEL", "WARNING")

    def run(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def search(client):
    """package_search through the HTTP API; returns the result object."""

    def call(language: str = "en", **params):
        response = client.get("/api/3/action/package_search", params=params,
                              headers={"Accept-Language": language})
        assert response.status_code == 200, response.text
        return response.json()["result"]

    return call
