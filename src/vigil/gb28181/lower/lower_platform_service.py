"""What the API offers about lower platforms: list, one with its tree, delete (audited).

Authorised like devices: a lower platform is visible to whoever may see its device row (its
organisation within the caller's scope, ``catalog:read``); deleting one needs ``catalog:write``
on it and leaves an audit record whatever the outcome. Deleting removes the platform row and,
through the foreign keys of migration 0012, everything it brought in: its device row, the
devices behind it, their channels and its virtual groups. Regions made from its civil-code nodes
stay; they are administrative areas, not the platform's.

Live state comes from the GB server: online and the address from the presence table,
registration from ``gb_registrations``, the last keepalive from the device row, counters from
:class:`~vigil.gb28181.lower.lower_platforms.LowerPlatforms`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.scope import scope_clause, scoped_channels
from vigil.errors import missing
from vigil.gb28181.cascade.dispatch import PlatformCounters
from vigil.gb28181.service import GbService
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, audited
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import (
    Channel,
    Device,
    GbRegistration,
    Organisation,
    Platform,
    PlatformDirection,
    VirtualGroup,
)
from vigil.store.models.platforms import virtual_group_channels

__all__ = ["LowerPlatformService", "LowerPlatformState", "LowerTree"]


@dataclass(frozen=True, slots=True)
class LowerPlatformState:
    """A lower platform as the API shows it: its rows, where it is, what is behind it."""

    platform: Platform
    device: Device
    online: bool
    #: Where it is now: the presence table's address (it follows NAT rebinding), else the row's.
    host: str | None
    port: int | None
    transport: str
    registered_at: datetime | None
    expires_at: datetime | None
    devices: int
    channels: int
    channels_online: int
    groups: int
    counters: PlatformCounters


@dataclass(slots=True)
class LowerTree:
    """The imported tree: groups with parents, devices behind the platform, channels with their
    device and groups (only channels the caller may see)."""

    groups: list[VirtualGroup] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)
    channels: list[tuple[Channel, list[str]]] = field(default_factory=list)
    #: The organisations those channels are filed under with the ones above them, as far up as
    #: the caller's scope reaches (the civil-code regions the platform's cameras land in).
    regions: list[Organisation] = field(default_factory=list)


class LowerPlatformService:
    """The API's lower platforms: list, one with its tree, delete (audited)."""

    def __init__(self, db: Database, gb: GbService, audit: AuditLog) -> None:
        self._db = db
        self._gb = gb
        self._audit = audit

    async def all(self, principal: Principal) -> list[LowerPlatformState]:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            rows = (
                await session.execute(
                    _visible(principal).order_by(Platform.sip_id).limit(_MAX_LISTED)
                )
            ).all()
            return [await self._state(session, principal, p, d) for p, d in rows]

    async def get(self, principal: Principal, id: int) -> tuple[LowerPlatformState, LowerTree]:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            platform, device = await _load(session, principal, id)
            state = await self._state(session, principal, platform, device)
            return state, await _tree(session, principal, platform)

    async def delete(self, who: Principal | Caller, id: int) -> None:
        """Remove the platform and its imported tree; audited whatever the outcome."""
        caller = as_caller(who)
        principal = caller.principal
        async with audited(self._audit, caller, "lower_platform.delete", f"platform/{id}") as entry:
            principal.require(Permission.catalog_write)
            async with self._db.session() as session, session.begin():
                platform, _ = await _load(session, principal, id)
                sip_id = entry.detail["sip_id"] = platform.sip_id
                await session.delete(platform)
            self._gb.lower.forget(sip_id)
            self._gb.subscriptions.forget(sip_id)

    async def _state(
        self, session: AsyncSession, principal: Principal, platform: Platform, device: Device
    ) -> LowerPlatformState:
        presence = self._gb.presence.get(platform.sip_id)
        registration = await session.get(GbRegistration, platform.sip_id)
        behind = select(Device.id).where(Device.platform_id == platform.id)
        channels = scoped_channels(principal).where(Channel.device_id.in_(behind))
        total = await session.scalar(select(func.count()).select_from(channels.subquery()))
        online = await session.scalar(
            select(func.count()).select_from(channels.where(Channel.status == "online").subquery())
        )
        devices = await session.scalar(
            select(func.count()).where(
                Device.platform_id == platform.id, Device.id != platform.sip_id
            )
        )
        groups = await session.scalar(
            select(func.count()).where(VirtualGroup.platform_id == platform.id)
        )
        return LowerPlatformState(
            platform=platform,
            device=device,
            online=presence is not None and presence.online,
            host=presence.host if presence else platform.host,
            port=presence.port if presence else platform.port,
            transport=presence.transport if presence else platform.transport,
            registered_at=self._gb.lower.registered_at.get(platform.sip_id)
            or (registration.registered_at if registration else None),
            expires_at=registration.expires_at if registration else None,
            devices=devices or 0,
            channels=total or 0,
            channels_online=online or 0,
            groups=groups or 0,
            counters=replace(self._gb.lower.counters.get(platform.sip_id, PlatformCounters())),
        )


#: Most platforms one list answer holds (a city has tens of districts, not thousands).
_MAX_LISTED = 1000


def _visible(principal: Principal) -> Select[Platform, Device]:
    """Lower platforms whose device row the caller may see, with that row."""
    return (
        select(Platform, Device)
        .join(Device, Device.id == Platform.sip_id)
        .outerjoin(Organisation, Organisation.id == Device.organisation_id)
        .where(
            Platform.direction == PlatformDirection.LOWER,
            scope_clause(principal, Organisation.path),
        )
    )


async def _load(session: AsyncSession, principal: Principal, id: int) -> tuple[Platform, Device]:
    row = (await session.execute(_visible(principal).where(Platform.id == id))).first()
    if row is None:
        # Same answer for "no such platform" and "not in your scope": existence is not leaked.
        raise missing("lower_platform", str(id))
    return row[0], row[1]


async def _tree(session: AsyncSession, principal: Principal, platform: Platform) -> LowerTree:
    tree = LowerTree()
    tree.groups = list(
        (
            await session.scalars(
                select(VirtualGroup)
                .where(VirtualGroup.platform_id == platform.id)
                .order_by(VirtualGroup.id)
            )
        ).all()
    )
    tree.devices = list(
        (
            await session.scalars(
                select(Device)
                .where(Device.platform_id == platform.id, Device.id != platform.sip_id)
                .order_by(Device.id)
            )
        ).all()
    )
    behind: ColumnElement[bool] = Channel.device_id.in_(
        select(Device.id).where(Device.platform_id == platform.id)
    )
    channels = (
        await session.scalars(scoped_channels(principal).where(behind).order_by(Channel.id))
    ).all()
    members: dict[str, list[str]] = {c.id: [] for c in channels}
    group_ids = [g.id for g in tree.groups]
    for group_id, channel_id in (
        await session.execute(
            select(virtual_group_channels.c.group_id, virtual_group_channels.c.channel_id).where(
                virtual_group_channels.c.group_id.in_(group_ids)
            )
        )
    ).all():
        if channel_id in members:
            members[channel_id].append(group_id)
    tree.channels = [(c, sorted(members[c.id])) for c in channels]
    tree.regions = await _regions(session, principal, {c.organisation_id for c in channels})
    return tree


async def _regions(
    session: AsyncSession, principal: Principal, filed: set[str | None]
) -> list[Organisation]:
    """The organisations ``filed`` and their ancestors (by path) that the caller may see."""
    paths = (
        await session.scalars(
            select(Organisation.path).where(Organisation.id.in_([f for f in filed if f]))
        )
    ).all()
    ids = {part for path in paths for part in path.split("/") if part}
    query = (
        select(Organisation)
        .where(Organisation.id.in_(ids), scope_clause(principal, Organisation.path))
        .order_by(Organisation.path)
    )
    return list((await session.scalars(query)).all())
