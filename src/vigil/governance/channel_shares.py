"""Sharing a channel across departments (跨部门共享): lend its live video to another organisation.

A share goes the way of every governed action: the sharer needs the ``share`` action on the
channel (access policy: ``video:export``, scope, clearance, time window), a stated purpose, and
an approved share request of their own for the channel, decided by another user
(:mod:`vigil.governance.approvals`). The share then lets users scoped to the organisation it
names (or above it) watch the channel live — the access policy's scope step admits them for
:data:`~vigil.governance.access_policy.LENT_ACTIONS` only — for as long as the approval stands:
it ends when the approval expires or is revoked, or when the share itself is revoked (by its
sharer, or by anyone who may decide share requests). Each step is audited (``video.share``,
``share.revoke``); an open live view is re-checked and ends with the share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vigil.errors import Conflict, Forbidden, NotFound, missing
from vigil.governance.access_policy import AccessAction
from vigil.governance.approval_rules import ApprovalKind, may_decide
from vigil.governance.approved_acts import ApprovedActs
from vigil.governance.audited import Caller, as_caller, audited
from vigil.governance.permissions import Permission, Principal
from vigil.store.queries.access_policy import channel_row
from vigil.store.queries.channel_shares import (
    ShareRow,
    get_share,
    insert_share,
    list_shares,
    organisation_named,
    revoke_share,
)
from vigil.store.types import utcnow

__all__ = ["ChannelShares", "ShareView"]


@dataclass(frozen=True, slots=True)
class ShareView:
    """A share as its readers see it."""

    id: int
    channel_id: str
    organisation_id: str
    organisation_name: str
    approval_id: int
    approver: str | None
    purpose: str
    case_number: str | None
    shared_by: str
    created_at: datetime
    until: datetime | None
    in_force: bool
    revoked_by: str | None
    revoked_at: datetime | None


def _view(row: ShareRow) -> ShareView:
    share = row.share
    return ShareView(
        id=share.id,
        channel_id=share.channel_id,
        organisation_id=share.organisation_id,
        organisation_name=row.organisation_name,
        approval_id=share.approval_id,
        approver=row.approver,
        purpose=share.purpose,
        case_number=share.case_number,
        shared_by=share.shared_by,
        created_at=share.created_at,
        until=row.until,
        in_force=row.in_force,
        revoked_by=share.revoked_by,
        revoked_at=share.revoked_at,
    )


class ChannelShares(ApprovedActs):
    """See the module docstring; built once by :class:`vigil.app.Vigil`."""

    async def share(
        self,
        who: Principal | Caller,
        channel_id: str,
        organisation_id: str,
        approval_id: int | None,
    ) -> ShareView:
        """Lend the channel's live video to the organisation under the caller's approved share
        request; the caller carries the purpose (and case number) given."""
        caller = as_caller(who)
        await self._policy.check(caller, channel_id, AccessAction.share)
        async with audited(
            self._audit,
            caller,
            "video.share",
            f"channel:{channel_id}",
            channel_id=channel_id,
            detail={"organisation": organisation_id, "approval": approval_id},
        ) as entry:
            grant = await self._granted(caller, ApprovalKind.share, approval_id, channel_id)
            entry.detail |= {
                "approver": grant.decided_by,
                "until": grant.expires_at.isoformat() if grant.expires_at else None,
            }
            await self._check_target(channel_id, organisation_id)
            share_id = await insert_share(
                self._db,
                {
                    "channel_id": channel_id,
                    "organisation_id": organisation_id,
                    "approval_id": grant.id,
                    "purpose": caller.purpose or grant.purpose,
                    "case_number": caller.case or grant.case_number,
                    "shared_by": caller.actor,
                },
            )
        return await self.get(caller.principal, share_id)

    async def _check_target(self, channel_id: str, organisation_id: str) -> None:
        """NotFound when there is no such organisation; Conflict when it sees the channel
        already, by filing or by a share."""
        target = await organisation_named(self._db, organisation_id)
        if target is None:
            raise missing("organisation", organisation_id)
        path = target[1]
        row = await channel_row(self._db, channel_id)
        if row is not None and row.org_path is not None and row.org_path.startswith(path):
            raise Conflict(
                f"channel {channel_id} is filed under organisation {organisation_id} already",
                code="channel_share.filed_there",
                id=organisation_id,
            )
        lent = await list_shares(self._db, None, utcnow(), channel_id=channel_id)
        if any(found.share.organisation_id == organisation_id for found in lent):
            raise Conflict(
                f"channel {channel_id} is shared with organisation {organisation_id} already",
                code="channel_share.twice",
                id=organisation_id,
            )

    async def get(self, principal: Principal, share_id: int) -> ShareView:
        """The share, when the caller sees its channel or its organisation."""
        principal.require(Permission.catalog_read)
        row = await get_share(self._db, share_id, utcnow())
        seen = row is not None and (
            principal.sees_org_path(row.organisation_path)
            or await self._sees_channel(principal, row.share.channel_id)
        )
        if row is None or not seen:
            raise NotFound(f"no share {share_id}", code="channel_share.not_found", id=share_id)
        return _view(row)

    async def list(
        self, principal: Principal, channel_id: str | None = None, *, in_force_only: bool = True
    ) -> list[ShareView]:
        """The shares of the caller's channels and those lent to the caller's organisations."""
        principal.require(Permission.catalog_read)
        rows = await list_shares(
            self._db,
            principal.scope_paths,
            utcnow(),
            channel_id=channel_id,
            in_force_only=in_force_only,
        )
        return [_view(row) for row in rows]

    async def revoke(self, who: Principal | Caller, share_id: int) -> ShareView:
        """End the share now: its sharer may, and so may anyone who decides share requests for
        the channel's organisation; audited as ``share.revoke``."""
        caller = as_caller(who)
        principal = caller.principal
        share = await self.get(principal, share_id)
        own = share.shared_by == caller.actor and principal.user_id is not None
        decides = may_decide(principal, ApprovalKind.share.value) and await self._sees_channel(
            principal, share.channel_id
        )
        async with audited(
            self._audit,
            caller,
            "share.revoke",
            f"share:{share_id}",
            channel_id=share.channel_id,
            detail={"organisation": share.organisation_id, "was_in_force": share.in_force},
        ):
            if not (own or decides):
                raise Forbidden(
                    f"only the sharer or a user who decides share requests may revoke share "
                    f"{share_id}",
                    code="channel_share.not_yours",
                    id=share_id,
                )
            await revoke_share(self._db, share_id, caller.actor, utcnow())
        return await self.get(principal, share_id)

    async def _sees_channel(self, principal: Principal, channel_id: str) -> bool:
        row = await channel_row(self._db, channel_id)
        return row is not None and principal.sees_org_path(row.org_path)
