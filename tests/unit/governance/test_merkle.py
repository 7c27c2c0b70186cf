"""The Merkle tree against RFC 9162's recursive definitions, written out naively here.

The naive functions below are the RFC's equations (§2.1.1, §2.1.3.1, §2.1.4.1) on lists, with no
cache; the tree's cached answers must equal them, and the RFC's verifiers must accept every proof
and refuse any proof or leaf with one changed byte.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.governance.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)


def naive_root(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_root(leaves[:k]) + naive_root(leaves[k:])).digest()


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*naive_path(m, leaves[:k]), naive_root(leaves[k:])]
    return [*naive_path(m - k, leaves[k:]), naive_root(leaves[:k])]


def naive_subproof(m: int, leaves: list[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [naive_root(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*naive_subproof(m, leaves[:k], complete), naive_root(leaves[k:])]
    return [*naive_subproof(m - k, leaves[k:], False), naive_root(leaves[:k])]


def data(n: int) -> list[bytes]:
    return [f"record {i}".encode() for i in range(n)]


def tree_of(leaves: list[bytes]) -> MerkleTree:
    return MerkleTree([leaf_hash(d) for d in leaves])


def flip(value: bytes) -> bytes:
    return bytes([value[0] ^ 1]) + value[1:]


def test_hashes_are_domain_separated() -> None:
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )
    assert MerkleTree().root() == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_three_leaves_by_hand() -> None:
    a, b, c = (leaf_hash(x) for x in (b"a", b"b", b"c"))
    tree = MerkleTree([a, b, c])
    assert tree.root() == node_hash(node_hash(a, b), c)
    assert tree.root(2) == node_hash(a, b)
    assert tree.root(1) == a
    assert tree.inclusion_proof(2, 3) == [node_hash(a, b)]
    assert tree.inclusion_proof(0, 3) == [b, c]
    assert tree.consistency_proof(2, 3) == [c]
    assert tree.consistency_proof(1, 3) == [b, c]


@pytest.mark.parametrize("n", range(1, 9))
def test_sizes_one_to_eight_match_the_naive_definition(n: int) -> None:
    leaves = data(n)
    tree = tree_of(leaves)
    for size in range(n + 1):
        assert tree.root(size) == naive_root(leaves[:size])
    for size in range(1, n + 1):
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert proof == naive_path(index, leaves[:size])
            assert verify_inclusion(index, size, leaf_hash(leaves[index]), proof, tree.root(size))
        for old in range(1, size):
            proof = tree.consistency_proof(old, size)
            assert proof == naive_subproof(old, leaves[:size], True)
            assert verify_consistency(old, size, tree.root(old), tree.root(size), proof)


def test_bad_sizes_are_refused() -> None:
    tree = tree_of(data(5))
    with pytest.raises(ValueError, match="holds 5 leaves, not 6"):
        tree.root(6)
    with pytest.raises(ValueError, match="leaf 5 is not in a tree of 5"):
        tree.inclusion_proof(5, 5)
    with pytest.raises(ValueError, match="from size 4 to size 3"):
        tree.consistency_proof(4, 3)
    with pytest.raises(ValueError, match="32 bytes"):
        tree.append(b"short")


def test_verifiers_refuse_impossible_positions() -> None:
    tree = tree_of(data(6))
    root = tree.root()
    proof = tree.inclusion_proof(3, 6)
    assert not verify_inclusion(6, 6, tree.leaf(3), proof, root)
    assert not verify_inclusion(3, 6, tree.leaf(3), [*proof, proof[0]], root)
    assert not verify_inclusion(3, 6, tree.leaf(3), proof[:-1], root)
    assert not verify_consistency(4, 6, tree.root(4), root, [])
    assert not verify_consistency(6, 4, root, tree.root(4), [])
    assert verify_consistency(6, 6, root, root, [])
    assert verify_consistency(0, 6, EMPTY_ROOT, root, [])


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int, int]:
    n = draw(st.integers(1, 70))
    size = draw(st.integers(1, n))
    return n, size, draw(st.integers(0, size - 1))


def test_every_index_of_every_size_proves_inclusion() -> None:
    leaves = data(70)
    tree = tree_of(leaves)
    for size in range(1, 71):
        root = naive_root(leaves[:size])
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert verify_inclusion(index, size, leaf_hash(leaves[index]), proof, root)


def test_every_old_size_proves_consistency() -> None:
    leaves = data(70)
    tree = tree_of(leaves)
    for size in range(1, 71):
        for old in range(0, size + 1):
            proof = tree.consistency_proof(old, size)
            assert verify_consistency(old, size, tree.root(old), tree.root(size), proof)


@given(size_and_index(), st.data())
def test_a_changed_leaf_or_proof_element_fails_inclusion(
    case: tuple[int, int, int], draw: st.DataObject
) -> None:
    n, size, index = case
    tree = tree_of(data(n))
    root = tree.root(size)
    leaf = tree.leaf(index)
    proof = tree.inclusion_proof(index, size)
    assert verify_inclusion(index, size, leaf, proof, root)
    assert not verify_inclusion(index, size, flip(leaf), proof, root)
    if proof:
        at = draw.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:at], flip(proof[at]), *proof[at + 1 :]]
        assert not verify_inclusion(index, size, leaf, bad, root)
    if size > 1:  # the same proof does not fit another position
        other = draw.draw(st.integers(0, size - 1).filter(lambda i: i != index))
        assert not verify_inclusion(other, size, leaf, proof, root)


@given(st.integers(2, 70), st.data())
def test_a_changed_leaf_or_proof_element_fails_consistency(n: int, draw: st.DataObject) -> None:
    leaves = data(n)
    old = draw.draw(st.integers(1, n - 1))
    tree = tree_of(leaves)
    proof = tree.consistency_proof(old, n)
    assert verify_consistency(old, n, tree.root(old), tree.root(n), proof)
    at = draw.draw(st.integers(0, len(proof) - 1))
    bad = [*proof[:at], flip(proof[at]), *proof[at + 1 :]]
    assert not verify_consistency(old, n, tree.root(old), tree.root(n), bad)
    # A log that rewrote one of the first ``old`` records cannot prove it kept them.
    edited = draw.draw(st.integers(0, old - 1))
    forged_leaves = [*leaves[:edited], b"forged", *leaves[edited + 1 :]]
    forged = tree_of(forged_leaves)
    forged_proof = forged.consistency_proof(old, n)
    assert not verify_consistency(old, n, tree.root(old), forged.root(n), forged_proof)
