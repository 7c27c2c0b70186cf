"""The ``record`` linkage action with a simulated camera streaming over GB/T 28181 on loopback: an
alarm on a channel without a recording plan records it for the rule's seconds (segments from the
alarm's time to at least that much later, hashed and indexed), then stops by itself; so does one
whose plan is ``off`` (the alarm sets the plan aside for that long); a channel that is being
recorded already is left alone. Started as the alarm centre, audited.

The recording starts with the first keyframe the camera sends after the INVITE, so it begins a
moment after the alarm; the assertion allows ``START_SLACK`` seconds for that."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from tests.integration.gb28181.conftest import NodeFactory
from tests.integration.gb28181.simulated import Rig, start_rig, wait_for
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.media import RecordingSchedule, StreamKey
from vigil.store.types import utcnow

SECONDS = 10
START_SLACK = timedelta(seconds=3)


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


async def test_an_alarm_records_the_channel_for_the_rule_s_seconds(rig: Rig) -> None:
    node, channels = rig.node, rig.channels[:2]  # the second one's plan is "off"
    await node.recording.put_plan(SYSTEM, channels[1], RecordingSchedule.parse("off", []))
    rule = {"name": "record", "actions": [{"type": "record", "seconds": SECONDS}]}
    await node.alarms.replace_linkages(SYSTEM, [rule])
    keys = [StreamKey(channel) for channel in channels]
    assert not set(keys) & set(node.recording.recording())

    at = utcnow()
    for channel in channels:
        await node.alarms.raise_analytics(channel_id=channel, rule_id=1, kind="intrusion", at=at)
    await wait_for(lambda: set(keys) <= set(node.recording.recording()), timeout=10)
    # A second alarm while it records starts nothing more.
    await node.alarms.raise_analytics(channel_id=channels[0], rule_id=1, kind="intrusion", at=at)
    await node.alarms.linkage.idle()
    counts = node.alarms.linkage.counts
    assert counts["record.ok"] == 2 and counts["record.skipped"] == 1

    await wait_for(lambda: not set(keys) & set(node.recording.recording()), timeout=SECONDS + 10)
    await wait_for(lambda: not node.on_demand_recording.running(), timeout=10)
    end = at + timedelta(seconds=SECONDS)
    for channel in channels:
        segments, _ = await node.recording.ranges(
            SYSTEM, channel, at - timedelta(minutes=1), end + timedelta(minutes=1)
        )
        assert segments, f"nothing was recorded on {channel}"
        first, last = min(s.start for s in segments), max(s.end for s in segments)
        assert at <= first <= at + START_SLACK, channel
        assert end - timedelta(seconds=1) <= last <= end + timedelta(seconds=3), channel
    # stopped by itself: no recorder started again (the plan of the second says off)
    await asyncio.sleep(1)
    assert not set(keys) & set(node.recording.recording())

    starts = await node.audit.page(SYSTEM, AuditFilter(action="recording.start"), None, 10)
    assert sorted((r.actor, r.channel_id) for r in starts) == [
        ("alarm-centre", channel) for channel in sorted(channels)
    ]
