"""Decimal fields, read without trusting the peer: ASCII digits only and a bounded length.

``str.isdigit`` accepts superscripts and other scripts' digits that ``int`` then refuses, and
``int`` refuses strings longer than 4,300 digits with a ValueError; both would escape a parser as
the wrong error type.
"""

from __future__ import annotations

from vigil.protocols.errors import SdpError

__all__ = ["decimal"]


def decimal(text: str, what: str, max_digits: int) -> int:
    """``text`` as a non-negative integer of at most ``max_digits`` digits, else SdpError."""
    if not (0 < len(text) <= max_digits and text.isascii() and text.isdigit()):
        raise SdpError(f"{what} must be 1 to {max_digits} decimal digits, got {text[:40]!r}")
    return int(text)
