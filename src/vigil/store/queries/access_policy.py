"""Access policy statements: a channel's facts for a decision, clearances, sensitivities and the
access windows (read all, replace all in one transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from sqlalchemy import delete, select, update

from vigil.store.database import Database
from vigil.store.models import AccessWindowRow, Channel, Organisation, Role, User, UserScope

__all__ = [
    "ChannelRow",
    "UserRow",
    "access_windows",
    "channel_row",
    "clearance_of",
    "replace_access_windows",
    "set_clearance",
    "set_sensitivity",
    "user_row",
]


class ChannelRow(NamedTuple):
    """A channel as the decision needs it."""

    device_id: str
    org_path: str | None
    sensitivity: int


class UserRow(NamedTuple):
    """An account as a clearance change needs it: role, clearance, the paths of its scopes."""

    username: str
    role: Role
    clearance: int
    scope_paths: list[str]


async def channel_row(db: Database, channel_id: str) -> ChannelRow | None:
    """The channel's device, organisation path and sensitivity; None when it is not on file."""
    query = (
        select(Channel.device_id, Organisation.path, Channel.sensitivity)
        .outerjoin(Organisation, Organisation.id == Channel.organisation_id)
        .where(Channel.id == channel_id)
    )
    async with db.session() as session:
        row = (await session.execute(query)).first()
    return None if row is None else ChannelRow(row[0], row[1], row[2])


async def clearance_of(db: Database, user_id: int) -> int:
    """The user's clearance (0 for an account that is gone: it then sees only public video)."""
    async with db.session() as session:
        value = await session.scalar(select(User.clearance).where(User.id == user_id))
    return value or 0


async def user_row(db: Database, user_id: int) -> UserRow | None:
    """The account's name, role, clearance and scope paths; None when it does not exist."""
    async with db.session() as session:
        user = await session.get(User, user_id)
        if user is None:
            return None
        paths = await session.scalars(
            select(Organisation.path)
            .join(UserScope, UserScope.organisation_id == Organisation.id)
            .where(UserScope.user_id == user_id)
        )
        return UserRow(user.username, user.role, user.clearance, list(paths))


async def set_clearance(db: Database, user_id: int, clearance: int) -> None:
    async with db.session() as session, session.begin():
        await session.execute(update(User).where(User.id == user_id).values(clearance=clearance))


async def set_sensitivity(db: Database, channel_id: str, sensitivity: int) -> int | None:
    """Set the channel's sensitivity; the one it had, or None when there is no such channel."""
    async with db.session() as session, session.begin():
        channel = await session.get(Channel, channel_id)
        if channel is None:
            return None
        old, channel.sensitivity = channel.sensitivity, sensitivity
        return old


async def access_windows(db: Database) -> list[AccessWindowRow]:
    """Every window, in the order they were stored."""
    async with db.session() as session:
        return list(await session.scalars(select(AccessWindowRow).order_by(AccessWindowRow.id)))


async def replace_access_windows(db: Database, rows: Sequence[AccessWindowRow]) -> None:
    """Replace every window with ``rows`` in one transaction."""
    async with db.session() as session, session.begin():
        await session.execute(delete(AccessWindowRow))
        session.add_all(rows)
