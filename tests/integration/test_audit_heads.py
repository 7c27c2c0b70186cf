"""Tree heads are published on their interval only when the log grew, and the migration gives the
records written before it their leaf hashes."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import bindparam, text

from tests.conftest import scratch_pg_database
from vigil.app import Vigil
from vigil.governance.audit import AuditEvent
from vigil.governance.audit_chain import GENESIS, ChainEntry, canonical, chain_hash
from vigil.governance.merkle import leaf_hash
from vigil.governance.tree_heads import TreeHeads
from vigil.store.database import Database
from vigil.store.migrate import upgrade
from vigil.store.models import AuditTreeHead
from vigil.store.queries.audit import latest_tree_head
from vigil.store.types import UTCDateTime


async def head_of_size(db: Database, size: int, within: float = 10.0) -> AuditTreeHead:
    """The latest stored head once it covers ``size`` records (the publisher runs on its own)."""
    deadline = asyncio.get_running_loop().time() + within
    while (head := await latest_tree_head(db)) is None or head.size < size:
        assert asyncio.get_running_loop().time() < deadline, f"no head of size {size}"
        await asyncio.sleep(0.02)
    return head


async def test_heads_are_published_on_the_interval_when_the_log_grew(
    node: Vigil, tmp_path: Path
) -> None:
    heads = TreeHeads(node.db, node.audit, tmp_path / "keys" / "signing.key", 0.05)
    await heads.start()
    try:
        await node.audit.append(AuditEvent("tester", "test.one", "thing/1"))
        first = await head_of_size(node.db, await node.audit.count())
        await asyncio.sleep(0.5)  # ten intervals with nothing written: no new head
        assert (await head_of_size(node.db, first.size)).id == first.id
        await node.audit.append(AuditEvent("tester", "test.two", "thing/2"))
        second = await head_of_size(node.db, first.size + 1)
        assert second.size == first.size + 1
        assert bytes.fromhex(second.public_key) == heads.key.public_raw
    finally:
        await heads.stop()


async def migrate_with_old_records(url: str) -> list[str]:
    """Migrate to 0022, write three records as the log did then, migrate on; their leaf hashes."""
    db = Database(url)
    try:
        db.create_file()
        await upgrade(db.engine, "0022")
        expected, prev = [], GENESIS
        async with db.session() as session, session.begin():
            for seq in (1, 2, 3):
                entry = ChainEntry(
                    seq, datetime(2026, 1, seq, tzinfo=UTC), "admin", "user.create", f"user/{seq}",
                    None, "10.0.0.1", "ok", "{}", prev,
                )  # fmt: skip
                entry = dataclasses.replace(entry, hash=chain_hash(prev, entry))
                await session.execute(
                    text(
                        "INSERT INTO audit_records (seq, at, actor, action, resource, channel_id, "
                        "source, outcome, detail, prev_hash, hash) VALUES (:seq, :at, :actor, "
                        ":action, :resource, :channel_id, :source, :outcome, :detail, "
                        ":prev_hash, :hash)"
                    ).bindparams(bindparam("at", type_=UTCDateTime())),
                    dataclasses.asdict(entry),
                )
                expected.append(leaf_hash(canonical(entry)).hex())
                prev = entry.hash
        await upgrade(db.engine)
        async with db.session() as session:
            stored = (await session.execute(text("SELECT leaf_hash FROM audit_records"))).all()
        assert [row[0] for row in stored] == expected
        return expected
    finally:
        await db.dispose()


def test_migration_gives_old_records_their_leaf_hashes(tmp_path: Path) -> None:
    sqlite = f"sqlite+aiosqlite:///{tmp_path}/vigil.db"
    assert len(asyncio.run(migrate_with_old_records(sqlite))) == 3
    with scratch_pg_database() as url:  # skips, saying so, without PostgreSQL
        assert len(asyncio.run(migrate_with_old_records(url))) == 3
