"""Keyset pagination: opaque cursors over a row's key, and pages built from ``limit + 1`` rows."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from vigil.api.schemas.common import Page
from vigil.errors import Invalid

__all__ = ["decode_cursor", "decode_ranked_cursor", "encode_cursor", "page_of", "ranked_key"]

K = TypeVar("K", str, int)
P = TypeVar("P")

MAX_INT_KEY = 2**31 - 1
"""Integer keys (ids, sequence numbers, offsets) are 32-bit columns on PostgreSQL."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def encode_cursor(key: str | int) -> str:
    raw = f"{type(key).__name__}:{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: type[K]) -> K | None:
    """The key a cursor stands for; a cursor this module did not make for ``kind`` is Invalid."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        name, _, value = raw.partition(":")
        if name == kind.__name__:
            key = kind(value)
            if isinstance(key, int) and not 0 <= key <= MAX_INT_KEY:
                raise ValueError("key out of range")
            if isinstance(key, str) and _CONTROL.search(key):
                raise ValueError("control character in key")
            return key
    except (ValueError, UnicodeDecodeError):
        pass
    raise Invalid("malformed cursor", code="cursor.malformed")


def page_of(
    rows: Sequence[Any], limit: int, convert: Callable[[Any], P], key: Callable[[Any], str | int]
) -> Page[P]:
    """A page from a query that fetched ``limit + 1`` rows: the extra row means there is more."""
    items = [convert(row) for row in rows[:limit]]
    more = len(rows) > limit
    return Page[P](items=items, next=encode_cursor(key(rows[limit - 1])) if more else None)


def ranked_key(row: Any) -> str:
    """The cursor key of a row in a level that mixes kinds: its kind's rank, then its ID."""
    return f"{row.rank}:{row.id}"


def decode_ranked_cursor(cursor: str | None) -> tuple[int, str] | None:
    """The ``(rank, id)`` a :func:`ranked_key` cursor stands for; anything else is Invalid."""
    key = decode_cursor(cursor, str)
    if key is None:
        return None
    rank, _, id = key.partition(":")
    if rank.isdigit() and len(rank) < 3 and (id.isdigit() or id == "unfiled") and len(id) <= 20:
        return int(rank), id
    raise Invalid("malformed cursor", code="cursor.malformed")
