"""Changes of the shared tree, alarms and positions, passed up to the upper platforms.

It listens to what the GB server and the catalog already publish on the bus — a device online or
offline, a device's catalog synchronised or notified, a channel created, changed or deleted — and
to share edits. For each platform holding a Catalog subscription it compares the shared channels
with what that platform was last told (outward ID and ON/OFF) and NOTIFYs the difference:
``ADD`` for newly shared channels, ``DEL`` for channels gone or no longer shared, ``ON``/``OFF``
when only the state changed, ``UPDATE`` for other changes of a channel it already has. Unshared
channels never appear.

Alarms of a shared channel (or device) go to every registered platform that shares it, under the
outward ID: in a NOTIFY where it subscribed to alarms, else as the usual Alarm MESSAGE. Device
alarms go always; the alarm centre's ``forward_upper`` linkage sends others through
:meth:`CascadeNotifier.forward_alarm`. Positions
go only to MobilePosition subscribers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from vigil.bus import CatalogChanged, Event, EventBus
from vigil.gb28181.cascade.catalog_items import ChannelRow, channel_item, load_channels
from vigil.gb28181.cascade.links import LinkDown, UpperLink
from vigil.gb28181.cascade.shares import resolve
from vigil.gb28181.cascade.subscriptions import UpperSubscriptions
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.gb28181.devices.events import (
    AlarmReport,
    CatalogSynced,
    DeviceAlarmRaised,
    DevicePositionReported,
    DeviceStatusChanged,
)
from vigil.protocols.manscdp import (
    AlarmInfo,
    AlarmNotify,
    CatalogItem,
    CatalogNotify,
    MobilePositionNotify,
)
from vigil.store.database import Database
from vigil.store.models import Channel

__all__ = ["CascadeNotifier"]

log = logging.getLogger(__name__)

#: What a platform was last told of one channel: its outward ID and whether it was ON.
Told = dict[str, tuple[str, bool]]


class CascadeNotifier:
    """See the module docstring."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        links: UpperLinks,
        zone: str,
    ) -> None:
        self._db = db
        self._zone = ZoneInfo(zone)
        self._bus = bus
        self._links = links
        self.subscriptions = UpperSubscriptions(links, self._subscribed)
        self._told: dict[int, Told] = {}
        self._lock = asyncio.Lock()
        self._sn = 0
        links.on_shares_changed(self._shares_changed)

    async def start(self) -> None:
        """Subscribe to the bus (needs the running loop)."""
        for pattern in (
            "device.online",
            "device.offline",
            "device.catalog",
            "catalog.channel.*",
            "catalog.virtual_group.*",  # a channel put in or taken out of a shared group
            "catalog.organisation.*",
        ):
            self._bus.subscribe(pattern, self._on_change)
        self._bus.subscribe("device.alarm", self._on_alarm)
        self._bus.subscribe("device.position", self._on_position)

    async def stop(self) -> None:
        self.subscriptions.clear()
        self._told.clear()

    def _local(self, at: datetime) -> datetime:
        """GB/T 28181 times are local and naive."""
        if at.tzinfo is not None:
            at = at.astimezone(self._zone)
        return at.replace(tzinfo=None, microsecond=0)

    def _next_sn(self) -> int:
        self._sn += 1
        return self._sn

    # catalog changes ----------------------------------------------------------------------------

    async def _on_change(self, event: Event) -> None:
        if not self.subscriptions.platforms("catalog"):
            return
        changed = await self._changed_channels(event)
        for platform_id in self.subscriptions.platforms("catalog"):
            await self._notify_catalog(platform_id, changed)

    async def _shares_changed(self, platform_id: int) -> None:
        if self.subscriptions.holds(platform_id, "catalog"):
            await self._notify_catalog(platform_id, set())

    async def _changed_channels(self, event: Event) -> set[str]:
        """Local channel IDs an event may have changed."""
        if isinstance(event, CatalogChanged):
            return {event.id} if event.entity == "channel" else set()
        if isinstance(event, CatalogSynced):
            return {*event.added, *event.updated, *event.deleted}
        if isinstance(event, DeviceStatusChanged):
            async with self._db.session() as session:
                rows = await session.scalars(
                    select(Channel.id).where(Channel.device_id == event.device_id)
                )
                return set(rows.all())
        return set()

    async def _notify_catalog(self, platform_id: int, changed: set[str]) -> None:
        """Tell one subscribed platform what changed since it was last told."""
        link = self._links.link(platform_id)
        if link is None:
            return
        async with self._lock:
            items = await self._catalog_events(link, changed)
        size = max(1, link.platform.items_per_message)
        for start in range(0, len(items), size):
            part = tuple(items[start : start + size])
            message = CatalogNotify(
                sn=self._next_sn(), device_id=link.local_id, sum_num=len(items), items=part
            )
            await self.subscriptions.notify(platform_id, "catalog", message)

    async def _catalog_events(self, link: UpperLink, changed: set[str]) -> list[CatalogItem]:
        platform = link.platform
        async with self._db.session() as session:
            tree = await resolve(session, platform)
            told = self._told.get(platform.id, {})
            wanted = set(tree.by_local) - set(told) | (changed & set(tree.by_local))
            rows = await load_channels(session, wanted)
        items: list[CatalogItem] = []
        now: Told = {}
        for local_id, shared in tree.by_local.items():
            row = rows.get(local_id)
            before = told.get(local_id)
            if row is None:
                if before is not None and local_id not in changed:
                    now[local_id] = before
                continue
            online = _online(row)
            now[local_id] = (shared.outward_id, online)
            if before is None or before[0] != shared.outward_id:
                if before is not None:
                    items.append(CatalogItem(device_id=before[0], event="DEL"))
                items.append(channel_item(shared, row, link.local_id, platform.edition, "ADD"))
            elif before[1] != online:
                items.append(
                    CatalogItem(device_id=shared.outward_id, event="ON" if online else "OFF")
                )
            else:
                items.append(channel_item(shared, row, link.local_id, platform.edition, "UPDATE"))
        for local_id, (outward_id, _) in told.items():
            if local_id not in now:
                items.append(CatalogItem(device_id=outward_id, event="DEL"))
        self._told[platform.id] = now
        return items

    async def _subscribed(self, platform_id: int, kind: str) -> None:
        """A new Catalog subscription starts from the shared tree as it stands."""
        link = self._links.link(platform_id)
        if kind != "catalog" or link is None:
            return
        async with self._lock, self._db.session() as session:
            tree = await resolve(session, link.platform)
            rows = await load_channels(session, tree.by_local)
            told: Told = {}
            for local_id, shared in tree.by_local.items():
                row = rows.get(local_id)
                if row is not None:
                    told[local_id] = (shared.outward_id, _online(row))
            self._told[platform_id] = told

    # alarms and positions -----------------------------------------------------------------------

    async def _sharing(self, source_ids: Iterable[str]) -> list[tuple[UpperLink, str]]:
        """(link, outward ID) for every registered platform sharing one of ``source_ids``."""
        found: list[tuple[UpperLink, str]] = []
        async with self._db.session() as session:
            for link in self._links.links():
                if not link.state.registered:
                    continue
                tree = await resolve(session, link.platform)
                for source_id in source_ids:
                    outward = tree.outward_of(source_id)
                    if outward is not None:
                        found.append((link, outward))
                        break
        return found

    async def _on_alarm(self, event: Event) -> None:
        if isinstance(event, DeviceAlarmRaised):
            await self.forward_alarm(event)

    async def forward_alarm(self, alarm: AlarmReport) -> int:
        """Send ``alarm`` to every registered platform sharing its source, under the outward ID;
        the number of platforms it was sent (or NOTIFYed) to."""
        sent = 0
        for link, outward in await self._sharing([alarm.source_id]):
            message = AlarmNotify(
                sn=self._next_sn(),
                device_id=outward,
                alarm_priority=alarm.priority,
                alarm_method=alarm.method,
                alarm_time=self._local(alarm.alarm_at),
                alarm_description=alarm.description,
                info=AlarmInfo(alarm_type=alarm.alarm_type) if alarm.alarm_type else None,
            )
            if self.subscriptions.holds(link.platform.id, "alarm"):
                await self.subscriptions.notify(link.platform.id, "alarm", message)
                sent += 1
                continue
            try:
                await link.send_manscdp(message)
                sent += 1
            except LinkDown as exc:
                log.warning(
                    "alarm to upper platform lost",
                    extra={"sip_id": link.platform.sip_id, "error": str(exc)},
                )
        return sent

    async def _on_position(self, event: Event) -> None:
        if not isinstance(event, DevicePositionReported):
            return
        subscribed = set(self.subscriptions.platforms("mobileposition"))
        if not subscribed:
            return
        for link, outward in await self._sharing([event.source_id]):
            if link.platform.id in subscribed:
                position = MobilePositionNotify(
                    sn=self._next_sn(),
                    device_id=outward,
                    time=self._local(event.fix_at),
                    longitude=event.longitude,
                    latitude=event.latitude,
                    speed=event.speed,
                    direction=event.direction,
                )
                await self.subscriptions.notify(link.platform.id, "mobileposition", position)


def _online(row: ChannelRow) -> bool:
    channel, device = row
    return channel.status == "online" and (device is None or device.online)
