"""Catalog items from a device into the channels table, in one transaction per batch.

Only items whose ID is a channel (type codes 131–199) become channels; regions, business groups
and the NVR itself are skipped. A new channel is filed under the most specific existing region of
its civil code, else under its device's organisation; an existing channel keeps the organisation
an operator gave it and takes everything else the device reports. When a catalog arrived whole,
channels of the device that it no longer lists are deleted; a partial catalog deletes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.ids import CHANNEL_TYPES
from vigil.gb28181.devices.device_records import region_for
from vigil.protocols.manscdp import CatalogItem
from vigil.store.database import Database
from vigil.store.models import Channel, Device

__all__ = ["CatalogChanges", "CatalogWriter", "channel_fields", "is_channel_id"]

_STATUS = {"ON": "online", "ONLINE": "online", "OFF": "offline", "OFFLINE": "offline"}
_EVENT_STATUS = {"ON": "online", "OFF": "offline", "VLOST": "vlost", "DEFECT": "defect"}


@dataclass(frozen=True, slots=True)
class CatalogChanges:
    """The channel IDs one catalog write added, updated and deleted."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()


def is_channel_id(value: str) -> bool:
    return (
        len(value) == 20
        and value.isascii()
        and value.isdigit()
        and int(value[10:13]) in CHANNEL_TYPES
    )


def _text(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    cleaned = "".join(ch for ch in value if ch >= " " and ch != "\x7f").strip()
    return cleaned[:limit] or None


def _within(value: float | None, bound: float) -> float | None:
    return value if value is not None and -bound <= value <= bound else None


def channel_fields(item: CatalogItem) -> dict[str, object]:
    """The columns a catalog item sets; absent values are left out, not nulled."""
    civil = item.civil_code if item.civil_code and len(item.civil_code) in (2, 4, 6, 8) else None
    ptz = item.info.ptz_type if item.info is not None else None
    fields: dict[str, object | None] = {
        "name": _text(item.name, 128),
        "civil_code": civil if civil and civil.isdigit() else None,
        "address": _text(item.address, 255),
        "longitude": _within(item.longitude, 180),
        "latitude": _within(item.latitude, 90),
        "ptz_type": ptz if ptz is not None and 0 <= ptz <= 4 else None,
        "status": _STATUS.get((item.status or "").upper()),
    }
    return {name: value for name, value in fields.items() if value is not None}


class CatalogWriter:
    """Writes one catalog at a time: two syncs of one device (registration and an operator's
    refresh) would otherwise insert the same channels at once."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = asyncio.Lock()

    async def upsert(
        self, device_id: str, items: Iterable[CatalogItem], *, complete: bool
    ) -> CatalogChanges:
        """Insert or update the channel items; with ``complete``, delete the ones not listed."""
        async with self._lock:
            return await self._upsert(device_id, items, complete=complete)

    async def _upsert(
        self, device_id: str, items: Iterable[CatalogItem], *, complete: bool
    ) -> CatalogChanges:
        wanted = {item.device_id: item for item in items if is_channel_id(item.device_id)}
        async with self._db.write() as session:
            device = await session.get(Device, device_id)
            if device is None:
                return CatalogChanges()
            existing = {
                c.id: c
                for c in (
                    await session.scalars(select(Channel).where(Channel.device_id == device_id))
                ).all()
            }
            new_ids = [i for i in wanted if i not in existing]
            taken = set(
                (await session.scalars(select(Channel.id).where(Channel.id.in_(new_ids)))).all()
            )
            regions: dict[object, str | None] = {}
            added: list[str] = []
            updated: list[str] = []
            for channel_id, item in wanted.items():
                fields = channel_fields(item)
                channel = existing.get(channel_id)
                if channel is not None:
                    for name, value in fields.items():
                        setattr(channel, name, value)
                    updated.append(channel_id)
                    continue
                if channel_id in taken:
                    continue  # filed under another device: not this device's to take
                civil = fields.get("civil_code")
                if civil not in regions:
                    regions[civil] = await _region(session, civil)
                organisation = regions[civil] or device.organisation_id
                fields.setdefault("name", channel_id)
                session.add(
                    Channel(
                        id=channel_id,
                        device_id=device_id,
                        organisation_id=organisation,
                        industry=channel_id[8:10],
                        **fields,
                    )
                )
                added.append(channel_id)
            gone = sorted(set(existing) - set(wanted)) if complete else []
            if gone:
                await session.execute(delete(Channel).where(Channel.id.in_(gone)))
        return CatalogChanges(tuple(added), tuple(updated), tuple(gone))

    async def apply_events(self, device_id: str, items: Iterable[CatalogItem]) -> CatalogChanges:
        """A catalog notify: ADD/UPDATE upsert, DEL deletes, ON/OFF/VLOST/DEFECT set the status."""
        upserts: list[CatalogItem] = []
        deleted: list[str] = []
        status: dict[str, str] = {}
        for item in items:
            event = (item.event or "").upper()
            if event in ("ADD", "UPDATE"):
                upserts.append(item)
            elif event == "DEL":
                deleted.append(item.device_id)
            elif event in _EVENT_STATUS:
                status[item.device_id] = _EVENT_STATUS[event]
        changes = await self.upsert(device_id, upserts, complete=False)
        async with self._lock, self._db.write() as session:
            if deleted:
                await session.execute(
                    delete(Channel).where(Channel.device_id == device_id, Channel.id.in_(deleted))
                )
            for channel in (
                await session.scalars(
                    select(Channel).where(Channel.device_id == device_id, Channel.id.in_(status))
                )
            ).all():
                channel.status = status[channel.id]
        return CatalogChanges(
            changes.added, changes.updated + tuple(status), changes.deleted + tuple(deleted)
        )


async def _region(session: AsyncSession, civil: object) -> str | None:
    return await region_for(session, civil) if isinstance(civil, str) else None
