"""Privacy masks of channels: kept, read, and applied to whoever watches.

* ``catalog:read`` (within scope) reads a channel's masks; replacing them all at once is access
  policy like a channel's sensitivity — ``users:manage`` and ``catalog:write`` (an operator who
  could remove a mask would need no approval to unmask) — audited as ``mask.set``. Services
  that serve video of the channel are told (:meth:`MaskService.on_change`), so a view opened
  before the change ends and reopens with it.
* :meth:`MaskService.for_view` decides what a viewer sees: every mask, unless the viewer asks
  to unmask, holds the access policy's ``unmask`` right for the channel (with a purpose) and
  gives an approved ``unmask`` request (审批) of their own for it; the unmasked view is then
  audited as ``video.unmask``. Permanent masks stay on for everyone: they cover what must never
  be seen (banned places).
* :meth:`MaskService.banned_uncovered` says which overlaps of the channel with banned places
  (computed by the coverage part and handed in) no permanent mask covers.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from vigil.errors import NotFound
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.approval_rules import ApprovalKind
from vigil.governance.approvals import ApprovalService
from vigil.governance.approved_acts import ApprovedActs
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, audited, note
from vigil.governance.masks import COVER_TOLERANCE, MaskPolygon, checked_masks, uncovered
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import PrivacyMask
from vigil.store.queries.access_policy import channel_row
from vigil.store.queries.masks import channel_masks, replace_masks

__all__ = ["MaskService", "ViewMasks"]

ChangeListener = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ViewMasks:
    """What one viewer sees of a channel: the masks drawn over it, and whether an approved
    unmask lifted the others."""

    masks: tuple[MaskPolygon, ...]
    unmasked: bool = False


def _mask(row: PrivacyMask) -> MaskPolygon:
    points = tuple((float(x), float(y)) for x, y in json.loads(row.points))
    return MaskPolygon(row.label, points, row.permanent, row.preset)


class MaskService(ApprovedActs):
    """The masks of every channel; see the module docstring."""

    def __init__(
        self, db: Database, audit: AuditLog, policy: AccessPolicy, approvals: ApprovalService
    ) -> None:
        super().__init__(db, audit, policy, approvals)
        self._listeners: list[ChangeListener] = []

    def on_change(self, listener: ChangeListener) -> None:
        """Call ``listener(channel_id)`` after a channel's masks are replaced."""
        self._listeners.append(listener)

    async def masks(self, principal: Principal, channel_id: str) -> tuple[MaskPolygon, ...]:
        """The channel's masks; needs ``catalog:read`` and the channel within scope."""
        principal.require(Permission.catalog_read)
        await self._in_scope(principal, channel_id)
        return await self.stored(channel_id)

    async def stored(self, channel_id: str) -> tuple[MaskPolygon, ...]:
        """The channel's masks, unchecked: for the node's own use (serving video)."""
        return tuple(_mask(row) for row in await channel_masks(self._db, channel_id))

    async def replace(
        self, who: Principal | Caller, channel_id: str, masks: Sequence[MaskPolygon]
    ) -> tuple[MaskPolygon, ...]:
        """Put ``masks`` in place of the channel's; needs ``users:manage`` and ``catalog:write``;
        audited with how many masks there were and are."""
        caller = as_caller(who)
        caller.principal.require(Permission.users_manage)
        caller.principal.require(Permission.catalog_write)
        await self._in_scope(caller.principal, channel_id)
        checked = checked_masks(masks)
        before = await self.stored(channel_id)
        async with audited(
            self._audit,
            caller,
            "mask.set",
            f"channel/{channel_id}",
            channel_id=channel_id,
            detail={
                "masks": len(checked),
                "permanent": sum(m.permanent for m in checked),
                "before": len(before),
            },
        ):
            values = [
                {
                    "label": m.label,
                    "points": json.dumps([list(p) for p in m.points]),
                    "permanent": m.permanent,
                    "preset": m.preset,
                    "created_by": caller.actor,
                }
                for m in checked
            ]
            await replace_masks(self._db, channel_id, values)
        for listener in self._listeners:
            listener(channel_id)
        return checked

    async def for_view(
        self, who: Principal | Caller, channel_id: str, unmask_approval: int | None = None
    ) -> ViewMasks:
        """The masks ``who`` sees on the channel (access to the channel is checked elsewhere).

        ``unmask_approval`` None: every mask. Given: the caller must hold the ``unmask`` right
        (access policy, purpose included) and that approved unmask request of their own for the
        channel; then only the permanent masks stay, and the unmask is audited."""
        masks = await self.stored(channel_id)
        if unmask_approval is None:
            return ViewMasks(masks)
        caller = as_caller(who)
        await self._policy.check(caller, channel_id, AccessAction.unmask)
        grant = await self._granted(caller, ApprovalKind.unmask, unmask_approval, channel_id)
        kept = tuple(m for m in masks if m.permanent)
        await note(
            self._audit,
            caller,
            "video.unmask",
            f"channel:{channel_id}",
            channel_id=channel_id,
            detail={
                "approval": grant.id,
                "approver": grant.decided_by,
                "lifted": len(masks) - len(kept),
                "kept": len(kept),
            },
        )
        return ViewMasks(kept, unmasked=True)

    async def recheck_unmask(self, caller: Caller, channel_id: str, approval_id: int) -> None:
        """Forbidden unless ``caller`` may still see the channel unmasked under the approval (an
        open view's periodic re-check: the approval may have been revoked or have expired)."""
        await self._policy.check(caller, channel_id, AccessAction.unmask, record_refusal=False)
        await self._granted(caller, ApprovalKind.unmask, approval_id, channel_id)

    async def banned_uncovered(
        self, channel_id: str, bands: Sequence[tuple[str, tuple[float, float]]]
    ) -> list[tuple[str, tuple[float, float]]]:
        """Of ``bands`` (a banned place's name, the picture columns it takes), those the
        channel's permanent masks leave uncovered."""
        permanent = [m for m in await self.stored(channel_id) if m.permanent]
        return [
            (name, columns)
            for name, columns in bands
            if uncovered(columns, permanent) > COVER_TOLERANCE
        ]

    async def _in_scope(self, principal: Principal, channel_id: str) -> None:
        row = await channel_row(self._db, channel_id)
        if row is None:
            raise NotFound(
                f"channel {channel_id} not found", code="channel.not_found", id=channel_id
            )
        principal.check_org_path(row.org_path, "channel", channel_id)
