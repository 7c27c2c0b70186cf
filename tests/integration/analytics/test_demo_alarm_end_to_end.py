"""Issue 16's end-to-end case, on the real pipeline: the demo's footage camera on a lower node
(the simulated NVR streaming ``vtest.avi``, the node's own live analytics running the demo's rules,
the camera recorded continuously) shared with an upper Vigil over SIP on loopback.

The woman who crosses the lawn's corner (~67–76 s into the 79.5 s loop, see
:mod:`vigil.demo_rules`) raises exactly one intrusion alarm of the zone ``demo-lawn``, with its
snapshot and clip; the wrong-way line ``demo-lawn-line`` raises none. The linkage rule for
``rule:demo-lawn`` delivers it to a real MQTT subscriber (Mosquitto on 127.0.0.1:1883), to a real
webhook receiver on loopback and to the upper (a GB/T 28181 video alarm, method 5 / type 6, under
the outward ID, in the upper's alarm centre), and locks the recording over its clip.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiomqtt
import pytest

from tests.integration.alarms.webhooks import receiving_webhooks
from tests.integration.analytics.demo_node import demo_node
from tests.integration.cascade.upper_nodes import (
    LINK_PASSWORD,
    LOWER_ID,
    OUTWARD_ID,
    UPPER_DOMAIN,
    UPPER_ID,
    add_upper,
    share,
    start_node,
)
from tests.unit.sim.footage import needs_vtest
from tests.waiting import until
from vigil.alarms import AlarmFilter
from vigil.app import Vigil
from vigil.bus import Event
from vigil.demo import FOOTAGE_CAMERA_ID
from vigil.demo_rules import LAWN_RULE, WRONG_WAY_RULE
from vigil.gb28181.devices.events import DeviceAlarmRaised
from vigil.governance.permissions import SYSTEM
from vigil.store.models import Alarm
from vigil.store.models.platforms import PlatformShare, ShareKind
from vigil.store.types import utcnow

log = logging.getLogger(__name__)

pytestmark = [pytest.mark.timeout(300), needs_vtest]

#: The woman comes ~67 s into the loop, which starts with the camera's stream; a pipeline that
#: starts late (a slow worker on a loaded machine) sees her in the second loop, ~147 s in.
FIRST_ALARM_WITHIN = 150.0
#: She has left the lawn and crossed the line well within this many seconds of the alarm.
PAST_HER_CROSSING = 15.0


@pytest.fixture
async def nodes(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[tuple[Vigil, Vigil, int]]:
    """(upper, lower, the upper's platform id on the lower): the lower is the demo node with its
    analytics on, its footage camera shared under ``OUTWARD_ID``; the upper holds the lower's
    alarm subscription."""
    (tmp_path / "upper").mkdir()
    (tmp_path / "lower").mkdir()
    shutil.copyfile(sqlite_template, tmp_path / "upper" / "vigil.db")
    upper = await start_node(
        tmp_path,
        "upper",
        sip_id=UPPER_ID,
        sip_domain=UPPER_DOMAIN,
        sip_password=LINK_PASSWORD,
        sip_admit_unknown=True,
        subscribe_expires=600,
    )
    try:
        async with demo_node(tmp_path / "lower", sqlite_template, True, sip_id=LOWER_ID) as lower:
            platform_id = await add_upper(lower, upper.gb.port)
            camera = PlatformShare(
                kind=ShareKind.channel, target_id=FOOTAGE_CAMERA_ID, outward_id=OUTWARD_ID
            )
            await share(lower, platform_id, camera)
            subscriptions = lower.cascade_notifier.subscriptions
            await until(lambda: subscriptions.holds(platform_id, "alarm"), "alarm subscription", 30)
            yield upper, lower, platform_id
    finally:
        await upper.stop()


async def alarms(node: Vigil) -> list[Alarm]:
    return await node.alarms.page(SYSTEM, AlarmFilter(), None, 200)


def of_rule(found: list[Alarm], rule_id: str) -> list[Alarm]:
    return [a for a in found if a.source == "analytics" and a.detail.get("rule_id") == rule_id]


async def test_the_woman_on_the_lawn_raises_one_alarm_that_reaches_everyone(
    nodes: tuple[Vigil, Vigil, int],
) -> None:
    upper, lower, _ = nodes
    went_up: list[DeviceAlarmRaised] = []

    async def collect(event: Event) -> None:
        assert isinstance(event, DeviceAlarmRaised)
        went_up.append(event)

    upper.bus.subscribe("device.alarm", collect)
    prefix = f"vigil-test/{uuid.uuid4().hex}"
    with receiving_webhooks() as (url, posted):
        rule = {
            "name": "lawn everywhere",
            "source": "analytics",
            "kind": f"rule:{LAWN_RULE}",
            "actions": [
                {"type": "evidence_lock"},
                {"type": "mqtt", "host": "127.0.0.1", "port": 1883, "topic": prefix + "/{kind}"},
                {"type": "webhook", "url": url},
                {"type": "forward_upper"},
            ],
        }
        await lower.alarms.replace_linkages(SYSTEM, [rule])
        async with aiomqtt.Client("127.0.0.1", 1883) as subscriber:
            await subscriber.subscribe(f"{prefix}/#", qos=1)
            started = time.monotonic()

            async def intruded() -> bool:
                return bool(of_rule(await alarms(lower), LAWN_RULE))

            await until(intruded, "the lawn's intrusion alarm", FIRST_ALARM_WITHIN, 1.0)
            waited = time.monotonic() - started
            await asyncio.sleep(PAST_HER_CROSSING)
            found = await alarms(lower)
            message = await asyncio.wait_for(anext(aiter(subscriber.messages)), 10)

        # Exactly one intrusion of the lawn; the wrong-way line counted her and raised nothing.
        [alarm] = of_rule(found, LAWN_RULE)
        assert of_rule(found, WRONG_WAY_RULE) == []
        assert (alarm.channel_id, alarm.kind) == (FOOTAGE_CAMERA_ID, "intrusion")
        assert alarm.detail["label"] == "person"
        assert alarm.snapshot_path is not None
        snapshot = lower.settings.data_dir / alarm.snapshot_path
        assert snapshot.read_bytes()[:2] == b"\xff\xd8"  # a JPEG
        assert alarm.clip_start is not None and alarm.clip_end is not None
        assert alarm.clip_start < alarm.at < alarm.clip_end
        assert alarm.clip_start == alarm.at - lower.alarms.clip
        assert alarm.clip_end == alarm.at + lower.alarms.clip

        # The MQTT subscriber and the webhook receiver got that alarm.
        assert str(message.topic) == f"{prefix}/intrusion"
        assert isinstance(message.payload, bytes)
        assert json.loads(message.payload)["id"] == alarm.id
        await until(lambda: bool(posted), "the webhook's POST", 10, 0.1)
        assert [(path, body["id"]) for path, body in posted] == [("/hooks/alarm", alarm.id)]

    # The upper holds it as a video alarm of the outward ID.
    async def landed() -> bool:
        return any(a.channel_id == OUTWARD_ID for a in await alarms(upper))

    await until(landed, "the alarm in the upper's alarm centre", 10, 0.1)
    [above] = [a for a in await alarms(upper) if a.channel_id == OUTWARD_ID]
    assert (above.source, above.kind) == ("device", "gb.video.6")
    assert [(e.source_id, e.method, e.alarm_type) for e in went_up] == [(OUTWARD_ID, 5, 6)]

    # The evidence lock: once the clip has ended and its last segment closed, the recording
    # segments over the clip are locked, and no other.
    linkage = lower.alarms.linkage
    segment = lower.recording.config.segment_seconds
    lock_within = (alarm.clip_end - utcnow()).total_seconds() + segment + 20
    await until(lambda: linkage.counts["evidence_lock.ok"] == 1, "the lock", lock_within, 0.5)
    index = lower.recording.index
    over = await index.segments(FOOTAGE_CAMERA_ID, alarm.clip_start, alarm.clip_end)
    assert over and all(s.locked for s in over)
    assert over[0].start <= alarm.clip_start and over[-1].end >= alarm.clip_end
    around = await index.segments(
        FOOTAGE_CAMERA_ID,
        alarm.clip_start - timedelta(hours=1),
        alarm.clip_end + timedelta(hours=1),
    )
    assert [s.id for s in around if s.locked] == [s.id for s in over]
    assert linkage.counts["forward_upper.ok"] == 1
    assert linkage.counts["mqtt.ok"] == 1 and linkage.counts["webhook.ok"] == 1
    log.info("first lawn alarm %.0f s after the linkage was set", waited)
