"""Settings read from ``AIPLUS_*`` environment variables, with safe embedded defaults.

Every piece of state lives under one home folder (``AIPLUS_HOME``) so that two instances with
different homes never share a database file, an upload or a cache.
"""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MAX_TOKEN_DAYS = 3650  # ten years: longer is a secret nobody will remember to revoke


def normal_host(host: str) -> str:
    """A URL's host as host lists compare it: no letter case, brackets or final dot."""
    return host.strip().lower().strip("[]").rstrip(".")


class Settings(BaseSettings):
    """The platform's configuration; one instance per running app."""

    model_config = SettingsConfigDict(env_prefix="AIPLUS_", extra="ignore")

    home: Path = Field(default=Path("./var"), description="Folder holding all state.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is SQLite at HOME/aiplus.db."
    )
    secret_key: str | None = Field(
        default=None, description="Signs session cookies; generated into HOME if unset."
    )
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    job_backend: Literal["local", "ray"] = "local"
    job_workers: int = Field(default=2, ge=1, le=64)
    workers: int | None = Field(
        default=None, ge=1, le=64,
        description="Server processes; default one per core on PostgreSQL, one on SQLite.",
    )
    ray_address: str | None = Field(
        default=None, description="Ray cluster address, or 'auto' for a local Ray instance."
    )
    public_url: str | None = Field(
        default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        description="The portal's address as users reach it (e.g. https://data.example.hk) when "
                    "it runs behind a proxy; links are built from each request's address if unset.")
    cache_ttl_seconds: float = Field(default=5.0, ge=0)
    public_rate_limit: int = Field(default=30, ge=1, description="Requests per window.")
    public_rate_window_seconds: float = Field(default=60.0, gt=0)
    token_days: int = Field(default=90, ge=1, le=MAX_TOKEN_DAYS)
    login_failures_per_account: int = Field(
        default=5, ge=1, description="Failed sign-ins one account may have per window."
    )
    login_failures_per_address: int = Field(
        default=20, ge=1, description="Failed sign-ins one client address may make per window."
    )
    login_failure_window_seconds: float = Field(default=15 * 60, gt=0)
    metrics_token: str | None = Field(
        default=None, pattern=r"^aim_[A-Za-z0-9_-]{32,}$",
        description="Bearer token a Prometheus scraper sends for /metrics: aim_ and 32 or more "
        "random letters, digits, - or _ (e.g. aim_$(openssl rand -hex 32)).",
    )
    metrics_public: bool = Field(
        default=False, description="Serve /metrics to anyone, e.g. on a private network."
    )
    webhook_allowed_hosts: Annotated[frozenset[str], NoDecode] = Field(
        default=frozenset(),
        description="Comma-separated hosts alert webhooks may reach although they are private "
        "addresses (e.g. an internal chat server); every other host must be public.",
    )
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    log_level: str = "INFO"
    json_logs: bool = True
    secure_cookies: bool = False

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("webhook_allowed_hosts", mode="before")
    @classmethod
    def _host_list(cls, value: object) -> object:
        """``a.example, 10.0.0.5, [fd00::1]`` from the environment, or a list in code."""
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset):
            return value
        return frozenset(normal_host(str(item)) for item in items if str(item).strip())

    @property
    def files_dir(self) -> Path:
        return self.home / "files"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def sqlalchemy_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'aiplus.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @cached_property
    def session_secret(self) -> str:
        """The configured secret, or one generated once and kept (mode 600) in HOME."""
        if self.secret_key:
            return self.secret_key
        path = self.home / "secret.key"
        if not path.exists():
            self.ensure_home()
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    def ensure_home(self) -> None:
        for folder in (self.home, self.files_dir, self.cache_dir):
            folder.mkdir(parents=True, exist_ok=True)

    def for_worker(self) -> dict[str, object]:
        """What a job worker in another process needs to rebuild these settings."""
        return self.model_dump(mode="json")
