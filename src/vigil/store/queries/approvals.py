"""The approval workflow's statements: store, find, list and count requests; move them.

Organisation scopes are applied here as SQL: a request belongs to its channel's organisation
(whether a channel is on file, and where, is :func:`vigil.store.queries.analytics_rules.
channel_path`).
``scope_paths`` has ``Principal.scope_paths``'s meaning (None: every organisation; empty: none).
An approval past its expiry counts as ``expired`` (it is stored as ``approved``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select

from vigil.store.database import Database
from vigil.store.models import Approval
from vigil.store.queries.rows import (
    count_per,
    insert_row,
    move_row,
    newest_page,
    on_channels_under,
)

__all__ = [
    "ApprovalFilter",
    "count_approvals",
    "get_approval",
    "insert_approval",
    "list_approvals",
    "move_approval",
]


@dataclass(frozen=True, slots=True)
class ApprovalFilter:
    """Which requests a list or count keeps. ``kinds``: only these (None: any);
    ``requester_id``: only this requester's; ``not_requester_id``: none of this requester's;
    ``state``: as read at ``now`` (``expired`` included)."""

    now: datetime
    state: str | None = None
    kinds: tuple[str, ...] | None = None
    requester_id: int | None = None
    not_requester_id: int | None = None


def _state(now: datetime) -> ColumnElement[str]:
    """The state as read at ``now``."""
    return case(
        (and_(Approval.state == "approved", Approval.expires_at <= now), "expired"),
        else_=Approval.state,
    )


def _where(query: Any, kept: ApprovalFilter, scope_paths: tuple[str, ...] | None) -> Any:
    conditions: list[ColumnElement[bool]] = [on_channels_under(Approval.channel_id, scope_paths)]
    if kept.state is not None:
        conditions.append(_state(kept.now) == kept.state)
    if kept.kinds is not None:
        conditions.append(Approval.kind.in_(kept.kinds))
    if kept.requester_id is not None:
        conditions.append(Approval.requester_id == kept.requester_id)
    if kept.not_requester_id is not None:
        conditions.append(Approval.requester_id != kept.not_requester_id)
    return query.where(*conditions)


async def insert_approval(db: Database, values: dict[str, Any]) -> Approval:
    """Store a new request; the row as committed."""
    return await insert_row(db, Approval, values)


async def get_approval(db: Database, approval_id: int) -> Approval | None:
    async with db.session() as session:
        return await session.get(Approval, approval_id)


async def list_approvals(
    db: Database,
    kept: ApprovalFilter,
    scope_paths: tuple[str, ...] | None,
    after: int | None,
    limit: int,
) -> list[Approval]:
    """Requests newest first (by ID), below the cursor ``after``."""
    query = _where(select(Approval), kept, scope_paths)
    return await newest_page(db, Approval, query, after, limit)


async def count_approvals(
    db: Database, kept: ApprovalFilter, scope_paths: tuple[str, ...] | None
) -> dict[str, int]:
    """How many requests in each state as read at ``kept.now`` (states without any are
    absent); ``kept.state`` is ignored."""
    state = _state(kept.now)
    everything = ApprovalFilter(
        kept.now, None, kept.kinds, kept.requester_id, kept.not_requester_id
    )
    query = _where(select(state, func.count()), everything, scope_paths).group_by(state)
    return await count_per(db, query)


async def move_approval(
    db: Database, approval_id: int, from_states: Sequence[str], values: dict[str, Any]
) -> Approval | None:
    """Set ``values`` on the request if it is in one of the stored ``from_states`` (checked in
    the same statement, so two deciders cannot both move it); the row after, or None."""
    return await move_row(db, Approval, approval_id, Approval.state, from_states, values)
