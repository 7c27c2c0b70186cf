"""Channel shares: lend a channel's live video to another department, list, revoke.

The service (:mod:`vigil.governance.channel_shares`) checks the ``share`` action, the approval
and the organisation, and writes the audit records; this router validates and passes the
purpose and case number on with the caller.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.api.deps import CurrentCaller, CurrentPrincipal
from vigil.api.schemas.channel_shares import ShareList, ShareRequest
from vigil.api.schemas.common import IdPath, IntIdPath
from vigil.api.services import Shares
from vigil.governance.channel_shares import ShareView

router = APIRouter(tags=["shares"])

ChannelQuery = Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$")]


@router.post("/channels/{channel_id}/shares", response_model=ShareView, status_code=201)
async def share_channel(
    channel_id: IdPath, body: ShareRequest, caller: CurrentCaller, shares: Shares
) -> ShareView:
    justified = caller.for_purpose(body.purpose).for_case(body.case)
    shared = await shares.share(justified, channel_id, body.organisation_id, body.approval_id)
    return shared


@router.get("/shares", response_model=ShareList)
async def list_shares(
    principal: CurrentPrincipal,
    shares: Shares,
    channel_id: ChannelQuery = None,
    ended: Annotated[bool, Query(description="Include shares no longer in force")] = False,
) -> ShareList:
    found = await shares.list(principal, channel_id, in_force_only=not ended)
    return ShareList(items=found)


@router.get("/shares/{share_id}", response_model=ShareView)
async def get_share(share_id: IntIdPath, principal: CurrentPrincipal, shares: Shares) -> ShareView:
    return await shares.get(principal, share_id)


@router.post("/shares/{share_id}/revoke", response_model=ShareView)
async def revoke_share(share_id: IntIdPath, caller: CurrentCaller, shares: Shares) -> ShareView:
    return await shares.revoke(caller, share_id)
