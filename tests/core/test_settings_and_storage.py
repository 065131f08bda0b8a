import pytest

from aiplus.core.cache import ReadCache
from aiplus.core.errors import BadRequest
from aiplus.core.ratelimit import SlidingWindowLimiter
from aiplus.core.settings import Settings
from aiplus.core.storage import FileStore


def test_defaults_are_embedded_and_all_state_lives_under_home(tmp_path, monkeypatch):
    for name in ("AIPLUS_HOME", "AIPLUS_DATABASE_URL", "AIPLUS_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.home == tmp_path / "var"
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'var' / 'aiplus.db'}"
    assert settings.files_dir.parent == settings.home == settings.cache_dir.parent
    assert settings.job_backend == "local"


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("AIPLUS_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("AIPLUS_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("AIPLUS_JOB_BACKEND", "ray")
    settings = Settings()
    assert settings.home == tmp_path / "elsewhere"
    assert not settings.is_sqlite
    assert settings.job_backend == "ray"
    monkeypatch.setenv("AIPLUS_JOB_BACKEND", "carrier-pigeon")
    with pytest.raises(ValueError):
        Settings()


def test_two_homes_never_share_secrets_or_files(tmp_path):
    first, second = Settings(home=tmp_path / "a"), Settings(home=tmp_path / "b")
    assert first.session_secret != second.session_secret
    assert first.session_secret == Settings(home=tmp_path / "a").session_secret
    assert (tmp_path / "a" / "secret.key").stat().st_mode & 0o777 == 0o600
    FileStore(first.files_dir).write_bytes("x/report.txt", b"a")
    assert not FileStore(second.files_dir).exists("x/report.txt")


def test_file_store_refuses_escaping_keys(tmp_path):
    store = FileStore(tmp_path / "files")
    store.write_bytes("ok/file.bin", b"data")
    assert store.read_bytes("ok/file.bin") == b"data"
    for key in ("../outside", "/etc/passwd", "", "ok/../../x"):
        with pytest.raises(BadRequest):
            store.path(key)


def test_rate_limiter_slides():
    now = [0.0]
    limiter = SlidingWindowLimiter(2, 10, clock=lambda: now[0])
    assert limiter.hit("a") == 0 and limiter.hit("a") == 0
    assert limiter.hit("a") == pytest.approx(10)
    assert limiter.hit("b") == 0
    now[0] = 10.5
    assert limiter.hit("a") == 0


def test_read_cache_expires_and_clears():
    calls = []
    cache = ReadCache(ttl=60)
    compute = lambda: calls.append(1) or len(calls)  # noqa: E731
    assert cache.get_or_compute("k", compute) == 1
    assert cache.get_or_compute("k", compute) == 1
    cache.clear()
    assert cache.get_or_compute("k", compute) == 2
    assert ReadCache(ttl=0).get_or_compute("k", compute) == 3
