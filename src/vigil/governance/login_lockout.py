"""Failed logins counted per (source address, account), locking that pair after too many.

Counting per pair, not per account, means a stranger failing from elsewhere locks only their own
address out of the account; its owner still logs in. The caller passes the time, and the table
is bounded like the per-address limiter's. It lives in the node's memory: each node of a cluster
counts its own attempts, and a restart forgets them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LoginLockout"]

Key = tuple[str, str]
"""(source address, username as typed)."""


@dataclass(slots=True)
class _Failures:
    count: int
    last: float
    locked_until: float = 0.0


class LoginLockout:
    """``max_failures`` consecutive failures of one key lock it for ``lock_seconds``.

    A failure more than ``lock_seconds`` after the previous one starts the count afresh, and a
    success clears it.
    """

    def __init__(self, max_failures: int, lock_seconds: float, max_keys: int = 100_000) -> None:
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
        self.max_keys = max_keys
        self._failures: dict[Key, _Failures] = {}

    def locked(self, key: Key, now: float) -> bool:
        entry = self._failures.get(key)
        return entry is not None and entry.locked_until > now

    def failed(self, key: Key, now: float) -> bool:
        """Count a failure; True when it locks the key."""
        entry = self._failures.get(key)
        if entry is None or now - entry.last > self.lock_seconds:
            if entry is None and len(self._failures) >= self.max_keys:
                self._evict(now)
            entry = self._failures[key] = _Failures(count=0, last=now)
        entry.count += 1
        entry.last = now
        if entry.count >= self.max_failures:
            entry.count = 0
            entry.locked_until = now + self.lock_seconds
            return True
        return False

    def succeeded(self, key: Key) -> None:
        self._failures.pop(key, None)

    def forget_account(self, username: str) -> None:
        """Unlock an account from every address (its password was just set)."""
        for key in [k for k in self._failures if k[1] == username]:
            del self._failures[key]

    def _evict(self, now: float) -> None:
        stale = [
            k
            for k, e in self._failures.items()
            if e.locked_until <= now and now - e.last > self.lock_seconds
        ]
        for key in stale:
            del self._failures[key]
        if len(self._failures) >= self.max_keys:
            self._failures.pop(next(iter(self._failures)))
