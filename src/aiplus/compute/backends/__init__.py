"""Where jobs run: a local worker pool (default) or a Ray cluster."""

from __future__ import annotations

from aiplus.compute.jobs import Backend
from aiplus.core.db import Database
from aiplus.core.settings import Settings


def make_backend(db: Database, settings: Settings) -> Backend:
    """The backend the settings ask for; Ray is imported only when chosen."""
    if settings.job_backend == "ray":
        from aiplus.compute.backends.ray import RayBackend

        return RayBackend(settings)
    from aiplus.compute.backends.local import LocalBackend

    return LocalBackend(db, settings)
