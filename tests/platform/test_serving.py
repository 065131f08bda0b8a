"""How many server processes ``aiplus serve`` starts, and when it refuses several."""

import pytest

from aiplus.core.errors import ValidationFailed
from aiplus.core.settings import Settings
from aiplus.platform import serving

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def test_one_worker_per_core_on_postgresql_capped(tmp_path, monkeypatch):
    monkeypatch.delenv("AIPLUS_WORKERS", raising=False)
    for cores, expected in ((None, 1), (2, 2), (64, serving.MAX_DEFAULT_WORKERS)):
        monkeypatch.setattr(serving.os, "cpu_count", lambda cores=cores: cores)
        assert serving.default_workers(Settings(home=tmp_path, database_url=POSTGRES)) == expected


def test_sqlite_serves_from_one_process_and_the_setting_wins(tmp_path, monkeypatch):
    monkeypatch.delenv("AIPLUS_WORKERS", raising=False)
    monkeypatch.setattr(serving.os, "cpu_count", lambda: 16)
    assert serving.default_workers(Settings(home=tmp_path)) == 1
    monkeypatch.setenv("AIPLUS_WORKERS", "3")
    assert serving.default_workers(Settings(home=tmp_path, database_url=POSTGRES)) == 3


def test_several_workers_on_sqlite_are_refused_before_anything_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("AIPLUS_HOME", str(tmp_path))
    monkeypatch.delenv("AIPLUS_DATABASE_URL", raising=False)
    with pytest.raises(ValidationFailed, match="PostgreSQL"):
        serving.serve("127.0.0.1", 0, workers=2, migrate_first=True)
    assert not (tmp_path / "aiplus.db").exists()  # refused before migrating


def test_serve_makes_the_session_key_once_then_hands_over_to_uvicorn(tmp_path, monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setenv("AIPLUS_HOME", str(tmp_path))
    monkeypatch.delenv("AIPLUS_DATABASE_URL", raising=False)
    monkeypatch.delenv("AIPLUS_SECRET_KEY", raising=False)
    monkeypatch.delenv("AIPLUS_WORKERS", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options, app=app))
    serving.serve("127.0.0.1", 8123, workers=None, migrate_first=False)
    assert (tmp_path / "secret.key").exists()  # before any worker could race to write it
    assert started["app"] == serving.ASGI_APP and started["workers"] == 1
    assert started["port"] == 8123 and started["proxy_headers"] is False
