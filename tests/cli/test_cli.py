import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from aiplus.cli import cli

runner = CliRunner()


@pytest.fixture
def invoke(settings, monkeypatch):
    monkeypatch.setenv("AIPLUS_HOME", str(settings.home))
    monkeypatch.setenv("AIPLUS_DATABASE_URL", settings.sqlalchemy_url)
    monkeypatch.setenv("AIPLUS_SECRET_KEY", "cli-test-secret")

    def run(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


def test_orgs_users_tokens_and_audit(invoke, client):
    assert invoke("migrate").exit_code == 0
    made = invoke("orgs", "create", "hk-td", "--name-en", "Transport Department",
                  "--name-zh", "運輸署")
    assert made.exit_code == 0 and json.loads(made.stdout)["name"]["zh-Hant"] == "運輸署"
    user = invoke("users", "create", "ann", "--org", "hk-td", "--role", "data_steward")
    assert json.loads(user.stdout)["roles"] == {"hk-td": "data_steward"}
    token = invoke("tokens", "create", "ann").stdout.strip()
    assert token.startswith("aip_")
    me = client.get("/api/me", headers={"Authorization": token}).json()
    assert me["roles"] == {"hk-td": "data_steward"}
    verified = invoke("audit", "verify")
    assert verified.exit_code == 0 and "3 entries" in verified.stdout


def test_bad_input_gives_one_clear_line(invoke):
    invoke("orgs", "create", "hk-td", "--name-en", "TD", "--name-zh", "運輸署")
    again = runner.invoke(cli, ["orgs", "create", "hk-td", "--name-en", "TD", "--name-zh", "運輸署"])
    assert again.exit_code != 0
    role = invoke("users", "create", "ann", "--org", "hk-td", "--role", "emperor")
    assert role.exit_code == 2 and "emperor" in role.output


def test_main_turns_domain_errors_into_a_message(settings, monkeypatch, capsys):
    import subprocess
    import sys

    env = {"AIPLUS_HOME": str(settings.home), "AIPLUS_DATABASE_URL": settings.sqlalchemy_url,
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "aiplus", "users", "create", "ann",
                             "--org", "nowhere"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "There is no organisation called nowhere" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_audit_verify_names_the_first_bad_entry(invoke, platform):
    invoke("demo", "load", "--app", "ai-register")
    with platform.db.transaction() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        else:
            session.execute(text("DROP TRIGGER audit_log_no_update"))
        session.execute(text("UPDATE audit_log SET target = 'forged' WHERE seq = 4"))
    result = invoke("audit", "verify")
    assert result.exit_code == 1 and "BROKEN at entry 4" in result.stdout


def test_demo_load_is_idempotent_and_keeps_credentials_private(invoke, settings):
    first = invoke("demo", "load")
    assert "demo-admin" in first.stdout
    credentials = settings.home / "demo-credentials.txt"
    assert credentials.stat().st_mode & 0o777 == 0o600
    assert "already present" in invoke("demo", "load").stdout


def test_demo_load_refuses_an_unknown_app(invoke):
    result = runner.invoke(cli, ["demo", "load", "--app", "no-such-app"])
    assert result.exit_code == 2 and "no app with slug no-such-app" in result.output


def test_jobs_run_shows_progress_and_result(invoke):
    invoke("demo", "load", "--app", "ai-register")
    result = invoke("jobs", "run", "ai-register.snapshot", "--as", "demo-reviewer")
    assert result.exit_code == 0, result.stdout
    assert '"status": "succeeded"' in result.stdout
    assert "100%" in result.stdout


def test_unknown_benchmark_is_refused(invoke, tmp_path):
    result = invoke("bench", "nope", "--out", str(tmp_path))
    assert result.exit_code == 1 and "Unknown benchmark" in result.stdout
