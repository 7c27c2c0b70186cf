"""An immutable, ordered, case-insensitive multi-map of SIP header fields.

Order matters in SIP (Via and Route are read top to bottom) and a name may repeat, so this is a
tuple of ``(name, value)`` pairs rather than a dict. Names are canonicalised on the way in
(``i`` → ``Call-ID``, ``call-id`` → ``Call-ID``), so lookups compare one lower-cased key and two
messages with the same fields compare equal however the peer spelled them. Every "modifying"
method returns a new instance: messages are frozen and are shared between transactions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import overload

from vigil.protocols.errors import SipError
from vigil.protocols.sip.grammar import canonical_name, is_token, split_comma_list

__all__ = ["Headers"]


class Headers:
    """Header fields in wire order; values are the decoded text after the colon, trimmed."""

    __slots__ = ("_items", "_keys")

    _items: tuple[tuple[str, str], ...]
    _keys: tuple[str, ...]

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        checked: list[tuple[str, str]] = []
        for name, value in items:
            canon = canonical_name(name)
            if not is_token(canon):
                raise SipError(f"header name {name[:40]!r} is not a token")
            if "\r" in value or "\n" in value:
                raise SipError(f"header {canon} value contains a line break")
            checked.append((canon, value.strip()))
        self._items = tuple(checked)
        self._keys = tuple(name.lower() for name, _ in checked)

    @classmethod
    def _trusted(cls, items: list[tuple[str, str]], keys: list[str] | None = None) -> Headers:
        """Build from pairs the parser has already canonicalised and validated (the hot path)."""
        self = cls.__new__(cls)
        self._items = tuple(items)
        self._keys = tuple(keys) if keys is not None else tuple(n.lower() for n, _ in items)
        return self

    @overload
    def get(self, name: str) -> str | None: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name``."""
        key = canonical_name(name).lower()
        for i, k in enumerate(self._keys):
            if k == key:
                return self._items[i][1]
        return default

    def get_all(self, name: str) -> tuple[str, ...]:
        """Every line of ``name`` in order, as written (comma lists not split)."""
        key = canonical_name(name).lower()
        return tuple(self._items[i][1] for i, k in enumerate(self._keys) if k == key)

    def get_list(self, name: str) -> tuple[str, ...]:
        """Every element of a comma-list header (Via, Contact, Route, Allow...), lines joined."""
        out: list[str] = []
        for value in self.get_all(name):
            out.extend(split_comma_list(value))
        return tuple(out)

    def add(self, name: str, value: str) -> Headers:
        """A copy with ``name: value`` appended."""
        return Headers((*self._items, (name, value)))

    def prepend(self, name: str, value: str) -> Headers:
        """A copy with ``name: value`` first (a proxy's Via goes on top)."""
        return Headers(((name, value), *self._items))

    def set(self, name: str, value: str) -> Headers:
        """A copy where ``name`` has exactly one line, where its first line was (else appended)."""
        key = canonical_name(name).lower()
        out: list[tuple[str, str]] = []
        placed = False
        for (n, v), k in zip(self._items, self._keys, strict=True):
            if k != key:
                out.append((n, v))
            elif not placed:
                out.append((name, value))
                placed = True
        if not placed:
            out.append((name, value))
        return Headers(out)

    def remove(self, name: str) -> Headers:
        """A copy without any line of ``name``."""
        key = canonical_name(name).lower()
        return Headers._trusted(
            [item for item, k in zip(self._items, self._keys, strict=True) if k != key]
        )

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and canonical_name(name).lower() in self._keys

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Headers):
            return NotImplemented
        return self._keys == other._keys and [v for _, v in self._items] == [
            v for _, v in other._items
        ]

    def __hash__(self) -> int:
        return hash((self._keys, tuple(v for _, v in self._items)))

    def __repr__(self) -> str:
        return f"Headers({list(self._items)!r})"
