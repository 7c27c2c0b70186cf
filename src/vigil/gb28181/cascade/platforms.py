"""Configuring upper platforms and what each may see: the service behind /upper-platforms.

Reading needs ``catalog:read``; creating, changing, deleting and editing shares needs an admin
(the configuration hands video to another organisation's platform). Every change reloads the
links, so a new platform registers at once and a changed one re-registers. The password is
write-only: no view carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vigil.catalog.ids import check_channel_id, check_device_id, check_org_id
from vigil.catalog.scoped import ScopedCatalog
from vigil.catalog.virtual_groups import kind_of
from vigil.errors import Conflict, Forbidden, Invalid, NotFound
from vigil.gb28181.cascade.dispatch import PlatformCounters
from vigil.gb28181.cascade.links import LinkState
from vigil.gb28181.cascade.networking import shared_online, visible_channels
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import Channel, Organisation, Role, VirtualGroup
from vigil.store.models.platforms import Platform, PlatformDirection, PlatformShare, ShareKind

__all__ = ["ShareEntry", "ShareKind", "UpperPlatformService", "UpperPlatformStatus"]

_Row = TypeVar("_Row", Channel, Organisation, VirtualGroup)

CHARSETS = frozenset({"GB2312", "GB18030", "GBK", "UTF-8"})
EDITIONS = frozenset({"2016", "2022"})
TRANSPORTS = frozenset({"udp", "tcp"})
#: Fields a create or PATCH may set, with their bounds where numeric.
BOUNDS = {
    "port": (1, 65535),
    "register_expires": (30, 86400),
    "keepalive_interval": (1, 3600),
    "keepalive_missed": (1, 20),
    "items_per_message": (1, 100),
}
SETTABLE = frozenset(
    {
        "sip_id",
        "domain",
        "name",
        "host",
        "transport",
        "enabled",
        "password",
        "charset",
        "edition",
        "local_sip_id",
        "share_all",
        *BOUNDS,
    }
)


#: The only field a change may clear: the ID Vigil presents (back to its own).
NULLABLE = frozenset({"local_sip_id"})


@dataclass(frozen=True, slots=True)
class UpperPlatformStatus:
    """A platform row with its link's live state and counters."""

    platform: Platform
    state: LinkState
    counters: PlatformCounters


@dataclass(frozen=True, slots=True)
class ShareEntry:
    """One share entry as the API reads and writes it."""

    kind: ShareKind
    target_id: str
    outward_id: str | None = None
    parent_group_id: str | None = None


def _check_fields(fields: dict[str, Any]) -> None:
    """Refuse unknown names, nulls, malformed SIP settings and numbers out of bounds, in turn."""
    _check_names(fields)
    _check_sip(fields)
    _check_bounds(fields)


def _check_names(fields: dict[str, Any]) -> None:
    unknown = ", ".join(sorted(set(fields) - SETTABLE))
    if unknown:
        raise Invalid(f"unknown fields: {unknown}", code="fields.unknown", fields=unknown)
    nulls = ", ".join(n for n, v in sorted(fields.items()) if v is None and n not in NULLABLE)
    if nulls:
        raise Invalid(f"{nulls} cannot be null", code="fields.not_null", fields=nulls)


def _check_sip(fields: dict[str, Any]) -> None:
    if "sip_id" in fields:
        check_device_id(fields["sip_id"])
    if fields.get("local_sip_id") is not None:
        check_device_id(fields["local_sip_id"])
    domain = fields.get("domain")
    if domain is not None and not (len(domain) == 10 and domain.isascii() and domain.isdigit()):
        raise Invalid(f"domain {domain!r}: a GB/T 28181 domain is 10 digits", code="sip.domain")
    if fields.get("transport", "udp") not in TRANSPORTS:
        raise Invalid("transport is udp or tcp", code="sip.transport")
    if fields.get("charset", "GB2312") not in CHARSETS:
        allowed = ", ".join(sorted(CHARSETS))
        raise Invalid(f"charset is one of {allowed}", code="sip.charset", allowed=allowed)
    if fields.get("edition", "2016") not in EDITIONS:
        raise Invalid("edition is 2016 or 2022", code="sip.edition")


def _check_bounds(fields: dict[str, Any]) -> None:
    for name, (low, high) in BOUNDS.items():
        value = fields.get(name)
        if value is not None and not low <= value <= high:
            raise Invalid(
                f"{name} must be between {low} and {high}",
                code="field.range",
                field=name,
                min=low,
                max=high,
            )


def _require_admin(principal: Principal) -> None:
    principal.require(Permission.catalog_write)
    if principal.role is not Role.admin:
        raise Forbidden("only an admin configures upper platforms", code="upper.admin_only")


class UpperPlatformService:
    """See the module docstring."""

    def __init__(self, db: Database, links: UpperLinks) -> None:
        self._db = db
        self._links = links

    def _status(self, platform: Platform) -> UpperPlatformStatus:
        counters = self._links.counters(platform.id)
        return UpperPlatformStatus(platform, self._links.state(platform.id), counters)

    async def create(self, principal: Principal, fields: dict[str, Any]) -> UpperPlatformStatus:
        _require_admin(principal)
        _check_fields(fields)
        for name in ("sip_id", "domain", "host", "port", "password"):
            if fields.get(name) in (None, ""):
                raise Invalid(f"{name} is required", code="field.required", field=name)
        values = {"name": fields["sip_id"], **fields}
        platform = Platform(
            direction=PlatformDirection.UPPER, created_by=principal.user_id, **values
        )
        try:
            async with self._db.session() as session, session.begin():
                session.add(platform)
        except IntegrityError:
            raise _exists(fields["sip_id"]) from None
        await self._links.reload()
        return self._status(platform)

    async def all(self, principal: Principal) -> list[UpperPlatformStatus]:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            rows = (
                await session.scalars(
                    select(Platform)
                    .where(Platform.direction == PlatformDirection.UPPER)
                    .order_by(Platform.id)
                )
            ).all()
        return [self._status(row) for row in rows]

    async def get(self, principal: Principal, platform_id: int) -> UpperPlatformStatus:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            return self._status(await _load(session, platform_id))

    async def update(
        self, principal: Principal, platform_id: int, fields: dict[str, Any]
    ) -> UpperPlatformStatus:
        _require_admin(principal)
        _check_fields(fields)
        try:
            async with self._db.session() as session, session.begin():
                platform = await _load(session, platform_id)
                for name, value in fields.items():
                    setattr(platform, name, value)
        except IntegrityError:
            raise _exists(fields.get("sip_id")) from None
        await self._links.reload()
        return self._status(platform)

    async def delete(self, principal: Principal, platform_id: int) -> None:
        _require_admin(principal)
        async with self._db.session() as session, session.begin():
            await session.delete(await _load(session, platform_id))
        await self._links.reload()

    async def networking(self, principal: Principal) -> tuple[int, int]:
        """(channels shared upward and online, channels on file), over the caller's scope."""
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            channels = await visible_channels(session, principal)
            return await shared_online(session, self._links, channels), len(channels)

    async def shared_online_count(self, channels: list[Channel]) -> int | None:
        """For the KPIs: how many of ``channels`` are shared upward and online; None while no
        upper platform is registered (the figure then means nothing)."""
        if not any(link.state.registered for link in self._links.links()):
            return None
        async with self._db.session() as session:
            return await shared_online(session, self._links, channels)

    async def shares(self, principal: Principal, platform_id: int) -> list[ShareEntry]:
        principal.require(Permission.catalog_read)
        async with self._db.session() as session:
            await _load(session, platform_id)
            rows = (
                await session.scalars(
                    select(PlatformShare)
                    .where(PlatformShare.platform_id == platform_id)
                    .order_by(PlatformShare.id)
                )
            ).all()
        return [ShareEntry(r.kind, r.target_id, r.outward_id, r.parent_group_id) for r in rows]

    async def set_shares(
        self, principal: Principal, platform_id: int, entries: list[ShareEntry]
    ) -> None:
        """Replace the platform's share entries; each target must exist and be in scope."""
        _require_admin(principal)
        outward: set[str] = set()
        targets: set[tuple[ShareKind, str]] = set()
        async with self._db.session() as session, session.begin():
            await _load(session, platform_id)
            for entry in entries:
                await _check_entry(session, principal, entry)
                if (entry.kind, entry.target_id) in targets:
                    raise Invalid(
                        f"{entry.kind.value} {entry.target_id} is listed twice",
                        code="share.twice",
                        entity=entry.kind.value,
                        id=entry.target_id,
                    )
                targets.add((entry.kind, entry.target_id))
                if entry.outward_id is not None:
                    if entry.outward_id in outward:
                        raise Invalid(
                            f"outward ID {entry.outward_id} is used twice",
                            code="share.outward_twice",
                            id=entry.outward_id,
                        )
                    outward.add(entry.outward_id)
            await session.execute(
                delete(PlatformShare).where(PlatformShare.platform_id == platform_id)
            )
            session.add_all(
                PlatformShare(
                    platform_id=platform_id,
                    kind=e.kind,
                    target_id=e.target_id,
                    outward_id=e.outward_id,
                    parent_group_id=e.parent_group_id,
                )
                for e in entries
            )
        await self._links.shares_changed(platform_id)


async def _load(session: AsyncSession, platform_id: int) -> Platform:
    platform = await session.get(Platform, platform_id)
    if platform is None or platform.direction is not PlatformDirection.UPPER:
        raise NotFound(
            f"upper platform {platform_id} does not exist",
            code="not_found",
            entity="upper_platform",
            id=str(platform_id),
        )
    return platform


def _exists(sip_id: str | None) -> Conflict:
    return Conflict(
        f"upper platform {sip_id} already exists", code="exists", entity="upper_platform", id=sip_id
    )


def _missing(entity: str, id: str) -> Invalid:
    """A share names a target that does not exist (the request is wrong, not its URL)."""
    return Invalid(
        f"{entity.replace('_', ' ')} {id} does not exist", code="not_found", entity=entity, id=id
    )


async def _check_entry(session: AsyncSession, principal: Principal, entry: ShareEntry) -> None:
    if entry.kind is ShareKind.channel:
        await _check_channel_entry(session, principal, entry)
    elif entry.kind is ShareKind.organisation:
        await _check_organisation_entry(session, principal, entry)
    else:
        await _check_group_entry(session, entry)
    if entry.parent_group_id is not None:
        kind_of(entry.parent_group_id)
        await _existing(session, VirtualGroup, "virtual_group", entry.parent_group_id)


async def _check_channel_entry(
    session: AsyncSession, principal: Principal, entry: ShareEntry
) -> None:
    check_channel_id(entry.target_id)
    channel = await _existing(session, Channel, "channel", entry.target_id)
    path = await ScopedCatalog.org_path(session, channel.organisation_id)
    principal.check_org_path(path, "channel", entry.target_id)
    if entry.outward_id is not None:
        check_channel_id(entry.outward_id)


async def _check_organisation_entry(
    session: AsyncSession, principal: Principal, entry: ShareEntry
) -> None:
    check_org_id(entry.target_id)
    organisation = await _existing(session, Organisation, "organisation", entry.target_id)
    principal.check_org_path(organisation.path, "organisation", entry.target_id)
    _check_own_id(entry, "organisation", "an organisation")


async def _check_group_entry(session: AsyncSession, entry: ShareEntry) -> None:
    kind_of(entry.target_id)
    await _existing(session, VirtualGroup, "virtual_group", entry.target_id)
    _check_own_id(entry, "virtual_group", "a virtual group")


async def _existing(session: AsyncSession, model: type[_Row], entity: str, id: str) -> _Row:
    """The ``model`` row a share names; Invalid (see :func:`_missing`) when there is none."""
    row = await session.get(model, id)
    if row is None:
        raise _missing(entity, id)
    return row


def _check_own_id(entry: ShareEntry, entity: str, named: str) -> None:
    """An organisation or a group is shared under its own ID, never an outward one."""
    if entry.outward_id is not None:
        raise Invalid(f"{named} is shared under its own ID", code="share.own_id", entity=entity)
