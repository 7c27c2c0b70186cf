"""The ``ptz_preset`` linkage action over the real GB/T 28181 control path: an alarm on a linked
rule sends a simulated dome (a ``SimDevice`` registered over SIP on loopback) to the preset, as
the system under the alarm centre's name, audited like an operator's preset call; a rule naming
another channel moves that one."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from tests.integration.gb28181.conftest import NodeFactory
from tests.integration.gb28181.simulated import Rig, start_rig, wait_for
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.protocols.ptz import Preset, PresetAction

AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


async def test_an_alarm_moves_the_dome_to_the_preset(rig: Rig) -> None:
    node, channel, other = rig.node, rig.channels[0], rig.channels[1]
    for target in (channel, other):
        await node.controls.preset(SYSTEM, target, "set", 5)
    dome, far = rig.device.ptz(channel), rig.device.ptz(other)
    await wait_for(lambda: 5 in dome.presets and 5 in far.presets)
    assert dome.pan == 0.0
    rules = [
        {
            "name": "intrusion → gate view",
            "source": "analytics",
            "kind": "intrusion",
            "actions": [{"type": "ptz_preset", "preset": 5}],
        },
        {
            "name": "crowding → the other dome",
            "kind": "crowding",
            "actions": [{"type": "ptz_preset", "preset": 5, "channel_id": other}],
        },
    ]
    await node.alarms.replace_linkages(SYSTEM, rules)

    await node.alarms.raise_analytics(channel_id=channel, rule_id=1, kind="loitering", at=AT)
    await node.alarms.linkage.idle()
    assert dome.commands[-1] == Preset(PresetAction.SET, 5)  # no rule for loitering

    await node.alarms.raise_analytics(channel_id=channel, rule_id=1, kind="intrusion", at=AT)
    await wait_for(lambda: dome.commands[-1] == Preset(PresetAction.CALL, 5), timeout=10)
    assert dome.pan == 185.0  # the simulator's position for preset 5
    assert far.commands[-1] == Preset(PresetAction.SET, 5)

    await node.alarms.raise_analytics(channel_id=channel, rule_id=2, kind="crowding", at=AT)
    await wait_for(lambda: far.commands[-1] == Preset(PresetAction.CALL, 5), timeout=10)
    await node.alarms.linkage.idle()
    assert node.alarms.linkage.counts["ptz_preset.ok"] == 2

    calls = await node.audit.page(SYSTEM, AuditFilter(action="device.preset"), None, 10)
    by_linkage = [r for r in calls if r.actor == "alarm-centre"]
    seen = sorted((r.channel_id, json.loads(r.detail)) for r in by_linkage)
    assert seen == sorted([(t, {"action": "call", "number": 5}) for t in (channel, other)])


async def test_a_dome_that_does_not_answer_counts_as_failed(rig: Rig) -> None:
    node = rig.node
    rule = {"name": "r", "actions": [{"type": "ptz_preset", "preset": 9}]}
    await node.alarms.replace_linkages(SYSTEM, [rule])
    # A channel the catalog does not hold: the control path refuses it (NotFound).
    await node.alarms.raise_analytics(
        channel_id="34010000001329999999", rule_id=1, kind="intrusion", at=AT
    )
    await node.alarms.linkage.idle()
    assert node.alarms.linkage.counts["ptz_preset.failed"] == 1
