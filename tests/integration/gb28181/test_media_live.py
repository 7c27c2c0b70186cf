"""Live video from a simulated device over each transport, and how calls end (simulator ↔ server).

Each test INVITEs through the stream hub exactly as a viewer does, decodes what arrives with PyAV,
and checks the device's side of the dialog: its call exists while someone watches and is gone
(BYE) once the last viewer left.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.integration.gb28181.conftest import NodeFactory
from tests.integration.gb28181.simulated import Rig, decode, start_rig, take, wait_for
from vigil.gb28181.calls.media_call import StreamFailed
from vigil.media.fanout import ConsumerDropped
from vigil.media.packet import StreamKey
from vigil.protocols.sdp import Transport
from vigil.protocols.sip import SipRequest
from vigil.sim.sip_link import Respond


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


@pytest.mark.parametrize("transport", ["udp", "tcp_passive", "tcp_active"])
async def test_live_over_each_transport_decodes_and_bye_ends_the_call(
    rig: Rig, transport: str
) -> None:
    node, sim = rig.node, rig.device
    node.gb_media.prefer(sim.device_id, transport)
    key = StreamKey(rig.channels[0])
    subscription = await node.media.hub.subscribe(key)
    try:
        packets = await take(subscription, 30)
        assert packets[0].keyframe
        assert decode(packets) >= 25
        (call,) = sim.calls.active.values()
        expected = {"udp": Transport.UDP, "tcp_passive": Transport.TCP_ACTIVE}
        # The device's plan is its own role: our passive is its active and the other way round.
        assert call.plan.transport == expected.get(transport, Transport.TCP_PASSIVE)
        (ours,) = node.gb_media.calls.values()
        assert ours.ssrc == call.plan.ssrc and ours.ssrc.startswith("0")
        assert ours.transport == transport
    finally:
        subscription.close()
    await wait_for(lambda: not sim.calls.active)  # our BYE after the linger
    await wait_for(lambda: not node.gb_media.calls)
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use


async def test_device_hangup_is_reinvited_then_reported_as_media_stopped(rig: Rig) -> None:
    node, sim = rig.node, rig.device
    key = StreamKey(rig.channels[1])
    subscription = await node.media.hub.subscribe(key)
    try:
        await take(subscription, 5)
        first = next(iter(sim.calls.active))
        assert await sim.stop_stream(first)
        # Viewers remain: the server re-INVITEs and the same subscription goes on.
        await wait_for(lambda: len(sim.calls.active) == 1 and first not in sim.calls.active)
        more = await take(subscription, 10)
        assert any(p.keyframe for p in more)
        (stream,) = node.media.hub.streams()
        assert stream.stats is not None and stream.stats.reconnects == 1
    finally:
        subscription.close()
    await wait_for(lambda: not sim.calls.active)
    # Without retries, a device hanging up reaches the viewer with its stage.
    node.gb_media.retries = 0
    subscription = await node.media.hub.subscribe(key)
    try:
        await take(subscription, 2)
        assert await sim.stop_stream()
        with pytest.raises(ConsumerDropped, match=r"^media stopped: the device sent BYE"):
            await take(subscription, 10_000)
    finally:
        subscription.close()
    await wait_for(lambda: not node.gb_media.calls)
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use


async def test_invite_for_an_unknown_channel_fails_with_its_stage(rig: Rig) -> None:
    node, sim = rig.node, rig.device
    unknown = StreamKey("34010400001320009999")
    with pytest.raises(StreamFailed) as failure:
        await node.gb_media.call(unknown, sim.device_id)
    assert failure.value.stage == "SDP rejected" and "404" in str(failure.value)
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use


async def test_a_silent_device_fails_with_no_answer(rig: Rig) -> None:
    node, sim = rig.node, rig.device

    async def ignore(request: SipRequest, respond: Respond) -> None:
        await asyncio.sleep(2)  # the device sits on INVITEs for this channel past our timeout

    sim.link.attach(rig.channels[2], ignore)
    node.gb_media.invite_timeout = 0.5
    with pytest.raises(StreamFailed) as failure:
        await node.gb_media.call(StreamKey(rig.channels[2]), sim.device_id)
    assert failure.value.stage == "no answer"
    assert not node.media.ports.in_use and not node.media.ssrcs.in_use
