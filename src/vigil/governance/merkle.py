"""The audit log's Merkle tree, as RFC 6962 / RFC 9162 §2.1 define it: sans-I/O, no database.

Leaf hash = SHA-256(0x00 ‖ leaf bytes); node hash = SHA-256(0x01 ‖ left ‖ right). The tree hash of
n leaves splits them at k, the largest power of two smaller than n (§2.1.1). An inclusion proof
(§2.1.3) shows that one leaf is in the tree of a given size; a consistency proof (§2.1.4) shows
that the tree of size m is a prefix of the tree of size n, so a log that rewrote any of its first
m records cannot prove consistency with a head of size m it signed before.

:class:`MerkleTree` keeps every *complete* subtree's hash (the subtrees of 2^k leaves starting at a
multiple of 2^k), which never change once complete, in one flat byte array per level: appending a
leaf costs O(1) hashes amortised, and a root or a proof of any size needs only O(log² n) hashes,
since every subtree the RFC's recursion visits is either complete or on the right edge.
The verifiers (:func:`verify_inclusion`, :func:`verify_consistency`) follow RFC 9162's algorithms
step by step and need nothing but the hashes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_BYTES",
    "MerkleTree",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion",
    "verify_consistency",
    "verify_inclusion",
]

HASH_BYTES = 32
#: The hash of the empty tree: SHA-256 of nothing (§2.1.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 ‖ data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """An append-only tree of leaf hashes that answers roots and proofs for any size it holds."""

    def __init__(self, leaves: Sequence[bytes] = ()) -> None:
        #: ``_levels[k]`` holds the hashes of the complete subtrees of 2^k leaves, 32 bytes each.
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0
        for leaf in leaves:
            self.append(leaf)

    @property
    def size(self) -> int:
        return self._size

    def append(self, leaf: bytes) -> None:
        """Add a leaf *hash* (see :func:`leaf_hash`); completes the subtrees it closes."""
        if len(leaf) != HASH_BYTES:
            raise ValueError(f"a leaf hash is {HASH_BYTES} bytes, not {len(leaf)}")
        self._levels[0] += leaf
        self._size += 1
        index, level = self._size - 1, 0
        while index % 2 == 1:  # a right child: its parent is complete now
            row = self._levels[level]
            parent = node_hash(bytes(row[-2 * HASH_BYTES : -HASH_BYTES]), bytes(row[-HASH_BYTES:]))
            level, index = level + 1, index // 2
            if level == len(self._levels):
                self._levels.append(bytearray())
            self._levels[level] += parent

    def leaf(self, index: int) -> bytes:
        """The hash of leaf ``index`` (0-based)."""
        self._check_size(index + 1)
        return bytes(self._levels[0][index * HASH_BYTES : (index + 1) * HASH_BYTES])

    def root(self, size: int | None = None) -> bytes:
        """The tree hash of the first ``size`` leaves (all of them by default)."""
        size = self._size if size is None else size
        self._check_size(size)
        return EMPTY_ROOT if size == 0 else self._hash(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of ``size`` leaves (RFC 9162 §2.1.3.1)."""
        self._check_size(size)
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
        return self._path(index, 0, size)

    def consistency_proof(self, old: int, new: int) -> list[bytes]:
        """The proof that the tree of ``old`` leaves is a prefix of that of ``new`` (§2.1.4.1)."""
        self._check_size(new)
        if not 0 <= old <= new:
            raise ValueError(f"no consistency proof from size {old} to size {new}")
        if old in (0, new):
            return []
        return self._subproof(old, 0, new, complete=True)

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self._size:
            raise ValueError(f"the tree holds {self._size} leaves, not {size}")

    def _hash(self, start: int, end: int) -> bytes:
        """MTH of leaves [start, end). Every range the recursion reaches starts at a multiple of
        a power of two at least its length, so a range of 2^k leaves is a stored subtree."""
        n = end - start
        if n & (n - 1) == 0:
            level = n.bit_length() - 1
            offset = (start >> level) * HASH_BYTES
            return bytes(self._levels[level][offset : offset + HASH_BYTES])
        k = _split(n)
        return node_hash(self._hash(start, start + k), self._hash(start + k, end))

    def _path(self, index: int, start: int, end: int) -> list[bytes]:
        """PATH(m, D[start:end]) with ``index`` absolute: the siblings from the leaf upwards."""
        n = end - start
        if n == 1:
            return []
        k = _split(n)
        if index - start < k:
            return [*self._path(index, start, start + k), self._hash(start + k, end)]
        return [*self._path(index, start + k, end), self._hash(start, start + k)]

    def _subproof(self, m: int, start: int, end: int, *, complete: bool) -> list[bytes]:
        """SUBPROOF(m, D[start:end], b) of §2.1.4.1; ``m`` counts from ``start``."""
        n = end - start
        if m == n:
            return [] if complete else [self._hash(start, end)]
        k = _split(n)
        if m <= k:
            return [
                *self._subproof(m, start, start + k, complete=complete),
                self._hash(start + k, end),
            ]
        return [
            *self._subproof(m - k, start + k, end, complete=False),
            self._hash(start, start + k),
        ]


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """The root that ``proof`` leads to from the leaf *hash* at ``index`` in a tree of ``size``
    leaves (RFC 9162 §2.1.3.2), or None when the proof cannot belong to that position."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``proof`` shows the leaf *hash* at ``index`` in the tree ``(size, root)``."""
    return root_from_inclusion(index, size, leaf, proof) == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the tree (old_size, old_root) is a prefix of (new_size, new_root)
    (RFC 9162 §2.1.4.2)."""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, old_root)
    return _consistency_roots(old_size, new_size, path) == (old_root, new_root)


def _consistency_roots(
    old_size: int, new_size: int, path: list[bytes]
) -> tuple[bytes, bytes] | None:
    """The old and new roots a consistency path leads to (steps 3 to 7 of §2.1.4.2)."""
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return (fr, sr) if sn == 0 else None
