"""The shared half of networking (联网): channels that reach at least one upper platform.

A channel counts when it is shared with an upper platform whose link is registered right now, and
it is online (the channel and its device, as the networking KPI counts online), over the channels
on file. A platform that is configured but not registered shares nothing in practice, so it does
not count.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.scope import scoped_channels
from vigil.gb28181.cascade.shares import resolve
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.governance.permissions import Principal
from vigil.store.models import Channel, Device

__all__ = ["shared_online", "shared_upward", "visible_channels"]


async def shared_upward(session: AsyncSession, links: UpperLinks) -> set[str]:
    """Local IDs of the channels shared with at least one registered upper platform."""
    shared: set[str] = set()
    for link in links.links():
        if link.state.registered:
            shared |= set((await resolve(session, link.platform)).by_local)
    return shared


async def shared_online(session: AsyncSession, links: UpperLinks, channels: list[Channel]) -> int:
    """How many of ``channels`` are shared upward (see :func:`shared_upward`) and online."""
    shared = await shared_upward(session, links)
    candidates = [c for c in channels if c.id in shared and c.status == "online"]
    if not candidates:
        return 0
    device_ids = {c.device_id for c in candidates}
    online = set(
        (
            await session.scalars(
                select(Device.id).where(Device.id.in_(device_ids), Device.online.is_(True))
            )
        ).all()
    )
    return sum(c.device_id in online for c in candidates)


async def visible_channels(session: AsyncSession, principal: Principal) -> list[Channel]:
    """The channels on file that ``principal`` may see (the rate's denominator)."""
    return list((await session.scalars(scoped_channels(principal))).all())
