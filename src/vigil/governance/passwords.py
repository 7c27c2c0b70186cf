"""Argon2id password hashing (the policy is in ``password_policy``).

The cost is an operator's setting (memory and passes; RFC 9106's second recommended option by
default, OWASP's minimum at the least). A stored hash keeps the parameters it was made with, so a
changed cost takes effect for each account at its next login, when the hash is made again.
Hashing costs tens of milliseconds by design, so it runs in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["HashCost", "Passwords"]


@dataclass(frozen=True)
class HashCost:
    """Argon2id's memory (KiB) and number of passes over it."""

    memory_kib: int = 65536
    time_cost: int = 3


class Passwords:
    """Hash and check passwords at one cost."""

    def __init__(self, cost: HashCost) -> None:
        self._hasher = PasswordHasher(time_cost=cost.time_cost, memory_cost=cost.memory_kib)

    @functools.cached_property
    def _dummy_hash(self) -> str:
        """A hash of a fixed string, verified against when a username is unknown so that a
        failed login takes the same time whether or not the user exists."""
        return self._hasher.hash("not-a-real-password-9f3b2c")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    def _verify(self, stored: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    async def verify(self, stored: str | None, password: str) -> bool:
        """Check ``password`` against ``stored``; ``None`` (unknown user) burns the same time."""
        if stored is None:
            await asyncio.to_thread(self._verify, self._dummy_hash, password)
            return False
        return await asyncio.to_thread(self._verify, stored, password)

    def needs_rehash(self, stored: str) -> bool:
        """Whether ``stored`` was made at another cost than this one."""
        return self._hasher.check_needs_rehash(stored)
