"""The evidence-lock action locks the recording over an alarm's clip range, on a channel that is
recording when the alarm is raised; the lock is audited as the alarm centre's."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

from tests.integration.media.recording_synthetic import T0, stream
from tests.integration.media.test_recording_export import CHANNEL, KEY, add_channel
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.media import Codec, MediaPacket
from vigil.media.recording.index import utc


async def _live(packets: Iterator[MediaPacket], hold: asyncio.Event) -> AsyncIterator[MediaPacket]:
    """The packets, then silence until ``hold`` is set: a camera still being recorded."""
    for packet in packets:
        yield packet
    await hold.wait()


async def test_alarm_on_a_recording_channel_locks_its_clip(node: Vigil) -> None:
    await add_channel(node)
    await node.alarms.replace_linkages(
        SYSTEM, [{"name": "keep evidence", "actions": [{"type": "evidence_lock"}]}]
    )
    hold = asyncio.Event()
    task = await node.recording.record(KEY, _live(stream(Codec.H264, 300), hold))
    try:

        async def indexed() -> bool:
            rows = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
            return len(rows) >= 3

        for _ in range(200):
            if await indexed():
                break
            await asyncio.sleep(0.05)
        segments = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
        # An alarm in the middle of the second segment: its clip lies within that segment.
        second = segments[1]
        at = second.start + (second.end - second.start) / 2
        assert node.alarms.clip < (second.end - second.start) / 2
        alarm = await node.alarms.raise_analytics(
            channel_id=CHANNEL, rule_id=1, kind="intrusion", at=at
        )
        await asyncio.wait_for(node.alarms.linkage.idle(), 10)
        assert node.alarms.linkage.counts["evidence_lock.ok"] == 1
        after = await node.recording.index.segments(CHANNEL, utc(T0 - 1), utc(T0 + 3600))
        assert [s.id for s in after if s.locked] == [second.id]
        audit = await node.audit.page(SYSTEM, AuditFilter(action="recording.lock"), None, 10)
        assert [(a.actor, a.channel_id) for a in audit] == [("alarm-centre", CHANNEL)]
        assert json.loads(audit[0].detail)["reason"] == f"alarm {alarm.id}"
        assert alarm.clip_end is not None and alarm.clip_end - at == timedelta(seconds=10)
    finally:
        hold.set()
        await task
