"""Approvals (审批): request an export, unmask or share; the inbox of requests the caller may
decide (or ``mine``: the caller's own), with counts by state; approve, reject, revoke.

The approval service checks the rights (the kind's right, plus ``approvals:decide`` to decide),
refuses a requester deciding their own request, and audits every step.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.api.deps import CurrentCaller, CurrentPrincipal
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.approvals import (
    ApprovalIn,
    ApprovalInbox,
    ApprovalOut,
    DecisionIn,
    StateName,
)
from vigil.api.schemas.common import CursorQuery, IntIdPath, LimitQuery
from vigil.api.services import Approvals
from vigil.governance.approval_rules import ApprovalKind, ApprovalState
from vigil.governance.approvals import ApprovalRequest, ApprovalView

router = APIRouter(prefix="/approvals", tags=["approvals"])


def _out(view: ApprovalView) -> ApprovalOut:
    return ApprovalOut.model_validate(view, from_attributes=True)


@router.post("", response_model=ApprovalOut, status_code=201)
async def request_approval(
    body: ApprovalIn, caller: CurrentCaller, approvals: Approvals
) -> ApprovalOut:
    asked = ApprovalRequest(
        ApprovalKind(body.kind),
        body.channel_id,
        body.purpose,
        body.case_number,
        body.start,
        body.end,
    )
    return _out(await approvals.request(caller, asked))


@router.get("", response_model=ApprovalInbox)
async def approval_inbox(
    principal: CurrentPrincipal,
    approvals: Approvals,
    state: StateName | None = None,
    mine: Annotated[bool, Query(description="The caller's own requests instead")] = False,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> ApprovalInbox:
    wanted = ApprovalState(state) if state is not None else None
    after = decode_cursor(cursor, int)
    views, counts = await approvals.inbox(principal, wanted, mine, after, limit + 1)
    page = page_of(views, limit, _out, lambda v: v.id)
    return ApprovalInbox(items=page.items, next=page.next, counts=counts)  # type: ignore[arg-type]


@router.get("/{approval_id}", response_model=ApprovalOut)
async def get_approval(
    approval_id: IntIdPath, principal: CurrentPrincipal, approvals: Approvals
) -> ApprovalOut:
    return _out(await approvals.get(principal, approval_id))


@router.post("/{approval_id}/approve", response_model=ApprovalOut)
async def approve(
    approval_id: IntIdPath, body: DecisionIn, caller: CurrentCaller, approvals: Approvals
) -> ApprovalOut:
    return _out(await approvals.approve(caller, approval_id, body.note))


@router.post("/{approval_id}/reject", response_model=ApprovalOut)
async def reject(
    approval_id: IntIdPath, body: DecisionIn, caller: CurrentCaller, approvals: Approvals
) -> ApprovalOut:
    return _out(await approvals.reject(caller, approval_id, body.note))


@router.post("/{approval_id}/revoke", response_model=ApprovalOut)
async def revoke(
    approval_id: IntIdPath, body: DecisionIn, caller: CurrentCaller, approvals: Approvals
) -> ApprovalOut:
    return _out(await approvals.revoke(caller, approval_id, body.note))
