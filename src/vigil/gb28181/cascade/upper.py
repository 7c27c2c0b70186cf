"""The upper-platform links of this node: one :class:`UpperLink` per enabled upper platform.

Started and stopped by the composition root with the SIP endpoint. :meth:`UpperLinks.reload`
re-reads the ``platforms`` rows after every configuration change: links whose connection
settings changed are restarted (un-registering first), removed or disabled ones stopped, new ones
started, and the dispatcher learns the new set of platforms whose requests it answers.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from vigil.gb28181.cascade.dispatch import PlatformCounters
from vigil.gb28181.cascade.links import LinkState, UpperLink
from vigil.gb28181.service import GbService
from vigil.store.database import Database
from vigil.store.models.platforms import Platform, PlatformDirection

__all__ = ["SharesListener", "UpperLinks"]

log = logging.getLogger(__name__)

#: The columns whose change restarts a link (anything the REGISTER or keepalive depends on).
_LINK_FIELDS = (
    "sip_id",
    "domain",
    "host",
    "port",
    "transport",
    "password",
    "register_expires",
    "keepalive_interval",
    "keepalive_missed",
    "charset",
    "edition",
    "local_sip_id",
)


SharesListener = Callable[[int], Awaitable[None]]
"""Called with a platform's id after its share entries changed."""


def _fingerprint(platform: Platform) -> tuple[object, ...]:
    return tuple(getattr(platform, name) for name in _LINK_FIELDS)


class UpperLinks:
    """See the module docstring."""

    def __init__(self, db: Database, gb: GbService) -> None:
        self._db = db
        self._gb = gb
        self._links: dict[int, UpperLink] = {}
        self._listeners: list[SharesListener] = []
        self._started = False

    async def start(self) -> None:
        self._started = True
        await self.reload()

    async def stop(self) -> None:
        self._started = False
        links, self._links = list(self._links.values()), {}
        for link in links:
            await link.stop()
        self._gb.cascade.set_platforms([])

    async def reload(self) -> None:
        """Bring the running links in line with the enabled upper platforms in the database."""
        async with self._db.session() as session:
            rows = list(
                (
                    await session.scalars(
                        select(Platform).where(
                            Platform.direction == PlatformDirection.UPPER,
                            Platform.enabled.is_(True),
                        )
                    )
                ).all()
            )
        self._gb.cascade.set_platforms(rows)
        if not self._started:
            return
        wanted = {row.id: row for row in rows}
        for platform_id, link in list(self._links.items()):
            row = wanted.get(platform_id)
            if row is None or _fingerprint(row) != _fingerprint(link.platform):
                del self._links[platform_id]
                await link.stop()
            else:
                link.platform = row
        for platform_id, row in wanted.items():
            if platform_id not in self._links:
                link = UpperLink(row, self._gb)
                self._links[platform_id] = link
                link.start()
                log.info("upper platform link started", extra={"sip_id": row.sip_id})

    def link(self, platform_id: int) -> UpperLink | None:
        """The running link of a platform, None when it is disabled or not started."""
        return self._links.get(platform_id)

    def links(self) -> list[UpperLink]:
        return list(self._links.values())

    def state(self, platform_id: int) -> LinkState:
        """The live state of a platform's link (a blank one when it has none)."""
        link = self._links.get(platform_id)
        return link.state if link is not None else LinkState()

    def counters(self, platform_id: int) -> PlatformCounters:
        """Requests, streams and failures counted for a platform since start."""
        return self._gb.cascade.counters(platform_id)

    def on_shares_changed(self, listener: SharesListener) -> None:
        """Be told when a platform's share entries change (to notify its subscribers)."""
        self._listeners.append(listener)

    async def shares_changed(self, platform_id: int) -> None:
        for listener in self._listeners:
            await listener(platform_id)
