"""Decimal SDP fields, read as :mod:`vigil.protocols.digits` reads them, else SdpError."""

from __future__ import annotations

from vigil.protocols.digits import read_digits
from vigil.protocols.errors import SdpError

__all__ = ["decimal"]


def decimal(text: str, what: str, max_digits: int) -> int:
    """``text`` as a non-negative integer of at most ``max_digits`` digits, else SdpError."""
    value = read_digits(text, max_digits)
    if value is None:
        raise SdpError(f"{what} must be 1 to {max_digits} decimal digits, got {text[:40]!r}")
    return value
