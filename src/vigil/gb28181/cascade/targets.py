"""What an upper platform's request names: a shared channel's outward ID → the local channel and
the device it is on. Not shared means not found, so an upper platform cannot tell an unshared
channel from one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from vigil.gb28181.cascade.shares import shared_channel
from vigil.store.database import Database
from vigil.store.models import Channel, Device
from vigil.store.models.platforms import Platform

__all__ = ["Target", "resolve_target"]


@dataclass(frozen=True, slots=True)
class Target:
    """A shared channel an upper platform named: its outward ID, local channel and device."""

    outward_id: str
    channel_id: str
    name: str
    device_id: str
    #: The device's media source (``gb28181``, ``rtsp``…): only GB devices take GB controls.
    source: str

    @property
    def gb(self) -> bool:
        return self.source == "gb28181"


async def resolve_target(db: Database, platform: Platform, outward_id: str) -> Target | None:
    """The shared channel ``platform`` reaches as ``outward_id``; None when it may not."""
    async with db.session() as session:
        channel_id = await shared_channel(session, platform, outward_id)
        if channel_id is None:
            return None
        row = (
            await session.execute(
                select(Channel.name, Device.id, Device.source)
                .join(Device, Channel.device_id == Device.id)
                .where(Channel.id == channel_id)
            )
        ).first()
    if row is None:
        return None
    name, device_id, source = row
    return Target(outward_id, channel_id, name or outward_id, device_id, source)
