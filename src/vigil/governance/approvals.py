"""The approval service (审批): request → approve or reject → a grant that expires or is revoked.

A user asks to export (a channel's time range), unmask or share video, giving a purpose and
optionally a case number; another user holding the kind's right and ``approvals:decide``
decides (never the requester, see :mod:`vigil.governance.approval_rules`). An approval is a grant
for ``approval_grant_minutes``; the service that does the thing asks :meth:`require_grant`
before it does. Every step, refusals included, leaves an audit record (``approval.request``,
``approval.approve``, ``approval.reject``, ``approval.revoke``) on ``approval:<id>`` with the
channel.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from vigil.errors import Conflict, Forbidden, Invalid, missing
from vigil.governance.approval_rules import (
    MOVES,
    ApprovalKind,
    ApprovalState,
    Grant,
    check_decider,
    check_grant,
    check_move,
    check_requester,
    check_revoker,
    effective_state,
    may_decide,
)
from vigil.governance.audit import AuditLog
from vigil.governance.audited import AuditEntry, Caller, as_caller, audited
from vigil.governance.permissions import Principal
from vigil.store.database import Database
from vigil.store.models import Approval
from vigil.store.queries.analytics_rules import channel_path
from vigil.store.queries.approvals import (
    ApprovalFilter,
    count_approvals,
    get_approval,
    insert_approval,
    list_approvals,
    move_approval,
)
from vigil.store.types import utcnow

__all__ = ["ApprovalRequest", "ApprovalService", "ApprovalView"]


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """What a requester asks for; ``start``/``end`` are required for an export."""

    kind: ApprovalKind
    channel_id: str
    purpose: str
    case_number: str | None = None
    start: datetime | None = None
    end: datetime | None = None


@dataclass(frozen=True, slots=True)
class ApprovalView:
    """A request as read now: its state is ``expired`` once an approval's time is up."""

    id: int
    kind: str
    channel_id: str
    start: datetime | None
    end: datetime | None
    purpose: str
    case_number: str | None
    requester: str
    state: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    expires_at: datetime | None
    revoked_by: str | None
    revoked_at: datetime | None
    revoke_note: str | None


_COPIED = [f.name for f in fields(ApprovalView) if f.name not in ("start", "end", "state")]


def _grant(row: Approval) -> Grant:
    return Grant(
        row.id,
        row.kind,
        row.channel_id,
        row.requester_id,
        row.state,
        row.range_start,
        row.range_end,
        row.expires_at,
        row.decided_by,
    )


def _view(row: Approval, now: datetime) -> ApprovalView:
    copied = {name: getattr(row, name) for name in _COPIED}
    state = effective_state(_grant(row), now).value
    return ApprovalView(start=row.range_start, end=row.range_end, state=state, **copied)


def _check_span(request: ApprovalRequest) -> None:
    if request.kind is ApprovalKind.export and (request.start is None or request.end is None):
        raise Invalid("an export request names its time range", code="approval.range_missing")
    if request.start is not None and request.end is not None and request.end <= request.start:
        raise Invalid("the range must end after it starts", code="period.order")


class ApprovalService:
    """Requests, decisions and grants; see the module docstring."""

    def __init__(self, db: Database, audit: AuditLog, grant_minutes: int) -> None:
        self._db = db
        self._audit = audit
        self.grant_time = timedelta(minutes=grant_minutes)

    async def request(self, who: Principal | Caller, asked: ApprovalRequest) -> ApprovalView:
        """Record a pending request of the caller's; audited as ``approval.request``."""
        caller = as_caller(who)
        principal = caller.principal
        async with audited(
            self._audit,
            caller,
            "approval.request",
            "approval:new",
            channel_id=asked.channel_id,
            detail={"kind": asked.kind.value, "case": asked.case_number},
        ) as entry:
            check_requester(principal, asked.kind)
            _check_span(asked)
            await self._check_scope(principal, asked.channel_id, must_exist=True)
            row = await insert_approval(
                self._db,
                {
                    "kind": asked.kind.value,
                    "channel_id": asked.channel_id,
                    "range_start": asked.start,
                    "range_end": asked.end,
                    "purpose": asked.purpose,
                    "case_number": asked.case_number,
                    "requester": principal.username,
                    "requester_id": principal.user_id,
                    "state": ApprovalState.pending.value,
                },
            )
            entry.resource = f"approval:{row.id}"
        return _view(row, utcnow())

    async def get(self, principal: Principal, approval_id: int) -> ApprovalView:
        """A request, for its requester or someone who may decide it (in scope)."""
        row = await self._row(approval_id)
        if row.requester_id != principal.user_id:
            if not may_decide(principal, row.kind):
                raise Forbidden(
                    f"{principal.username} may not see approval {approval_id}",
                    code="approval.not_visible",
                    id=approval_id,
                )
            await self._check_scope(principal, row.channel_id)
        return _view(row, utcnow())

    async def inbox(
        self,
        principal: Principal,
        state: ApprovalState | None,
        mine: bool,
        after: int | None,
        limit: int,
    ) -> tuple[list[ApprovalView], dict[str, int]]:
        """The caller's own requests (``mine``), or those the caller may decide (others', of
        kinds it holds the rights for, in scope); newest first, and counted by state."""
        now = utcnow()
        if mine:
            kept = ApprovalFilter(now, state and state.value, requester_id=principal.user_id)
            if principal.user_id is None:
                return [], {}
            scope = None
        else:
            kinds = tuple(k.value for k in ApprovalKind if may_decide(principal, k))
            kept = ApprovalFilter(
                now, state and state.value, kinds, not_requester_id=principal.user_id
            )
            scope = principal.scope_paths
        rows = await list_approvals(self._db, kept, scope, after, limit)
        counts = await count_approvals(self._db, kept, scope)
        return [_view(r, now) for r in rows], counts

    async def approve(
        self, who: Principal | Caller, approval_id: int, note: str | None
    ) -> ApprovalView:
        """Approve a pending request of another user's: a grant until now + the grant time."""
        now = utcnow()
        values = {"decided_at": now, "decision_note": note, "expires_at": now + self.grant_time}
        return await self._decide(who, approval_id, "approve", ApprovalState.approved, values)

    async def reject(
        self, who: Principal | Caller, approval_id: int, note: str | None
    ) -> ApprovalView:
        """Reject a pending request of another user's."""
        values = {"decided_at": utcnow(), "decision_note": note}
        return await self._decide(who, approval_id, "reject", ApprovalState.rejected, values)

    async def revoke(
        self, who: Principal | Caller, approval_id: int, note: str | None
    ) -> ApprovalView:
        """End an approval before it expires (an approver or an admin)."""
        caller = as_caller(who)
        async with self._step(caller, approval_id, "revoke") as (entry, row):
            check_revoker(caller.principal, _grant(row))
            await self._check_scope(caller.principal, row.channel_id)
            values = {"revoked_by": caller.actor, "revoked_at": utcnow(), "revoke_note": note}
            moved = await self._move(row, "revoke", ApprovalState.revoked, values)
            entry.detail["requester"] = row.requester
        return moved

    async def require_grant(
        self,
        principal: Principal,
        kind: ApprovalKind,
        approval_id: int | None,
        channel_id: str,
        span: tuple[datetime, datetime] | None,
    ) -> ApprovalView:
        """The approval that lets ``principal`` do ``kind`` now; Forbidden saying why not."""
        if approval_id is None:
            raise Forbidden(
                f"a {kind.value} needs an approved request: ask for one (POST /api/v1/approvals) "
                "and give its approval_id",
                code="approval.required",
                kind=kind.value,
            )
        row = await get_approval(self._db, approval_id)
        if row is None:
            raise Forbidden(
                f"approval {approval_id} does not exist", code="approval.required", id=approval_id
            )
        now = utcnow()
        check_grant(_grant(row), principal, kind, channel_id, span, now)
        return _view(row, now)

    # -- steps -------------------------------------------------------------------------------

    async def _decide(
        self,
        who: Principal | Caller,
        approval_id: int,
        action: str,
        to: ApprovalState,
        values: Mapping[str, object],
    ) -> ApprovalView:
        caller = as_caller(who)
        async with self._step(caller, approval_id, action) as (entry, row):
            check_decider(caller.principal, _grant(row))
            await self._check_scope(caller.principal, row.channel_id)
            moved = await self._move(row, action, to, {"decided_by": caller.actor, **values})
            entry.detail |= {"requester": row.requester, "expires_at": moved.expires_at}
        return moved

    @asynccontextmanager
    async def _step(
        self, caller: Caller, approval_id: int, action: str
    ) -> AsyncIterator[tuple[AuditEntry, Approval]]:
        """The audited block of ``action`` on a stored request (found inside the block, so a
        missing one is recorded too), yielding the audit entry and the row."""
        resource = f"approval:{approval_id}"
        async with audited(self._audit, caller, f"approval.{action}", resource) as entry:
            row = await self._row(approval_id)
            entry.channel_id = row.channel_id
            entry.detail["kind"] = row.kind
            yield entry, row

    async def _move(
        self, row: Approval, action: str, to: ApprovalState, values: Mapping[str, object]
    ) -> ApprovalView:
        now = utcnow()
        check_move(_grant(row), action, now)
        stored = [s.value for s in MOVES[action]]
        moved = await move_approval(self._db, row.id, stored, {"state": to.value, **values})
        if moved is None:  # another decider moved it meanwhile
            fresh = await self._row(row.id)
            check_move(_grant(fresh), action, now)
            raise Conflict(f"approval {row.id} changed meanwhile", code="approval.state")
        return _view(moved, now)

    async def _row(self, approval_id: int) -> Approval:
        row = await get_approval(self._db, approval_id)
        if row is None:
            raise missing("approval", approval_id)
        return row

    async def _check_scope(
        self, principal: Principal, channel_id: str, *, must_exist: bool = False
    ) -> None:
        """Forbidden unless the channel is in ``principal``'s scope; NotFound when it is not on
        file and ``must_exist`` (a decision on a channel since deleted needs no scope)."""
        if principal.scope_paths is None and not must_exist:
            return
        exists, path = await channel_path(self._db, channel_id)
        if not exists and (must_exist or principal.scope_paths is not None):
            raise missing("channel", channel_id)
        principal.check_org_path(path, "channel", channel_id)
