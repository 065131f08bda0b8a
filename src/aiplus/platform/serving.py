"""Serving the platform: how many server processes, and uvicorn started on the ASGI app.

One Python process serves on one core at a time, so a server with cores to spare runs one
worker process per core. The exception is the embedded DataStore of a SQLite deployment: a
DuckDB file, which only one process may open, so such a deployment serves from one process.
"""

from __future__ import annotations

import os

from aiplus.core.errors import ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.settings import Settings
from aiplus.platform.services import Platform

ASGI_APP = "aiplus.platform.asgi:app"
MAX_DEFAULT_WORKERS = 8
"""Each worker loads its own copy of the models it is asked to use; more than this many is a
choice to make with the machine's memory in mind (``AIPLUS_WORKERS``)."""


def default_workers(settings: Settings | None = None) -> int:
    """``AIPLUS_WORKERS`` if set; else one per core (at most eight) on PostgreSQL, and one on
    SQLite, whose DataStore only one process may open."""
    settings = settings or Settings()
    if settings.workers is not None:
        return settings.workers
    if settings.is_sqlite:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WORKERS))


def serve(host: str, port: int, workers: int | None = None, migrate_first: bool = True) -> None:
    """Run the portal and API with uvicorn until interrupted; ``workers`` None means
    :func:`default_workers`. With several workers uvicorn supervises them and replaces any
    that dies."""
    import uvicorn

    settings = Settings()
    count = workers or default_workers(settings)
    if count > 1 and settings.is_sqlite:
        raise ValidationFailed(N_("Several server processes need PostgreSQL "
                                  "(AIPLUS_DATABASE_URL): on SQLite the DataStore is a file "
                                  "only one process may open. Serve with one worker."))
    # A generated session key is written on first use: write it here, once, or workers
    # starting together could each write their own and refuse each other's cookies.
    _ = settings.session_secret
    if migrate_first:
        platform = Platform.build(settings)
        try:
            platform.migrate()
        finally:
            platform.close()
    # ws="none": the platform serves no WebSockets, so uvicorn need not load a WebSocket
    # implementation (its default is websockets' deprecated legacy API).
    uvicorn.run(ASGI_APP, host=host, port=port, workers=count, log_level="warning",
                proxy_headers=False, ws="none")
