"""Channel share statements: the shares in force for a channel, storing, listing, revoking.

A share is *in force* at ``now`` when it is not revoked and its approval is approved with an
expiry after ``now`` (see :mod:`vigil.store.models.channel_shares`). ``scope_paths`` has
``Principal.scope_paths``'s meaning (None: every organisation; empty: none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true, update

from vigil.store.database import Database
from vigil.store.models import Approval, ChannelShare, Organisation
from vigil.store.queries.rows import insert_id, on_channels_under

__all__ = [
    "ShareRow",
    "get_share",
    "in_force_paths",
    "insert_share",
    "list_shares",
    "organisation_named",
    "revoke_share",
]


@dataclass(frozen=True, slots=True)
class ShareRow:
    """A share with what its reader needs of its organisation and approval."""

    share: ChannelShare
    organisation_name: str
    organisation_path: str
    approver: str | None
    until: datetime | None
    in_force: bool


def _in_force(now: datetime) -> ColumnElement[bool]:
    return and_(
        ChannelShare.revoked_at.is_(None),
        Approval.state == "approved",
        Approval.expires_at > now,
    )


def _joined(*columns: Any) -> Any:
    return (
        select(*columns)
        .select_from(ChannelShare)
        .join(Organisation, Organisation.id == ChannelShare.organisation_id)
        .join(Approval, Approval.id == ChannelShare.approval_id)
    )


async def in_force_paths(db: Database, channel_id: str, now: datetime) -> tuple[str, ...]:
    """The paths of the organisations the channel is lent to at ``now``."""
    async with db.session() as session:
        paths = await session.scalars(
            _joined(Organisation.path).where(ChannelShare.channel_id == channel_id, _in_force(now))
        )
        return tuple(paths)


async def insert_share(db: Database, values: dict[str, Any]) -> int:
    """Store a share; its ID."""
    return await insert_id(db, ChannelShare, values)


def _row(found: Any, now: datetime) -> ShareRow:
    share, name, path, approver, until, state = found
    in_force = (
        share.revoked_at is None and state == "approved" and until is not None and until > now
    )
    return ShareRow(share, name, path, approver, until, in_force)


def _columns() -> tuple[Any, ...]:
    return (
        ChannelShare,
        Organisation.name,
        Organisation.path,
        Approval.decided_by,
        Approval.expires_at,
        Approval.state,
    )


async def get_share(db: Database, share_id: int, now: datetime) -> ShareRow | None:
    """The share with this ID, or None."""
    async with db.session() as session:
        found = (
            await session.execute(_joined(*_columns()).where(ChannelShare.id == share_id))
        ).first()
        return None if found is None else _row(found, now)


def _seen_by(scope_paths: tuple[str, ...] | None) -> ColumnElement[bool]:
    """Shares of a channel in scope, or to an organisation in scope."""
    if scope_paths is None:
        return true()
    if not scope_paths:
        return false()
    to_us = or_(*(Organisation.path.startswith(p, autoescape=True) for p in scope_paths))
    return or_(on_channels_under(ChannelShare.channel_id, scope_paths), to_us)


async def list_shares(
    db: Database,
    scope_paths: tuple[str, ...] | None,
    now: datetime,
    *,
    channel_id: str | None = None,
    in_force_only: bool = True,
    limit: int = 200,
) -> list[ShareRow]:
    """The shares the scope sees (of its channels, or to its organisations), newest first."""
    query = _joined(*_columns()).where(_seen_by(scope_paths))
    if channel_id is not None:
        query = query.where(ChannelShare.channel_id == channel_id)
    if in_force_only:
        query = query.where(_in_force(now))
    async with db.session() as session:
        found = await session.execute(query.order_by(ChannelShare.id.desc()).limit(limit))
        return [_row(row, now) for row in found]


async def revoke_share(db: Database, share_id: int, by: str, now: datetime) -> bool:
    """Mark the share revoked (once); whether it was in force before."""
    async with db.write() as session:
        done = await session.execute(
            update(ChannelShare)
            .where(ChannelShare.id == share_id, ChannelShare.revoked_at.is_(None))
            .values(revoked_by=by, revoked_at=now)
        )
        return bool(getattr(done, "rowcount", 0))


async def organisation_named(db: Database, organisation_id: str) -> tuple[str, str] | None:
    """The organisation's name and path; None when there is no such organisation."""
    async with db.session() as session:
        found = (
            await session.execute(
                select(Organisation.name, Organisation.path).where(
                    Organisation.id == organisation_id
                )
            )
        ).first()
        return None if found is None else (found[0], found[1])
