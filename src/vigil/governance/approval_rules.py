"""The rules of the approval workflow (审批), kept apart from storage so they read (and test)
as a table.

A request names its kind, a channel, for an export the time range, a purpose and optionally a
case number. Each kind needs one right of the requester, and that right plus
``approvals:decide`` of whoever decides it; nobody decides their own request. An approval is a
grant that expires; an approver (anyone who may decide it) or an admin may revoke it earlier.

States move only along :data:`MOVES`: pending → approved | rejected, approved → revoked. An
approval past its expiry reads as ``expired`` (:func:`effective_state`); nothing writes that.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from vigil.errors import Conflict, Forbidden
from vigil.governance.permissions import Permission, Principal, Role

__all__ = [
    "KIND_RIGHT",
    "MOVES",
    "ApprovalKind",
    "ApprovalState",
    "Grant",
    "check_decider",
    "check_grant",
    "check_move",
    "check_requester",
    "check_revoker",
    "effective_state",
    "may_decide",
]


class ApprovalKind(enum.StrEnum):
    """What a request asks for."""

    export = "export"
    unmask = "unmask"
    share = "share"
    biometric_search = "biometric_search"
    """Reserved: biometric search stays off until an administrator enables it with a legal
    basis; requests for it are refused until then."""


class ApprovalState(enum.StrEnum):
    """Where a request is; ``expired`` is an approval read after its expiry, never stored."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    revoked = "revoked"
    expired = "expired"


KIND_RIGHT: dict[ApprovalKind, Permission] = {
    ApprovalKind.export: Permission.video_export,
    ApprovalKind.unmask: Permission.video_playback,
    ApprovalKind.share: Permission.video_export,
}
"""The right a kind needs of its requester and (with ``approvals:decide``) of its decider."""

MOVES: dict[str, tuple[ApprovalState, ...]] = {
    "approve": (ApprovalState.pending,),
    "reject": (ApprovalState.pending,),
    "revoke": (ApprovalState.approved,),
}
"""Each action and the stored states it may start from."""


@dataclass(frozen=True, slots=True)
class Grant:
    """A request as the rules see it (a stored row, or one being made)."""

    id: int
    kind: str
    channel_id: str
    requester_id: int
    state: str
    start: datetime | None = None
    end: datetime | None = None
    expires_at: datetime | None = None
    decided_by: str | None = None


def effective_state(grant: Grant, now: datetime) -> ApprovalState:
    """The state as read at ``now``: an approval past its expiry is ``expired``."""
    state = ApprovalState(grant.state)
    if state is ApprovalState.approved and grant.expires_at is not None and grant.expires_at <= now:
        return ApprovalState.expired
    return state


def _kind(kind: str) -> ApprovalKind:
    value = ApprovalKind(kind)
    if value not in KIND_RIGHT:
        raise Conflict(
            f"{value.value} requests are reserved: biometric search is not enabled",
            code="approval.kind_reserved",
            kind=value.value,
        )
    return value


def check_requester(principal: Principal, kind: str) -> None:
    """Whether ``principal`` may ask for ``kind``: a person (not the platform) with its right."""
    right = KIND_RIGHT[_kind(kind)]
    if principal.user_id is None:
        raise Forbidden(
            "only a user can request an approval, not the platform itself",
            code="approval.no_user",
        )
    principal.require(right)


def may_decide(principal: Principal, kind: str) -> bool:
    """Whether ``principal`` holds the rights to decide requests of ``kind`` (any requester)."""
    right = KIND_RIGHT.get(ApprovalKind(kind))
    return right is not None and all(principal.has(p) for p in (right, Permission.approvals_decide))


def check_decider(principal: Principal, grant: Grant) -> None:
    """Forbidden unless ``principal`` may decide ``grant``; never its own requester."""
    right = KIND_RIGHT[_kind(grant.kind)]
    principal.require(Permission.approvals_decide)
    principal.require(right)
    if principal.user_id is not None and principal.user_id == grant.requester_id:
        raise Forbidden(
            f"{principal.username} requested approval {grant.id} and cannot decide it: "
            "another user must",
            code="approval.own_request",
            id=grant.id,
        )


def check_revoker(principal: Principal, grant: Grant) -> None:
    """Forbidden unless ``principal`` is an admin or may decide ``grant``."""
    if principal.role is not Role.admin:
        check_decider(principal, grant)


def check_move(grant: Grant, action: str, now: datetime) -> None:
    """Conflict unless ``action`` may start from ``grant``'s state as read at ``now``."""
    state = effective_state(grant, now)
    if state not in MOVES[action]:
        raise Conflict(
            f"approval {grant.id} is {state.value}; it cannot be {action}d",
            code="approval.state",
            id=grant.id,
            state=state.value,
            action=action,
        )


def check_grant(
    grant: Grant,
    principal: Principal,
    kind: ApprovalKind,
    channel_id: str,
    span: tuple[datetime, datetime] | None,
    now: datetime,
) -> None:
    """Forbidden, naming why, unless ``grant`` lets ``principal`` do ``kind`` on ``channel_id``
    (over ``span`` for an export) at ``now``."""
    reason: tuple[str, str] | None = None
    state = effective_state(grant, now)
    if grant.kind != kind.value:
        reason = (f"is a {grant.kind} request, not {kind.value}", "approval.kind")
    elif grant.requester_id != principal.user_id:
        reason = (f"was not requested by {principal.username}", "approval.not_yours")
    elif grant.channel_id != channel_id:
        reason = (f"is for channel {grant.channel_id}, not {channel_id}", "approval.channel")
    elif state is not ApprovalState.approved:
        reason = (f"is {state.value}, not approved", f"approval.{state.value}")
    elif span is not None and not (
        grant.start is not None
        and grant.end is not None
        and grant.start <= span[0]
        and span[1] <= grant.end
    ):
        reason = ("does not cover the range asked for", "approval.range")
    if reason is not None:
        raise Forbidden(f"approval {grant.id} {reason[0]}", code=reason[1], id=grant.id)
