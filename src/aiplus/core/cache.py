"""A small in-process read cache with a time-to-live, emptied whenever data is written.

Read endpoints that many people hit (lists of organisations, the app register, anonymous
catalogue reads) are served from here. Every committed write calls :meth:`ReadCache.clear`,
which empties this process's cache and touches a stamp file; every other process sharing the
stamp (server workers, CLI commands, job workers on the same home) sees the stamp's new
modification time on its next lookup, one ``stat`` call, and ignores what it cached before.
The TTL bounds how stale a process that cannot see the stamp (another host sharing a
PostgreSQL database) can be.

An entry is stored under the version read before it was computed, so a value computed while
a write was committing is never served: the write has changed the version since.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Awaitable, Callable, Hashable
from pathlib import Path
from typing import Any

Version = tuple[int, int]
_MISSING = object()


class ReadCache:
    def __init__(self, ttl: float, max_entries: int = 1024, stamp: Path | None = None) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.stamp = stamp
        self._clears = 0
        self._items: dict[Hashable, tuple[float, Version, Any]] = {}
        self._flights: dict[tuple[Hashable, Version, asyncio.AbstractEventLoop],
                            asyncio.Future[Any]] = {}
        self._lock = threading.Lock()

    def _version(self) -> Version:
        """This process's count of clears, and the stamp's time (other processes' writes)."""
        if self.stamp is None:
            return self._clears, 0
        try:
            return self._clears, os.stat(self.stamp).st_mtime_ns
        except FileNotFoundError:
            return self._clears, 0

    def _lookup(self, key: Hashable, version: Version) -> Any:
        with self._lock:
            hit = self._items.get(key)
        if hit and hit[0] > time.monotonic() and hit[1] == version:
            return hit[2]
        return _MISSING

    def _store(self, key: Hashable, version: Version, value: Any) -> None:
        with self._lock:
            if len(self._items) >= self.max_entries:
                self._items.clear()
            self._items[key] = (time.monotonic() + self.ttl, version, value)

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if self.ttl <= 0:
            return compute()
        version = self._version()
        value = self._lookup(key, version)
        if value is _MISSING:
            value = compute()
            self._store(key, version, value)
        return value

    async def get_or_compute_async(self, key: Hashable, compute: Callable[[], Awaitable[Any]],
                                   keep: Callable[[Any], bool] = lambda _: True) -> Any:
        """As :meth:`get_or_compute`, for a coroutine: a hit costs no thread hand-off.
        ``keep`` says whether a computed value is worth its memory (e.g. not a huge body).

        Callers missing the same entry at the same version wait for the first one's value
        instead of each computing it: when a popular entry expires under load, one request
        recomputes it, not every request in flight at once, all fighting for the GIL."""
        if self.ttl <= 0:
            return await compute()
        version = self._version()
        value = self._lookup(key, version)
        if value is not _MISSING:
            return value
        loop = asyncio.get_running_loop()
        flight = (key, version, loop)
        first = self._flights.get(flight)
        if first is not None and (shared := await asyncio.shield(first)) is not _MISSING:
            return shared
        answer: asyncio.Future[Any] = loop.create_future()
        self._flights[flight] = answer
        value = _MISSING
        try:
            value = await compute()
            if keep(value):
                self._store(key, version, value)
            return value
        finally:
            answer.set_result(value)  # _MISSING if it failed: then the others compute their own
            if self._flights.get(flight) is answer:
                del self._flights[flight]

    def clear(self) -> None:
        with self._lock:
            self._clears += 1
            self._items.clear()
        if self.stamp is not None:
            _touch(self.stamp)


def _touch(path: Path) -> None:
    """Set the stamp's time to now, to the nanosecond, creating it if need be."""
    now = time.time_ns()
    try:
        os.utime(path, ns=(now, now))
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, ns=(now, now))
