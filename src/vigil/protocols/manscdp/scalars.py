"""Text ↔ value for the scalar element types of MANSCDP, liberal in what they read.

Devices send numbers with spaces, leave them empty, append a ``Z`` to local times or use a space
for the ``T``. Each reader returns None for text it cannot make sense of, so an optional field of a
5,000-channel catalog never costs the whole message; the schema turns None into an error only
where the standard makes the element mandatory (SN, DeviceID).

Times: GB/T 28181-2016 Annex A ``dateTime`` is local time without an offset
(``2024-01-01T08:00:00``). They stay naive here; the layer above applies the configured zone.
A trailing ``Z`` is dropped (devices write it on local times); an explicit ``+08:00`` is kept,
giving an aware datetime.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from vigil.protocols.digits import read_digits

#: Longest integer accepted: SN, sizes and counts fit in 64 bits (20 digits) with room to spare.
MAX_INT_DIGITS = 32

__all__ = [
    "MAX_INT_DIGITS",
    "SCALARS",
    "Scalar",
    "format_datetime",
    "parse_datetime",
    "parse_float",
    "parse_int",
]


def parse_int(text: str) -> int | None:
    """A decimal integer, optionally signed; None for anything else (empty, ``1_0``, ``１``).

    At most :data:`MAX_INT_DIGITS` digits: no MANSCDP number is longer, and Python refuses to
    convert very long ones (``int`` raises past 4,300 digits).
    """
    digits = text[1:] if text[:1] in ("-", "+") else text
    if read_digits(digits, MAX_INT_DIGITS) is None:
        return None
    return int(text)


def parse_float(text: str) -> float | None:
    """A finite decimal number; None for empty text, NaN, infinities and Python-only spellings."""
    if not text.isascii() or "_" in text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_datetime(text: str) -> datetime | None:
    """An ISO 8601 local time as devices write it; None if it is not one."""
    if text[-1:] in ("Z", "z"):
        text = text[:-1]
    if not text.isascii():
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def format_datetime(value: datetime) -> str:
    """``2024-01-01T08:00:00``: seconds, fractions only when there are some."""
    return value.isoformat(timespec="seconds" if value.microsecond == 0 else "microseconds")


def _parse_str(text: str) -> str | None:
    return text or None


def _format_number(value: object) -> str:
    return repr(value)


class Scalar:
    """How one Python type is read from and written to element text."""

    __slots__ = ("format", "parse", "type_name")

    def __init__(
        self, type_name: str, parse: Callable[[str], Any], format: Callable[[Any], str]
    ) -> None:
        self.type_name = type_name
        self.parse = parse
        self.format = format


#: The scalar types a model field may have, keyed by the Python type.
SCALARS: dict[type, Scalar] = {
    str: Scalar("text", _parse_str, str),
    int: Scalar("an integer", parse_int, _format_number),
    float: Scalar("a number", parse_float, _format_number),
    datetime: Scalar("a date-time", parse_datetime, format_datetime),
}
