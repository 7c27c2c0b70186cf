"""The audit log's Merkle tree at 100,000 records: how long tree heads and proofs take.

A SQLite database gets 100,000 chained audit records (written in bulk, each with its chain hash and
leaf hash as the log writes them). Timed, on the node's own code: loading the tree once (every
leaf hash read from the database), a signed tree head (read what was written since, root, sign,
store), inclusion proofs and consistency proofs at random indexes and sizes, and the check of a
head through the tree rebuilt from the records' contents (``vigil audit verify --head``).
The reference does the same root and proofs by RFC 9162's recursive definition over the list of
leaf hashes, with no cache of complete subtrees (it does not sign, store or read anything).

    python bench/audit_merkle.py
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from vigil.governance.audit import AuditLog
from vigil.governance.audit_chain import GENESIS, ChainEntry, canonical, chain_hash
from vigil.governance.audit_verify import check_log
from vigil.governance.merkle import leaf_hash, node_hash
from vigil.governance.permissions import system_principal
from vigil.governance.tree_heads import TreeHeads
from vigil.store.database import Database
from vigil.store.migrate import upgrade
from vigil.store.models import AuditRecord

RECORDS = 100_000
SAMPLES = 200
START = datetime(2026, 1, 1, tzinfo=UTC)


def records(count: int) -> list[dict[str, Any]]:
    rows, prev = [], GENESIS
    for seq in range(1, count + 1):
        entry = ChainEntry(
            seq=seq,
            at=START + timedelta(seconds=seq),
            actor=f"operator{seq % 37}",
            action="video.live",
            resource=f"/api/v1/channels/340100000013200{seq % 100000:05d}/live",
            channel_id=f"340100000013200{seq % 100000:05d}",
            source="10.0.0.1",
            outcome="ok",
            detail='{"purpose":"patrol"}',
            prev_hash=prev,
        )
        prev = chain_hash(prev, entry)
        row = {f: getattr(entry, f) for f in entry.__dataclass_fields__}
        rows.append({**row, "hash": prev, "leaf_hash": leaf_hash(canonical(entry)).hex()})
    return rows


def naive_root(leaves: list[bytes]) -> bytes:
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return node_hash(naive_root(leaves[:k]), naive_root(leaves[k:]))


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    if m < k:
        return [*naive_path(m, leaves[:k]), naive_root(leaves[k:])]
    return [*naive_path(m - k, leaves[k:]), naive_root(leaves[:k])]


def timed(action: Callable[[], object], times: int = 1) -> float:
    """Median milliseconds of ``action``."""
    spent = []
    for _ in range(times):
        began = time.perf_counter()
        action()
        spent.append((time.perf_counter() - began) * 1000)
    return statistics.median(spent)


async def timed_async(action: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = await action()
    return (time.perf_counter() - began) * 1000, result


async def main() -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{folder}/vigil.db")
        db.create_file()
        await upgrade(db.engine)
        rows = records(RECORDS)
        async with db.session() as session, session.begin():
            for start in range(0, RECORDS, 5000):
                await session.execute(insert(AuditRecord), rows[start : start + 5000])
        audit = AuditLog(db)
        heads = TreeHeads(db, audit, Path(folder) / "keys" / "signing.key", 60)
        principal = system_principal("bench")

        load_ms, tree = await timed_async(audit.tree.current)
        first_head_ms, head = await timed_async(lambda: heads.tree_head(principal))
        catch_up_ms, _ = await timed_async(audit.tree.current)
        leaves = [tree.leaf(i) for i in range(tree.size)]
        sizes = [rng.randint(1, RECORDS) for _ in range(SAMPLES)]
        indexes = [rng.randrange(size) for size in sizes]
        olds = [rng.randint(1, size) for size in sizes]
        cases = list(zip(indexes, sizes, olds, strict=True))
        root_ms = timed(lambda: [tree.root(size) for size in sizes]) / SAMPLES
        inclusion_ms = timed(lambda: [tree.inclusion_proof(i, n) for i, n, _ in cases]) / SAMPLES
        consistency_ms = timed(lambda: [tree.consistency_proof(m, n) for _, n, m in cases])
        consistency_ms /= SAMPLES
        api_ms, _ = await timed_async(lambda: heads.inclusion(principal, indexes[0] + 1, sizes[0]))
        verify_ms, check = await timed_async(lambda: check_log(heads, head, None))
        assert check.ok, check.problems
        ref_root_ms = timed(lambda: naive_root(leaves), 3)
        ref_inclusion_ms = timed(lambda: naive_path(indexes[0], leaves[: sizes[0]]), 3)
        assert naive_root(leaves) == tree.root()
        assert naive_path(indexes[0], leaves[: sizes[0]]) == tree.inclusion_proof(*cases[0][:2])
        await db.dispose()

    figures = {
        "records": RECORDS,
        "load_tree_ms": round(load_ms, 1),
        "tree_head_signed_stored_ms": round(first_head_ms, 2),
        "catch_up_nothing_new_ms": round(catch_up_ms, 2),
        "root_any_size_ms": round(root_ms, 4),
        "inclusion_proof_ms": round(inclusion_ms, 4),
        "consistency_proof_ms": round(consistency_ms, 4),
        "inclusion_via_service_ms": round(api_ms, 2),
        "verify_whole_log_with_head_ms": round(verify_ms, 1),
        "reference_naive_root_ms": round(ref_root_ms, 1),
        "reference_naive_inclusion_ms": round(ref_inclusion_ms, 1),
    }
    print(f"{'what (100,000 records, SQLite)':<44} {'ms':>10}")
    for name, value in figures.items():
        if name != "records":
            print(f"{name:<44} {value:>10}")
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
