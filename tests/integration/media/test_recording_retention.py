"""Retention on a real index and real files: oldest first at the high-water mark, above the
recording cap and by age, never a locked segment; locks are audited. Runs on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import Codec
from vigil.media.recording.index import utc
from vigil.media.recording.retention import Retention, RetentionPolicy


def files(root: Path) -> int:
    return sum(f.stat().st_size for f in root.rglob("*.mp4"))


async def recorded(node: Vigil) -> list[int]:
    rows = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
    return [r.id for r in rows]


async def test_high_water_deletes_oldest_unlocked_and_never_locked(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 600))))
    ids = await recorded(node)
    assert len(ids) == 10
    locked = await node.recording.lock(
        Caller(SYSTEM, "127.0.0.9"), CHANNEL, utc(T0), utc(T0 + 90), True, "incident 7"
    )
    assert locked == ids[:2]

    root = node.recording.root
    used = files(root)
    capacity = int(used / 0.95)  # a disk 95 % full of these recordings
    policy = RetentionPolicy(max_age=None, high_water=0.90, low_water=0.85)
    retention = Retention(root, node.recording.index, policy, lambda r: (capacity, files(r)))
    deleted = await retention.run_once(utc(T0 + 700))

    # ~10.5 % must go and segments are ~10 % each: the two oldest unlocked ones.
    assert [s.id for s in deleted] == ids[2:4]
    assert await recorded(node) == ids[:2] + ids[4:]
    assert not any((root / s.path).exists() for s in deleted)
    assert files(root) <= 0.85 * capacity
    assert await retention.run_once(utc(T0 + 700)) == []  # below the mark now

    audit = await node.audit.page(SYSTEM, AuditFilter(action="recording.lock"), None, 10)
    assert [(a.channel_id, a.source) for a in audit] == [(CHANNEL, "127.0.0.9")]


async def test_age_deletes_everything_old_except_locked(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 300))))
    ids = await recorded(node)
    await node.recording.lock(SYSTEM, CHANNEL, utc(T0 + 130), utc(T0 + 140), True, "x")
    policy = RetentionPolicy(max_age=timedelta(days=30))
    retention = Retention(node.recording.root, node.recording.index, policy, lambda _: (1, 0))
    now = utc(T0 + 301) + timedelta(days=30)
    assert [s.id for s in await retention.run_once(now - timedelta(seconds=61))] == ids[:2]
    assert [s.id for s in await retention.run_once(now)] == ids[3:]
    assert await recorded(node) == [ids[2]]

    await node.recording.lock(SYSTEM, CHANNEL, utc(T0), utc(T0 + 300), False, "closed")
    assert [s.id for s in await retention.run_once(now)] == [ids[2]]


async def test_cap_deletes_oldest_unlocked_first(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 600))))
    ids = await recorded(node)
    assert len(ids) == 10
    await node.recording.lock(SYSTEM, CHANNEL, utc(T0), utc(T0 + 90), True, "incident 8")
    root = node.recording.root
    used = await node.recording.index.total_size()
    assert used == files(root)

    # A cap a fifth below what is recorded, on a disk with room to spare: above the cap, the
    # oldest unlocked segments go until the recordings use 95 % of it (~24 %: three of ten).
    cap = int(used * 0.8)
    settings = node.settings.model_copy(update={"recording_max_gb": cap / 1e9})
    policy = Vigil(settings).recording.retention.policy  # VIGIL_RECORDING_MAX_GB, as wired
    assert policy.max_bytes == cap
    retention = Retention(root, node.recording.index, policy, lambda _: (100 * used, used))
    deleted = await retention.run_once(utc(T0 + 700))

    assert [s.id for s in deleted] == ids[2:5]
    assert await recorded(node) == ids[:2] + ids[5:]
    assert not any((root / s.path).exists() for s in deleted)
    assert files(root) <= 0.95 * cap
    assert await retention.run_once(utc(T0 + 700)) == []  # under the cap now

    # Locked segments are never deleted, even when they alone are over the cap.
    tight = Retention(
        root, node.recording.index, RetentionPolicy(max_age=None, max_bytes=1), policy_usage
    )
    assert [s.id for s in await tight.run_once(utc(T0 + 700))] == ids[5:]
    assert await recorded(node) == ids[:2]


def policy_usage(root: Path) -> tuple[int, int]:
    """A disk far from full."""
    return 1 << 50, files(root)
