"""SSRC allocation per receiver: the DESIGN.md rule, unique while in use, always given back.

The SSRC goes into the INVITE's ``y=`` line; a receiver that shares one port among streams tells
them apart by it, so two streams must never hold the same one. Indexes are handed out
round-robin for the same reason ports are: a late packet of a finished stream must not land in a
new one.
"""

from __future__ import annotations

from collections import deque

from vigil.media.sources.base import SourceError
from vigil.protocols.sdp import make_ssrc

__all__ = ["SsrcPool"]

# The SSRC ends in a 4-digit index (DESIGN.md), so one receiver has 10,000 of them.
INDEX_LIMIT = 10_000


class SsrcPool:
    """10-digit SSRCs for one SIP domain; ``acquire`` and ``release`` pair on every path."""

    def __init__(self, domain: str, limit: int = INDEX_LIMIT) -> None:
        make_ssrc(domain, False, 0)  # validates the domain once, here
        self._domain = domain
        self._free: deque[int] = deque(range(min(limit, INDEX_LIMIT)))
        self._used: dict[str, int] = {}

    @property
    def in_use(self) -> frozenset[str]:
        return frozenset(self._used)

    def acquire(self, history: bool = False) -> str:
        """A fresh SSRC; ``history`` sets the first digit for playback and download."""
        if not self._free:
            raise SourceError("every SSRC index of this receiver is in use")
        index = self._free.popleft()
        ssrc = make_ssrc(self._domain, history, index)
        self._used[ssrc] = index
        return ssrc

    def release(self, ssrc: str) -> None:
        index = self._used.pop(ssrc, None)
        if index is None:
            raise ValueError(f"SSRC {ssrc} is not in use")
        self._free.append(index)
