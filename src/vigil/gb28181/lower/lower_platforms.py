"""Lower platforms (type 200) registered with Vigil: their rows, routes and live counters.

A lower platform registers, keeps alive and is queried like any device; what differs is kept
here, owned by :class:`~vigil.gb28181.service.GbService`:

* its ``platforms`` row (direction lower: SIP ID, domain, address, transport), made or updated
  on every registration, and the mark on its own device row that ties its imported tree to it;
* its catalog goes through :class:`~vigil.gb28181.lower.lower_import.LowerImport` instead of the
  flat device catalog, so groups, devices and channels keep the tree it sent;
* routes: a device its catalog lists (an NVR behind it) is reached through the platform, so
  ``GbService`` asks :meth:`LowerPlatforms.route` which registered device to send to — the
  request still names the NVR or channel in its URI, as GB/T 28181 cascade expects;
* counters per platform, in memory since the last start: requests sent, streams opened
  (INVITEs answered 2xx), failures (timeouts and error answers);
* a ``catalog.virtual_group.updated`` event after a catalog or a NOTIFY that may have changed
  its groups or their channels, so consoles read the virtual tree again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update

from vigil.bus import CatalogChanged, EventBus
from vigil.gb28181.cascade.dispatch import PlatformCounters
from vigil.gb28181.devices.catalog_writer import CatalogChanges
from vigil.gb28181.lower.lower_import import LowerImport, PlatformRef
from vigil.gb28181.lower.lower_tree import NodeKind, kind_of_id
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.manscdp import CatalogItem
from vigil.store.database import Database
from vigil.store.models import Device, Platform, PlatformDirection

__all__ = ["LowerPlatforms", "is_platform_id"]

log = logging.getLogger(__name__)

PLATFORM_TYPE = "200"
#: NOTIFY events that move nodes (and so may change groups or their channels), unlike ON/OFF.
_PLACING = ("ADD", "UPDATE", "DEL")
_GROUPS = (NodeKind.business_group, NodeKind.virtual_organisation)


def is_platform_id(device_id: str) -> bool:
    """A 20-digit ID with type code 200 (GB/T 28181 central signalling server: a platform)."""
    return len(device_id) == 20 and device_id[10:13] == PLATFORM_TYPE


class LowerPlatforms:
    """See the module docstring."""

    def __init__(self, db: Database, bus: EventBus) -> None:
        self._db = db
        self._bus = bus
        self.importer = LowerImport(db)
        self._routes: dict[str, str] = {}
        self._refs: dict[str, PlatformRef] = {}
        self.counters: dict[str, PlatformCounters] = {}
        self.registered_at: dict[str, datetime] = {}

    def route(self, device_id: str) -> str:
        """The registered device a request for ``device_id`` goes to (itself unless behind a
        lower platform)."""
        return self._routes.get(device_id, device_id)

    def holds(self, device_id: str) -> bool:
        return device_id in self._refs

    async def registered(self, device_id: str, peer: Peer, at: datetime) -> None:
        """A type-200 device registered: make or update its row, tie its device row to it."""
        async with self._db.session() as session, session.begin():
            device = await session.get(Device, device_id)
            if device is None:
                return
            platform = await session.scalar(
                select(Platform).where(
                    Platform.direction == PlatformDirection.LOWER, Platform.sip_id == device_id
                )
            )
            if platform is None:
                platform = Platform(
                    direction=PlatformDirection.LOWER,
                    sip_id=device_id,
                    domain=device_id[:10],
                    name=device.name,
                )
                session.add(platform)
            platform.host, platform.port, platform.transport = peer.host, peer.port, peer.transport
            await session.flush()
            device.platform_id = platform.id
            ref = PlatformRef(platform.id, device_id, device.organisation_id)
        self._refs[device_id] = ref
        self.registered_at[device_id] = at
        self.counters.setdefault(device_id, PlatformCounters())
        log.info("lower platform registered", extra={"device_id": device_id, "platform": ref.id})

    async def import_catalog(
        self, device_id: str, items: Iterable[CatalogItem], *, complete: bool
    ) -> CatalogChanges:
        """A whole catalog (see :meth:`LowerImport.replace`); routes follow the new tree."""
        ref = self._refs[device_id]
        changes, plan = await self.importer.replace(ref, items, complete=complete)
        await self._load_routes(ref)
        await self._groups_changed(next(iter(plan.groups), device_id))
        return changes

    async def apply_events(self, device_id: str, items: Iterable[CatalogItem]) -> CatalogChanges:
        ref = self._refs[device_id]
        items = list(items)
        changes = await self.importer.apply(ref, items)
        await self._load_routes(ref)
        placed = [i for i in items if (i.event or "").strip().upper() in _PLACING]
        if placed:
            groups = [i.device_id for i in placed if kind_of_id(i.device_id) in _GROUPS]
            await self._groups_changed(groups[0] if groups else device_id)
        return changes

    async def _groups_changed(self, about: str) -> None:
        await self._bus.publish(CatalogChanged(entity="virtual_group", id=about, op="updated"))

    async def _load_routes(self, ref: PlatformRef) -> None:
        async with self._db.session() as session:
            behind = (
                await session.scalars(
                    select(Device.id).where(
                        Device.platform_id == ref.id, Device.id != ref.device_id
                    )
                )
            ).all()
        for node, platform in list(self._routes.items()):
            if platform == ref.device_id:
                del self._routes[node]
        self._routes.update(dict.fromkeys(behind, ref.device_id))

    async def unreachable(self, device_id: str) -> None:
        """The platform went offline: mark the devices behind it offline (its next catalog,
        read when it is back, says which are online)."""
        ref = self._refs[device_id]
        async with self._db.session() as session, session.begin():
            await session.execute(
                update(Device)
                .where(Device.platform_id == ref.id, Device.id != device_id)
                .values(online=False)
            )

    def forget(self, device_id: str) -> None:
        """The platform was deleted: no routes, refs or counters of it remain."""
        self._refs.pop(device_id, None)
        self.counters.pop(device_id, None)
        self.registered_at.pop(device_id, None)
        for node, platform in list(self._routes.items()):
            if platform == device_id:
                del self._routes[node]

    def count(self, device_id: str, method: str, status: int | None) -> None:
        """One request to ``device_id`` (or through it) answered ``status`` (None: no answer)."""
        counters = self.counters.get(self.route(device_id))
        if counters is None:
            return
        counters.requests += 1
        if status is None or status >= 300:
            counters.failures += 1
        elif method == "INVITE":
            counters.streams += 1
