"""The default backend: a pool of worker threads in the serving process."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from aiplus.compute.jobs import JobFunction, execute
from aiplus.core.db import Database
from aiplus.core.settings import Settings


class LocalBackend:
    name = "local"

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._pool = ThreadPoolExecutor(settings.job_workers, thread_name_prefix="aiplus-job")

    def submit(self, job_id: str, function: JobFunction) -> None:
        self._pool.submit(execute, self.db, self.settings, job_id, function)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
