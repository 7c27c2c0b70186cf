"""Retention by channel class on a real index and real files: a short class deletes and writes
one audit record per channel, never under the legal minimum by age; disk pressure may and says
so; an evidence lock with a future expiry survives age and disk pressure and goes after it.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.integration.media.recording_synthetic import T0, feed, stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import Codec
from vigil.media.recording.index import utc
from vigil.media.recording.retention import Retention, RetentionPolicy
from vigil.retention_class import RetentionClass

THIRTY = timedelta(days=30)


def an_hour_from_now() -> datetime:
    """A lock expiry in the future when the lock is set: taken from the clock at call time, not
    from ``T0``, which is read at import and may be an hour stale by the time a test runs."""
    return datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)


def files(root: Path) -> int:
    return sum(f.stat().st_size for f in root.rglob("*.mp4"))


def roomy(root: Path) -> tuple[int, int]:
    return 1 << 50, files(root)


async def recorded(node: Vigil) -> list[int]:
    rows = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
    return [r.id for r in rows]


async def passes(node: Vigil) -> list[dict[str, Any]]:
    page = await node.audit.page(SYSTEM, AuditFilter(action="recording.retention"), None, 10)
    assert all(a.actor == "system:retention" and a.channel_id == CHANNEL for a in page)
    return [json.loads(a.detail) for a in page]


async def test_short_class_deletes_and_audits_never_under_minimum(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 300))))
    ids = await recorded(node)
    rows = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
    policy = RetentionPolicy(
        max_age=None,
        days_by_class={"standard": 90, "traffic": 31, "sensitive": 7},
        min_age=THIRTY,
    )
    retention = Retention(node.recording.root, node.recording.index, policy, roomy, node.audit)
    after_31 = utc(T0 + 301) + timedelta(days=31, seconds=1)

    # Standard keeps 90 days: nothing goes.
    assert await retention.run_once(after_31) == []
    # "sensitive" asks 7 days, but the age rule never goes under the 30-day minimum.
    await node.recording.set_retention_class(SYSTEM, CHANNEL, RetentionClass.sensitive)
    assert await retention.run_once(utc(T0 + 301) + timedelta(days=8)) == []
    assert await recorded(node) == ids
    assert await passes(node) == []

    await node.recording.set_retention_class(SYSTEM, CHANNEL, RetentionClass.traffic)
    assert [s.id for s in await retention.run_once(after_31)] == ids
    assert await recorded(node) == []
    assert files(node.recording.root) == 0
    [detail] = await passes(node)
    assert detail == {
        "count": len(ids),
        "bytes": sum(r.size for r in rows),
        "oldest": rows[0].start.isoformat(),
        "newest": rows[-1].end.isoformat(),
        "reasons": {"age": len(ids)},
        "below_minimum": 0,
        "minimum_days": 30,
    }


async def test_disk_pressure_goes_under_minimum_and_says_so(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 300))))
    ids = await recorded(node)
    policy = RetentionPolicy(max_age=THIRTY, min_age=THIRTY, high_water=0.5, low_water=0.4)
    full = Retention(
        node.recording.root,
        node.recording.index,
        policy,
        lambda root: (files(root) + 1, files(root)),  # always nearly full
        node.audit,
    )
    assert [s.id for s in await full.run_once(utc(T0 + 400))] == ids
    [detail] = await passes(node)
    assert detail["reasons"] == {"disk": len(ids)}
    assert detail["below_minimum"] == len(ids)


async def test_lock_with_expiry_survives_until_it_expires(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 300))))
    ids = await recorded(node)
    expires = an_hour_from_now()
    locked = await node.recording.lock(
        SYSTEM, CHANNEL, utc(T0), utc(T0 + 90), True, "assault", "A-2026-17", expires
    )
    assert locked == ids[:2]
    rows = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
    assert [(r.lock_case, r.lock_expires_at) for r in rows[:2]] == [("A-2026-17", expires)] * 2
    [lock] = await node.audit.page(SYSTEM, AuditFilter(action="recording.lock"), None, 10)
    assert json.loads(lock.detail)["case"] == "A-2026-17"
    assert json.loads(lock.detail)["expires_at"] == expires.isoformat()

    ten_minutes = RetentionPolicy(max_age=timedelta(minutes=10))
    aging = Retention(node.recording.root, node.recording.index, ten_minutes, roomy)
    pressed = Retention(
        node.recording.root,
        node.recording.index,
        RetentionPolicy(max_age=None, high_water=0.5, low_water=0.4),
        lambda root: (files(root) + 1, files(root)),
    )
    before = expires - timedelta(minutes=1)
    assert [s.id for s in await aging.run_once(before)] == ids[2:]
    assert await pressed.run_once(before) == []  # disk pressure spares the lock too
    assert await recorded(node) == ids[:2]

    after = expires + timedelta(seconds=1)
    assert [s.id for s in await pressed.run_once(after)] == ids[:2]
    assert await recorded(node) == []


async def test_unlock_clears_case_and_expiry(node: Vigil) -> None:
    await add_channel(node)
    await (await node.recording.record(KEY, feed(stream(Codec.H264, 120))))
    expires = an_hour_from_now()
    await node.recording.lock(SYSTEM, CHANNEL, utc(T0), utc(T0 + 120), True, "x", "C-1", expires)
    await node.recording.lock(SYSTEM, CHANNEL, utc(T0), utc(T0 + 120), False, "closed")
    rows = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
    assert {(r.locked, r.lock_case, r.lock_expires_at) for r in rows} == {(False, None, None)}


async def test_node_wires_class_days_and_minimum_from_settings(node: Vigil) -> None:
    days = {"standard": 45, "traffic": 30, "key_area": 120}
    settings = node.settings.model_copy(
        update={"retention_days_by_class": days, "retention_max_days": 120}
    )
    policy = Vigil(settings).recording.retention.policy
    assert policy.min_age == THIRTY
    assert policy.keep_for("traffic") == THIRTY
    assert policy.keep_for("key_area") == timedelta(days=120)
    assert policy.keep_for("sensitive") == timedelta(days=45)  # left out: standard's days
