"""Seeded mutations of network messages, for fuzzing a running node over its sockets.

Byte-level mutations (flip, insert, delete, duplicate, truncate) find framing and parser bugs;
line-level ones (a header repeated, a value made huge, non-ASCII or a lying number, a line dropped)
reach the layers behind a parser that a random byte rarely gets past. Everything is drawn from one
``random.Random``, so a failing run is reproduced by its seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["mutate", "mutate_lines"]

_INTERESTING = (
    b"0",
    b"-1",
    b"4294967296",
    b"18446744073709551616",
    b"9" * 40,
    b"\x00",
    b"%s%n",
    b"\xff\xfe",
    "中文".encode("gb18030"),
    b"\r\n",
    b"<",
    b"]]>",
    b"&lt;",
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>',
    b"A" * 5000,
)


def _flip(rng: random.Random, data: bytearray) -> None:
    if data:
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)


def _insert(rng: random.Random, data: bytearray) -> None:
    at = rng.randrange(len(data) + 1)
    data[at:at] = (
        rng.choice(_INTERESTING) if rng.random() < 0.5 else rng.randbytes(rng.randint(1, 8))
    )


def _delete(rng: random.Random, data: bytearray) -> None:
    if data:
        at = rng.randrange(len(data))
        del data[at : at + rng.randint(1, 32)]


def _duplicate(rng: random.Random, data: bytearray) -> None:
    if data:
        at = rng.randrange(len(data))
        piece = data[at : at + rng.randint(1, 64)]
        data[at:at] = piece * rng.randint(1, 20)


def _truncate(rng: random.Random, data: bytearray) -> None:
    if data:
        del data[rng.randrange(len(data)) :]


_BYTE_OPS: tuple[Callable[[random.Random, bytearray], None], ...] = (
    _flip,
    _insert,
    _delete,
    _duplicate,
    _truncate,
)


def mutate(rng: random.Random, seed: bytes, rounds: int = 3) -> bytes:
    """``seed`` with 1..``rounds`` random byte-level mutations."""
    data = bytearray(seed)
    for _ in range(rng.randint(1, rounds)):
        rng.choice(_BYTE_OPS)(rng, data)
    return bytes(data)


def mutate_lines(rng: random.Random, seed: bytes) -> bytes:
    """``seed`` with one line-level mutation of its head (the part before the blank line)."""
    head, sep, body = seed.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    at = rng.randrange(len(lines))
    line = lines[at]
    name, colon, _ = line.partition(b":")
    choice = rng.randrange(5)
    if choice == 0:
        lines[at : at + 1] = [line] * rng.randint(2, 200)
    elif choice == 1 and colon:
        lines[at] = name + b": " + rng.choice(_INTERESTING)
    elif choice == 2:
        del lines[at]
    elif choice == 3:
        lines.insert(at, b"Content-Length: " + rng.choice(_INTERESTING[:5]))
    else:
        lines[at] = line + b" " + rng.choice(_INTERESTING)
    return b"\r\n".join(lines) + sep + body
