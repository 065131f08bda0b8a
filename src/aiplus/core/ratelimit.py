"""A sliding-window rate limiter for routes that anonymous people may call, and for failed
sign-ins."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """Allows ``limit`` events per ``window`` seconds for each key (e.g. client address)."""

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Record one event; return 0 if allowed, else the seconds until the next is allowed."""
        now = self._clock()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return events[0] + self.window - now
            events.append(now)
            if len(self._events) > 100_000:  # forget idle clients so memory stays bounded
                for idle in [k for k, v in self._events.items()
                             if not v or v[-1] <= now - self.window]:
                    del self._events[idle]
            return 0.0

    def forgive(self, key: str) -> None:
        """Take back the latest event of ``key``: one that was counted before it was known
        whether it counts (e.g. a sign-in attempt that then succeeded)."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()

    def reset(self, key: str) -> None:
        """Forget every event of ``key``."""
        with self._lock:
            self._events.pop(key, None)
