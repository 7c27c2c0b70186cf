"""The ``record`` linkage action with a simulated camera streaming over GB/T 28181 on loopback: an
alarm on a channel without a recording plan records it for the rule's seconds (segments from the
alarm's time to at least that much later, hashed and indexed), then stops by itself; a channel
that is being recorded already is left alone. Started as the alarm centre, audited.

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
from vigil.media import StreamKey
from vigil.store.types import utcnow

SECONDS = 10
START_SLACK = timedelta(seconds=3)


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


async def test_an_alarm_records_the_channel_for_the_rule_s_seconds(rig: Rig) -> None:
    node, channel = rig.node, rig.channels[0]
    rule = {"name": "record", "actions": [{"type": "record", "seconds": SECONDS}]}
    await node.alarms.replace_linkages(SYSTEM, [rule])
    key = StreamKey(channel)
    assert key not in node.recording.recording()

    at = utcnow()
    await node.alarms.raise_analytics(channel_id=channel, rule_id=1, kind="intrusion", at=at)
    await wait_for(lambda: key in node.recording.recording(), timeout=10)
    # A second alarm while it records starts nothing more.
    await node.alarms.raise_analytics(channel_id=channel, rule_id=1, kind="intrusion", at=at)
    await node.alarms.linkage.idle()
    counts = node.alarms.linkage.counts
    assert counts["record.ok"] == 1 and counts["record.skipped"] == 1

    await wait_for(lambda: key not in node.recording.recording(), timeout=SECONDS + 10)
    await wait_for(lambda: not node.on_demand_recording.running(), timeout=10)
    end = at + timedelta(seconds=SECONDS)
    segments, _ = await node.recording.ranges(
        SYSTEM, channel, at - timedelta(minutes=1), end + timedelta(minutes=1)
    )
    assert segments, "nothing was recorded"
    first, last = min(s.start for s in segments), max(s.end for s in segments)
    assert at <= first <= at + START_SLACK
    assert end - timedelta(seconds=1) <= last <= end + timedelta(seconds=3)
    # stopped by itself: no recorder, no hub stream held for it
    await asyncio.sleep(1)
    assert key not in node.recording.recording()

    starts = await node.audit.page(SYSTEM, AuditFilter(action="recording.start"), None, 10)
    assert [(r.actor, r.channel_id) for r in starts] == [("alarm-centre", channel)]
