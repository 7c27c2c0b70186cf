"""Decimal numbers read without trusting the peer: ASCII digits only and a bounded length.

``str.isdigit`` accepts superscripts and other scripts' digits that ``int`` then refuses, and
``int`` refuses strings longer than 4,300 digits with a ValueError; both would escape a parser as
the wrong error type. :func:`read_digits` checks both and answers None, so that each protocol
raises its own error with its own words.
"""

from __future__ import annotations

__all__ = ["MAX_DIGITS", "read_digits"]

#: The bound where a protocol sets none of its own: any 64-bit number (20 digits) with leading
#: zeros to spare, far below what ``int`` refuses.
MAX_DIGITS = 32


def read_digits(text: str, max_digits: int = MAX_DIGITS) -> int | None:
    """``text`` as a non-negative integer if it is 1 to ``max_digits`` ASCII digits, else None."""
    if 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None
