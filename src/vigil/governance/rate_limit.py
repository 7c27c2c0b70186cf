"""A sliding-window counter per key (login attempts per source address)."""

from __future__ import annotations

from collections import deque

__all__ = ["SlidingWindowLimiter"]


class SlidingWindowLimiter:
    """At most ``limit`` events per ``window`` seconds per key; the caller passes the time.

    Keys with no recent events are forgotten, so an attacker rotating addresses cannot grow the
    table without bound beyond ``max_keys``.
    """

    def __init__(self, limit: int, window: float, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float) -> bool:
        """Record an attempt and say whether it is within the limit."""
        events = self._events.get(key)
        if events is None:
            if len(self._events) >= self.max_keys:
                self._evict(now)
            events = self._events[key] = deque()
        while events and events[0] <= now - self.window:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True

    def _evict(self, now: float) -> None:
        stale = [k for k, ev in self._events.items() if not ev or ev[-1] <= now - self.window]
        for key in stale:
            del self._events[key]
        if len(self._events) >= self.max_keys:
            self._events.pop(next(iter(self._events)))
