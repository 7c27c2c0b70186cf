"""Channels: one video source each, with what coverage, KPIs and permissions need to know."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from vigil.bus import CatalogChanged
from vigil.catalog.ids import check_channel_id
from vigil.catalog.scope import filed_under
from vigil.catalog.scoped import ScopedCatalog
from vigil.errors import Invalid, already_exists, missing
from vigil.governance.permissions import Permission, Principal
from vigil.store.models import Channel, Device

__all__ = ["ChannelService", "channels_under"]


class ChannelService(ScopedCatalog[Channel]):
    """Adds, reads, moves and deletes cameras (channels) within the caller's scope."""

    model = Channel
    entity = "channel"
    updatable = frozenset(
        {
            "name",
            "organisation_id",
            "civil_code",
            "address",
            "longitude",
            "latitude",
            "heading",
            "fov",
            "ptz_type",
            "hd",
            "key_area_category",
            "industry",
            "owner_unit",
            "maintainer_unit",
            "mount_height",
            "tilt",
            "builder_unit",
            "purpose",
            "legal_basis",
            "filing_number",
        }
    )

    async def create(
        self, principal: Principal, id: str, device_id: str, fields: dict[str, Any]
    ) -> Channel:
        """A new channel files under the given organisation, or its device's when none is given."""
        principal.require(Permission.catalog_write)
        check_channel_id(id)
        async with self._db.session() as session, session.begin():
            if await session.get(Channel, id) is not None:
                raise already_exists("channel", id)
            device = await session.get(Device, device_id)
            if device is None:
                raise missing("device", device_id, Invalid)
            fields = {"organisation_id": device.organisation_id, **fields}
            await self.check_org(session, principal, fields["organisation_id"])
            if fields.get("industry") is None:
                fields["industry"] = id[8:10]
            channel = Channel(id=id, device_id=device_id, **fields)
            session.add(channel)
        await self._bus.publish(CatalogChanged(entity="channel", id=id, op="created"))
        return channel


async def channels_under(
    session: AsyncSession, org_path: str, industry: str | None = None
) -> list[Channel]:
    """The channels filed under the organisation at ``org_path`` and below (only ``industry``'s
    when given)."""
    query = filed_under(Channel, org_path)
    if industry is not None:
        query = query.where(Channel.industry == industry)
    return list((await session.scalars(query)).all())
