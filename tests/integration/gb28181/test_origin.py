"""A device's requests are trusted only from its registration (issue 13, SIP spoofing).

A registered camera sends from 127.0.0.1; a spoofer on 127.0.0.2 writes the camera's ID in From.
Its Keepalive, Catalog NOTIFY and Alarm are refused with 403 and change nothing: the camera keeps
its address, so PTZ still reaches the camera's socket; the refusals are audited within a budget.
A camera that really moved is refused too until it registers again with digest, and is then
reached at its new address without going offline. Inside a call, a BYE or MediaStatus from
another address is refused and the call goes on.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import func, select

from tests.integration.gb28181.conftest import DEVICE_ID, NodeFactory, device, eventually
from tests.integration.gb28181.simulated import Rig, start_rig, wait_for
from tests.integration.gb28181.test_catalog import CHANNELS, channel_ids
from tests.integration.gb28181.test_register import status_events
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.media.packet import StreamKey
from vigil.protocols.manscdp import (
    MEDIA_STATUS_END_OF_FILE,
    AlarmNotify,
    CatalogItem,
    CatalogNotify,
    MediaStatusNotify,
    encode,
)
from vigil.protocols.sip import SipRequest, SipResponse, Via, new_branch, parse_message
from vigil.store.models import DeviceAlarm

SPOOF_HOST = "127.0.0.2"
SPOOFED_CHANNEL = "34010400001320000666"


def ptz_requests(requests: list[SipRequest]) -> list[SipRequest]:
    return [r for r in requests if r.method == "MESSAGE" and b"<PTZCmd>" in r.body]


async def origin_audits(node: Vigil) -> int:
    return len(await node.audit.page(SYSTEM, AuditFilter(action="gb.origin"), None, 100))


async def test_spoofed_keepalive_catalog_and_alarm_are_refused_and_ptz_stays(
    gb_node: Vigil,
) -> None:
    async with (
        device(gb_node, channels=CHANNELS[:2]) as camera,
        device(gb_node, local_host=SPOOF_HOST) as spoofer,
    ):
        assert (await camera.register()).status == 200

        async def catalogued() -> bool:
            return len(await channel_ids(gb_node)) == 2

        await eventually(catalogued)
        assert spoofer.local[0] == SPOOF_HOST

        keepalive = await spoofer.keepalive()
        assert keepalive.status == 403 and "registered address" in keepalive.reason
        notify = CatalogNotify(
            sn=spoofer.next_sn(),
            device_id=DEVICE_ID,
            sum_num=1,
            items=(CatalogItem(device_id=SPOOFED_CHANNEL, event="ADD", name="SPOOFED-CAM"),),
        )
        headers = [("Event", "Catalog"), ("Subscription-State", "active")]
        request = spoofer._request("NOTIFY", body=encode(notify), headers=headers)
        assert (await spoofer.send(request)).status == 403
        alarm = AlarmNotify(
            sn=spoofer.next_sn(),
            device_id=CHANNELS[0].device_id,
            alarm_priority=1,
            alarm_method=5,
            alarm_time=datetime(2024, 5, 1, 8, 0, 0),
            alarm_description="spoofed",
        )
        assert (await spoofer.message(alarm)).status == 403

        presence = gb_node.gb.device(DEVICE_ID)
        assert presence is not None and presence.online
        assert (presence.transport, presence.host, presence.port) == ("udp", *camera.local)
        assert SPOOFED_CHANNEL not in await channel_ids(gb_node)
        async with gb_node.db.session() as session:
            assert await session.scalar(select(func.count()).select_from(DeviceAlarm)) == 0

        # The next PTZ goes to the camera, not to whoever sent the keepalive.
        await gb_node.controls.ptz(SYSTEM, CHANNELS[0].device_id, "left", 64)
        assert len(ptz_requests(camera.requests)) == 1
        assert ptz_requests(spoofer.requests) == []
        assert (await camera.keepalive()).status == 200  # the camera itself is still heard

        records = await gb_node.audit.page(SYSTEM, AuditFilter(action="gb.origin"), None, 10)
        assert len(records) == 3
        assert {(r.outcome, r.source) for r in records} == {("denied", SPOOF_HOST)}
        assert {r.actor for r in records} == {f"device:{DEVICE_ID}"}
        assert "not the address of its registration" in records[0].detail

        # A flood of spoofs is answered, but audited only within the budget.
        for _ in range(20):
            assert (await spoofer.keepalive()).status == 403
        assert await origin_audits(gb_node) == 5


async def test_moved_device_is_refused_until_it_registers_then_reached_there(
    gb_node: Vigil,
) -> None:
    camera = device(gb_node, channels=CHANNELS[:1])
    async with camera:
        assert (await camera.register()).status == 200

        async def catalogued() -> bool:
            return len(await channel_ids(gb_node)) == 1

        await eventually(catalogued)
        await camera.reopen(host="127.0.0.3")
        assert (await camera.keepalive()).status == 403  # NAT rebinding, 4G handover…
        assert (await camera.register()).status == 200  # …so it registers again, with digest
        assert (await camera.keepalive()).status == 200
        presence = gb_node.gb.device(DEVICE_ID)
        assert presence is not None and presence.online
        assert (presence.host, presence.port) == camera.local
        before = len(ptz_requests(camera.requests))
        await gb_node.controls.ptz(SYSTEM, CHANNELS[0].device_id, "up", 32)
        assert len(ptz_requests(camera.requests)) == before + 1

        async def recorded() -> bool:
            return (True, "address_changed") in await status_events(gb_node)

        await eventually(recorded)
        assert all(online for online, _ in await status_events(gb_node))


@pytest.fixture
async def rig(gb_factory: NodeFactory) -> AsyncIterator[Rig]:
    async for value in start_rig(gb_factory):
        yield value


async def _exchange(data: bytes, server: tuple[str, int]) -> SipResponse:
    """Send ``data`` from a UDP socket on the spoofer's address; its first final answer."""
    loop = asyncio.get_running_loop()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((SPOOF_HOST, 0))
        sock.setblocking(False)
        sock.sendto(data, server)
        while True:
            answer = parse_message(await asyncio.wait_for(loop.sock_recv(sock, 65536), 5))
            if isinstance(answer, SipResponse) and answer.status >= 200:
                return answer


async def test_in_dialog_bye_and_media_status_from_another_address_are_refused(rig: Rig) -> None:
    node, sim = rig.node, rig.device
    call = await node.gb_media.call(StreamKey(rig.channels[0]), sim.device_id)
    try:
        await wait_for(lambda: len(sim.calls.active) == 1)
        (device_side,) = sim.calls.active.values()
        server = ("127.0.0.1", node.gb.port)
        ended: list[bool] = []
        call.on_end = lambda reason: ended.append(True)
        for method, body in (
            ("BYE", b""),
            (
                "MESSAGE",
                encode(
                    MediaStatusNotify(
                        sn=1, device_id=rig.channels[0], notify_type=MEDIA_STATUS_END_OF_FILE
                    )
                ),
            ),
        ):
            forged = device_side.dialog.request(
                method,
                via=Via("UDP", SPOOF_HOST, 5060, new_branch(), rport=True),
                body=body,
                content_type="Application/MANSCDP+xml" if body else None,
            )
            answer = await _exchange(bytes(forged), server)
            assert answer.status == 403, (method, answer.status, answer.reason)
        assert call.call_id in node.gb_media.calls and not ended
        assert await origin_audits(node) == 2
    finally:
        await call.close()
    await wait_for(lambda: not sim.calls.active)  # the real BYE still ends it
