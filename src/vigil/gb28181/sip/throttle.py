"""Refuse an address for a while after repeated failed registrations from it.

A device with a wrong password retries every few seconds for ever, and a guesser tries many
passwords: both are cut off after ``max_failures`` failures within ``window`` seconds, for
``block`` seconds, without touching the database. A success clears the address's count. Memory is
bounded: past ``max_addresses`` the oldest entries are forgotten first. ``now`` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AuthThrottle"]


@dataclass(slots=True)
class _Record:
    first: float
    failures: int
    blocked_until: float = 0.0


class AuthThrottle:
    """Failed registrations per address; an address past the limit is blocked a while."""

    def __init__(
        self, max_failures: int, block: float, window: float = 60.0, max_addresses: int = 100_000
    ) -> None:
        self.max_failures = max_failures
        self.block = block
        self.window = window
        self.max_addresses = max_addresses
        self._records: dict[str, _Record] = {}

    def blocked(self, address: str, now: float) -> bool:
        """Whether ``address`` is refused at ``now``."""
        record = self._records.get(address)
        return record is not None and record.blocked_until > now

    def failed(self, address: str, now: float) -> bool:
        """Count a failure; True when it makes the address blocked."""
        record = self._records.get(address)
        if record is None or (now - record.first > self.window and record.blocked_until <= now):
            if record is None and len(self._records) >= self.max_addresses:
                del self._records[next(iter(self._records))]
            record = _Record(now, 0)
            self._records[address] = record
        record.failures += 1
        if record.failures >= self.max_failures and record.blocked_until <= now:
            record.blocked_until = now + self.block
            return True
        return False

    def succeeded(self, address: str) -> None:
        self._records.pop(address, None)
