"""Argon2id password hashing (the policy is in ``password_policy``).

Hashing costs tens of milliseconds by design, so callers on the event loop go through the async
wrappers, which run it in a thread.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "needs_rehash", "verify_password"]

_HASHER = PasswordHasher()
# A hash of a random string, verified against when a username is unknown so that a failed login
# takes the same time whether or not the user exists.
_DUMMY_HASH = _HASHER.hash("not-a-real-password-9f3b2c")


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_HASHER.hash, password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """Check ``password`` against ``stored``; ``None`` (unknown user) burns the same time."""
    if stored is None:
        await asyncio.to_thread(_verify, _DUMMY_HASH, password)
        return False
    return await asyncio.to_thread(_verify, stored, password)


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
