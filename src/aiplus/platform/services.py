"""The services one running platform instance holds, built once from its settings."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiplus.compute.backends import make_backend
from aiplus.compute.jobs import JobService
from aiplus.core.cache import ReadCache
from aiplus.core.db import Database
from aiplus.core.ratelimit import SlidingWindowLimiter
from aiplus.core.settings import Settings
from aiplus.core.storage import FileStore
from aiplus.platform import migrate
from aiplus.platform.registry import App, AppRegistry


@dataclass
class Platform:
    settings: Settings
    db: Database
    registry: AppRegistry
    jobs: JobService
    cache: ReadCache
    files: FileStore
    public_limiter: SlidingWindowLimiter
    _shared: dict[str, Any] = field(default_factory=dict)
    _shared_lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def build(cls, settings: Settings | None = None, extra_apps: Iterable[App] = ()) -> Platform:
        settings = settings or Settings()
        settings.ensure_home()
        db = Database(settings.sqlalchemy_url)
        registry = AppRegistry.discover(extra_apps)
        # the stamp lets every process on this home drop its cache when any one writes
        cache = ReadCache(settings.cache_ttl_seconds, stamp=settings.cache_dir / "written")
        db.on_commit(cache.clear)
        return cls(
            settings=settings,
            db=db,
            registry=registry,
            jobs=JobService(db, make_backend(db, settings), registry.jobs()),
            cache=cache,
            files=FileStore(settings.files_dir),
            public_limiter=SlidingWindowLimiter(
                settings.public_rate_limit, settings.public_rate_window_seconds
            ),
        )

    def migrate(self) -> None:
        migrate.upgrade(self.db, self.registry.migration_locations())

    def pending_migrations(self) -> set[str]:
        return migrate.pending(self.db, self.registry.migration_locations())

    def shared(self, key: str, make: Callable[[], Any]) -> Any:
        """A service made once per platform and shared (e.g. the DataStore connection); its
        ``close()`` runs when the platform closes."""
        with self._shared_lock:
            if key not in self._shared:
                self._shared[key] = make()
            return self._shared[key]

    def close(self) -> None:
        self.jobs.backend.shutdown()
        for service in self._shared.values():
            if callable(getattr(service, "close", None)):
                service.close()
        self._shared.clear()
        self.db.dispose()
