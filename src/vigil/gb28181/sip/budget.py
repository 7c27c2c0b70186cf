"""A budget of events per key and overall, per window: how noisy peers are kept to a few lines.

Log lines and audit records about refused SIP input are written only while the budget allows:
at most ``per_key`` per key (a peer address) and, when ``total`` is set, at most ``total`` for all
keys together in each ``window`` seconds, so neither one peer nor many (forged UDP sources are
cheap) can fill the log or the audit log. What the budget refused is counted, so the next line
written can say how many were left out. Memory is bounded by ``max_keys``. ``now`` is passed in.
"""

from __future__ import annotations

__all__ = ["RateBudget"]


class RateBudget:
    """Events allowed per key and in total per window; what it refused is counted."""

    def __init__(
        self,
        per_key: int,
        total: int | None = None,
        window: float = 60.0,
        max_keys: int = 10_000,
    ) -> None:
        self.per_key = per_key
        self.total = total
        self.window = window
        self.max_keys = max_keys
        #: Events refused since the last one allowed (reset by :meth:`take_skipped`).
        self.skipped = 0
        self._keys: dict[str, tuple[float, int]] = {}
        self._window_start = 0.0
        self._window_count = 0

    def take(self, key: str, now: float) -> bool:
        """Spend one event for ``key`` at ``now``; False when the budget is spent."""
        if now - self._window_start >= self.window:
            self._window_start, self._window_count = now, 0
        start, count = self._keys.get(key, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        if key not in self._keys and len(self._keys) >= self.max_keys:
            del self._keys[next(iter(self._keys))]
        self._keys[key] = (start, count + 1)
        if count >= self.per_key or (self.total is not None and self._window_count >= self.total):
            self.skipped += 1
            return False
        self._window_count += 1
        return True

    def take_skipped(self) -> int:
        """How many events were refused since the last call; resets the count."""
        skipped, self.skipped = self.skipped, 0
        return skipped
