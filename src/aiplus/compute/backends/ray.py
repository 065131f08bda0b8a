"""Scale-out backend: each job runs as a Ray task, on a cluster or a local Ray instance.

The task rebuilds the settings and database connection in the Ray worker and calls the same
:func:`aiplus.compute.jobs.execute` as the local backend, so a job behaves identically on both.
``AIPLUS_RAY_ADDRESS=auto`` (or unset) starts a Ray instance on this machine; any other value
is the address of a running cluster, whose workers must reach the same database.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import ray

from aiplus.compute.jobs import JobFunction, execute
from aiplus.core.db import Database
from aiplus.core.settings import Settings

_init_lock = threading.Lock()


@lru_cache(maxsize=4)
def _worker_database(url: str) -> Database:
    return Database(url)


def _run_in_worker(settings_data: dict[str, Any], job_id: str, function: JobFunction) -> str:
    settings = Settings(**settings_data)
    return execute(_worker_database(settings.sqlalchemy_url), settings, job_id, function)


class RayBackend:
    name = "ray"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._task = ray.remote(num_cpus=1, max_retries=0)(_run_in_worker)

    def _connect(self) -> None:
        with _init_lock:
            if ray.is_initialized():
                return
            address = self.settings.ray_address
            if address in (None, "", "auto", "local"):
                ray.init(include_dashboard=False, log_to_driver=False, configure_logging=False)
            else:
                ray.init(address=address, log_to_driver=False)

    def submit(self, job_id: str, function: JobFunction) -> None:
        self._connect()
        self._task.remote(self.settings.for_worker(), job_id, function)

    def shutdown(self) -> None:
        """The Ray instance outlives the app; :func:`ray.shutdown` belongs to its owner."""
