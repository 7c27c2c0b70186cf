"""A lower Vigil serving video to an upper platform: a node with a simulated NVR registered to it,
an upper-platform row sharing chosen channels, and a raw upper platform on loopback.

The upper platform here is the simulator tests' :class:`TestPlatform` (built from the protocol
core): the node registers to it with digest through its upper link; it sends
INVITE/ACK/INFO/BYE/MESSAGE From its SIP ID to the node and answers what the node sends (BYE,
MediaStatus, Responses) with 200, so what Vigil does as a lower platform is seen on the wire.
The media end is the same receiver those tests decode with PyAV.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from tests.integration.gb28181.conftest import DEVICE_PASSWORD, gb_settings
from tests.integration.gb28181.simulated import NVR, SMALL, wait_for
from tests.integration.sim.media import MediaReceiver
from tests.integration.sim.platform import DOMAIN, PASSWORD, PLATFORM_ID, TestPlatform
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.protocols.sdp import SessionKind, Transport, build_offer, parse_sdp
from vigil.protocols.sip import Dialog, SipResponse
from vigil.sim import DeviceConfig, SimDevice
from vigil.store.models import Channel
from vigil.store.models.platforms import Platform, PlatformDirection, PlatformShare, ShareKind

#: The lower Vigil's own SIP ID (the upper platform is TestPlatform's PLATFORM_ID).
LOWER_ID = "34010400002000000001"
#: The platform's side, as build_offer names it.
OFFER_TRANSPORT = {
    "udp": Transport.UDP,
    "tcp-passive": Transport.TCP_PASSIVE,
    "tcp-active": Transport.TCP_ACTIVE,
}


@dataclass
class CascadeRig:
    """A node with a simulated device below it and a test upper platform above it."""

    node: Vigil
    device: SimDevice
    upper: TestPlatform
    platform_id: int

    @property
    def channels(self) -> list[str]:
        return [ch.channel_id for ch in self.device.channels]

    async def invite(
        self,
        channel_id: str,
        mode: str,
        *,
        kind: SessionKind = SessionKind.PLAY,
        start: int = 0,
        stop: int = 0,
        speed: int | None = None,
        ssrc: str = "0340201234",
    ) -> tuple[SipResponse, MediaReceiver, Dialog | None]:
        """INVITE ``channel_id`` as the upper platform; on 200, ACK and (TCP active) connect."""
        receiver = MediaReceiver(mode)
        port = await receiver.open()
        offer = build_offer(
            kind=kind,
            sender_id=PLATFORM_ID,
            address="127.0.0.1",
            port=port or 9,
            ssrc=ssrc,
            transport=OFFER_TRANSPORT[mode],
            channel_id=channel_id,
            start=start,
            stop=stop,
            download_speed=speed,
        )
        invite = self.upper.new_request(
            "INVITE",
            LOWER_ID,
            channel_id,
            body=bytes(offer),
            content_type="application/sdp",
            headers=[("Subject", f"{channel_id}:{ssrc},{PLATFORM_ID}:0")],
        )
        response = await self.upper.send(invite, LOWER_ID, timeout=15)
        if response.status != 200:
            await receiver.close()
            return response, receiver, None
        dialog = Dialog.from_uac(invite, response)
        self.upper.send_in_dialog(dialog.ack(via=self.upper.via()), LOWER_ID)
        if mode == "tcp-active":
            video = parse_sdp(response.body).video()
            assert video is not None
            await receiver.connect(("127.0.0.1", video.port))
        return response, receiver, dialog

    def idle(self) -> bool:
        """Nothing of a call is left: no upper call, hub stream, device call, RTP port."""
        node = self.node
        return (
            not node.cascade_media.calls
            and not node.media.hub.streams()
            and not node.gb_media.calls
            and not node.media.ports.in_use
            and not node.media.ssrcs.in_use
            and not self.device.calls.active
        )


async def share(node: Vigil, platform_id: int, channel_id: str, outward: str | None) -> None:
    async with node.db.session() as session, session.begin():
        session.add(
            PlatformShare(
                platform_id=platform_id,
                kind=ShareKind.channel,
                target_id=channel_id,
                outward_id=outward,
            )
        )


async def start_node(tmp_path: Path, database_url: str, **overrides: Any) -> Vigil:
    """A started node (SIP included) with the GB test timings and an RTP range of its own."""
    low = random.randrange(31000, 39000, 200)
    settings = gb_settings(tmp_path, database_url, rtp_ports=f"{low}-{low + 199}", **overrides)
    node = Vigil(settings)
    await node.start(serving=True)
    return node


async def start_cascade_rig(
    tmp_path: Path, database_url: str, upper: TestPlatform, shared: int = 1, **device: Any
) -> AsyncIterator[CascadeRig]:
    """The node, its NVR (4 channels), and an upper platform row sharing the first ``shared``
    channels under their own IDs; the node recognises ``upper`` as that platform."""
    # A device silent for 2 s is offline here, as before the GB tests' default became 4 s: the
    # source-ending test needs re-INVITEs to a stopped camera to fail fast.
    node = await start_node(tmp_path, database_url, sip_id=LOWER_ID, keepalive_missed=2)
    node.media.hub.linger = 0.1
    node.gb_media.backoff = 0.1
    # A re-INVITE to a camera that went away waits this long for an answer (10 s in service): with
    # three redials that was the source-ending test's whole 30 s on a loaded machine.
    node.gb_media.invite_timeout = 4.0
    await node.devices.create(SYSTEM, NVR, {"name": "sim NVR"})
    config: dict[str, Any] = {
        "device_id": NVR,
        "server": ("127.0.0.1", node.gb.port),
        "server_id": LOWER_ID,
        "password": DEVICE_PASSWORD,
        "channels": 4,
        "keepalive_interval": 1.0,
        "video": SMALL,
        **device,
    }
    sim = SimDevice(DeviceConfig(**config))
    await sim.start()
    try:
        await sim.wait_registered(10)

        async def catalogued() -> bool:
            async with node.db.session() as session:
                count = await session.scalar(
                    select(func.count()).select_from(Channel).where(Channel.device_id == NVR)
                )
            return bool(count == config["channels"])

        await wait_for(catalogued)
        host, port = upper.address
        async with node.db.session() as session, session.begin():
            row = Platform(
                direction=PlatformDirection.UPPER,
                sip_id=PLATFORM_ID,
                domain=DOMAIN,
                name="test upper",
                host=host,
                port=port,
                transport="udp",
                password=PASSWORD,
                keepalive_interval=5,
            )
            session.add(row)
            await session.flush()
            platform_id = row.id
        for channel in sim.channels[:shared]:
            await share(node, platform_id, channel.channel_id, None)
        await node.upper_links.reload()  # the node registers to ``upper`` and recognises it
        await wait_for(lambda: any(r[0] == LOWER_ID for r in upper.registrations))
        yield CascadeRig(node, sim, upper, platform_id)
    finally:
        await sim.stop()
        await node.stop()
