"""The hash chain finds edits, deletions and reorderings, and names the first bad record."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from vigil.governance.audit_chain import GENESIS, ChainEntry, chain_hash, find_break

START = datetime(2026, 1, 1, tzinfo=UTC)


def make_chain(count: int) -> list[ChainEntry]:
    entries, prev = [], GENESIS
    for seq in range(1, count + 1):
        entry = ChainEntry(
            seq=seq,
            at=START + timedelta(seconds=seq),
            actor="operator1",
            action="video.live",
            resource=f"/api/v1/channels/3401000000132000000{seq % 10}/live",
            channel_id=f"3401000000132000000{seq % 10}",
            source="10.0.0.1",
            outcome="ok",
            detail='{"purpose":"patrol"}',
            prev_hash=prev,
        )
        entry = dataclasses.replace(entry, hash=chain_hash(prev, entry))
        entries.append(entry)
        prev = entry.hash
    return entries


def test_intact_chain() -> None:
    assert find_break(make_chain(50)) == (50, None)


def test_one_changed_character_is_named() -> None:
    chain = make_chain(20)
    chain[11] = dataclasses.replace(chain[11], outcome="ko")
    checked, broken = find_break(chain)
    assert checked == 11
    assert broken is not None and broken.seq == 12 and "edited" in broken.reason


def test_edit_with_recomputed_hash_breaks_the_next_link() -> None:
    chain = make_chain(20)
    forged = dataclasses.replace(chain[5], actor="someone-else")
    chain[5] = dataclasses.replace(forged, hash=chain_hash(forged.prev_hash, forged))
    _, broken = find_break(chain)
    assert broken is not None and broken.seq == 7 and "does not follow" in broken.reason


def test_deleted_record_is_named() -> None:
    chain = make_chain(10)
    del chain[3]
    _, broken = find_break(chain)
    assert broken is not None and broken.seq == 5
    assert "record 4 expected but 5 found (deleted)" in broken.reason


def test_reordered_records_are_found() -> None:
    chain = make_chain(10)
    chain[2], chain[3] = chain[3], chain[2]
    _, broken = find_break(chain)
    assert broken is not None and broken.seq == 4
