"""Vigil nodes cascaded on loopback: a district with a simulated NVR, registered to a city, which
may itself be registered to a province. Each node has its own SIP port, data directory, database
and RTP range; each lower node shares a chosen tree with its upper one through the real upper
link (digest REGISTER), and the upper node imports it as a lower platform (type 200).

The district's tree: business group 215 → virtual organisation 216 → the NVR's first camera;
its second camera shared one by one under an outward ID, hung under the business group; its third
camera not shared at all.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.integration.cascade.upper_nodes import LINK_PASSWORD, eventually, start_node
from tests.integration.gb28181.simulated import SMALL
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM
from vigil.sim import DeviceConfig, SimDevice
from vigil.store.models import Channel
from vigil.store.models.platforms import Platform, PlatformDirection, PlatformShare, ShareKind

PROVINCE_ID, PROVINCE_DOMAIN = "34000000002000000001", "3400000000"
CITY_ID, CITY_DOMAIN = "34010000002000000001", "3401000000"
DISTRICT_ID, DISTRICT_DOMAIN = "34010200002000000001", "3401020000"
NVR = "34010200001180000007"
DEVICE_PASSWORD = "District-Dev-1"
BUSINESS_GROUP = "34010200002150000001"
VIRTUAL_ORG = "34010200002160000001"
OUTWARD_ID = "34010200001320000099"


@dataclass
class District:
    node: Vigil
    nvr: SimDevice

    @property
    def in_group(self) -> str:
        """The camera shared through the virtual tree, under its own ID."""
        return self.nvr.channels[0].channel_id

    @property
    def renamed(self) -> str:
        """The camera shared one by one as :data:`OUTWARD_ID`."""
        return self.nvr.channels[1].channel_id

    @property
    def hidden(self) -> str:
        """The camera not shared."""
        return self.nvr.channels[2].channel_id


#: Disjoint RTP ranges for the nodes of one test process, from a random start (a port left in
#: TIME_WAIT by an earlier test is not handed out again at once).
_RANGES = itertools.count(random.randrange(0, 40))


def _rtp_range() -> str:
    low = 31000 + 200 * (next(_RANGES) % 40)
    return f"{low}-{low + 199}"


async def start_level(
    root: Path, name: str, sip_id: str, domain: str, *, upper: bool = True, **overrides: Any
) -> Vigil:
    """A node; ``upper``: it admits lower platforms registering with the link password and
    subscribes to their catalogs."""
    settings: dict[str, Any] = {
        "sip_id": sip_id,
        "sip_domain": domain,
        "rtp_ports": _rtp_range(),
        **overrides,
    }
    if upper:
        settings |= {
            "sip_password": LINK_PASSWORD,
            "sip_admit_unknown": True,
            "subscribe_expires": 600,
        }
    node = await start_node(root, name, **settings)
    node.media.hub.linger = 0.1
    node.gb_media.backoff = 0.1
    return node


async def start_district(root: Path, **overrides: Any) -> District:
    """The district node and its simulated NVR (3 cameras), registered and catalogued."""
    node = await start_level(
        root, "district", DISTRICT_ID, DISTRICT_DOMAIN, upper=False, sip_password=DEVICE_PASSWORD
    )
    await node.devices.create(SYSTEM, NVR, {"name": "district NVR"})
    nvr = SimDevice(
        DeviceConfig(
            device_id=NVR,
            server=("127.0.0.1", node.gb.port),
            server_id=DISTRICT_ID,
            domain=DISTRICT_DOMAIN,
            password=DEVICE_PASSWORD,
            channels=3,
            keepalive_interval=1.0,
            video=SMALL,
            **overrides,
        )
    )
    await nvr.start()
    await nvr.wait_registered(10)
    await eventually(lambda: _count_channels(node, NVR, 3))
    await node.virtual_groups.create(SYSTEM, BUSINESS_GROUP, "治安监控", None)
    await node.virtual_groups.create(SYSTEM, VIRTUAL_ORG, "重点单位", BUSINESS_GROUP)
    await node.virtual_groups.add_channels(SYSTEM, VIRTUAL_ORG, [nvr.channels[0].channel_id])
    return District(node, nvr)


async def _count_channels(node: Vigil, device_id: str, count: int) -> bool:
    async with node.db.session() as session:
        rows = await session.scalars(select(Channel.id).where(Channel.device_id == device_id))
        return len(rows.all()) == count


async def link(
    lower: Vigil,
    upper: Vigil,
    upper_id: str,
    upper_domain: str,
    *shares: PlatformShare,
    transport: str = "udp",
) -> int:
    """Configure ``upper`` on ``lower`` with ``shares`` (SIP over ``transport``); wait until
    registered; the row's id."""
    async with lower.db.session() as session, session.begin():
        platform = Platform(
            direction=PlatformDirection.UPPER,
            sip_id=upper_id,
            domain=upper_domain,
            name=f"upper {upper_id}",
            host="127.0.0.1",
            port=upper.gb.port,
            transport=transport,
            password=LINK_PASSWORD,
            keepalive_interval=1,
            keepalive_missed=2,
        )
        session.add(platform)
        await session.flush()
        for entry in shares:
            entry.platform_id = platform.id
            session.add(entry)
        platform_id = platform.id
    await lower.upper_links.reload()
    await eventually(lambda: lower.upper_links.state(platform_id).registered)
    return platform_id


def district_shares(district: District) -> list[PlatformShare]:
    return [
        PlatformShare(kind=ShareKind.virtual_group, target_id=BUSINESS_GROUP),
        PlatformShare(
            kind=ShareKind.channel,
            target_id=district.renamed,
            outward_id=OUTWARD_ID,
            parent_group_id=BUSINESS_GROUP,
        ),
    ]


async def imported(node: Vigil, channel_ids: set[str], timeout: float = 30.0) -> None:
    """Wait until ``node`` holds exactly ``channel_ids`` among channels of lower platforms (1–3 s
    here; a loaded machine that loses a first catalog answer waits for the link's retry)."""

    async def holds() -> bool:
        async with node.db.session() as session:
            rows = await session.scalars(select(Channel.id).where(Channel.id.in_(channel_ids)))
            return set(rows.all()) == channel_ids

    await eventually(holds, timeout)
