"""Fresh identifiers: branches, tags and Call-IDs.

Randomness is not I/O, so the sans-I/O core may mint these itself; they come from ``secrets``
because RFC 3261 §8.1.1.4/§19.3 want them globally unique and unguessable (a guessable tag or
Call-ID lets a third party forge an in-dialog BYE).
"""

from __future__ import annotations

import secrets

from vigil.protocols.sip.grammar import MAGIC_COOKIE

__all__ = ["new_branch", "new_call_id", "new_tag"]


def new_branch() -> str:
    """RFC 3261 §8.1.1.7: a branch with the magic cookie."""
    return MAGIC_COOKIE + secrets.token_hex(10)


def new_tag() -> str:
    """RFC 3261 §19.3: a From/To tag (32 random bits at least)."""
    return secrets.token_hex(6)


def new_call_id(host: str | None = None) -> str:
    """RFC 3261 §8.1.1.4: a Call-ID, ``random@host`` when a host is given."""
    token = secrets.token_hex(12)
    return token if host is None else f"{token}@{host}"
