"""Reading what diagnosis recorded: faults, work orders, time-to-repair figures, evidence images.

Reading faults and work orders needs ``catalog:read``, an evidence image ``video:live``; rows are
kept to the channels filed in the caller's organisation scope, and an evidence image is audited
like a snapshot. :class:`~vigil.health.service.AvailabilityService` builds on this.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, joinedload

from vigil.catalog.channels import ChannelService
from vigil.catalog.scope import scope_clause
from vigil.errors import NotFound
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, note
from vigil.governance.permissions import Permission, Principal
from vigil.health.repair_stats import RepairStats, repair_stats
from vigil.store.database import Database
from vigil.store.models import Channel, Organisation, VideoFault, WorkOrder
from vigil.store.queries.rows import newest_page

__all__ = ["FaultRecords"]

_Row = TypeVar("_Row", bound=VideoFault | WorkOrder)


class FaultRecords:
    """Reads faults, work orders, repair times and evidence images, kept to the caller's scope."""

    def __init__(
        self,
        db: Database,
        channels: ChannelService,
        audit: AuditLog,
        data_dir: Path,
        policy: AccessPolicy | None = None,
    ) -> None:
        self._policy = policy
        """The node's access policy; None only for a diagnosis built alone (a test)."""
        self._db = db
        self._channels = channels
        self._audit = audit
        self._data_dir = data_dir

    async def faults(
        self,
        principal: Principal,
        channel_id: str | None,
        open_only: bool | None,
        after: int | None,
        limit: int,
    ) -> list[VideoFault]:
        """Faults in the caller's scope, newest first; cursor ``after`` is the last ID seen."""
        principal.require(Permission.catalog_read)
        query = self._scoped(select(VideoFault), VideoFault.channel_id, principal)
        if channel_id is not None:
            await self._channels.get(principal, channel_id)
            query = query.where(VideoFault.channel_id == channel_id)
        return await self._newest(query, VideoFault, open_only, after, limit)

    async def work_orders(
        self, principal: Principal, open_only: bool | None, after: int | None, limit: int
    ) -> list[WorkOrder]:
        """Work orders in the caller's scope, newest first."""
        principal.require(Permission.catalog_read)
        query = self._scoped(
            select(WorkOrder).options(joinedload(WorkOrder.fault)), WorkOrder.channel_id, principal
        )
        return await self._newest(query, WorkOrder, open_only, after, limit)

    async def repair_statistics(
        self, principal: Principal, start: datetime | None, end: datetime | None
    ) -> tuple[list[RepairStats], RepairStats]:
        """Time to repair of the orders opened in [start, end) in the caller's scope, per
        maintainer unit and in all."""
        principal.require(Permission.catalog_read)
        query = self._scoped(select(WorkOrder), WorkOrder.channel_id, principal)
        if start is not None:
            query = query.where(WorkOrder.opened_at >= start)
        if end is not None:
            query = query.where(WorkOrder.opened_at < end)
        async with self._db.session() as session:
            orders = list(await session.scalars(query))
        return repair_stats((o.assignee, o.opened_at, o.closed_at) for o in orders)

    async def _newest(
        self,
        query: Select[_Row],
        model: type[_Row],
        open_only: bool | None,
        after: int | None,
        limit: int,
    ) -> list[_Row]:
        """Rows open or closed (or both), newest first, below the cursor ``after``."""
        if open_only is not None:
            closed = model.closed_at
            query = query.where(closed.is_(None) if open_only else closed.is_not(None))
        return await newest_page(self._db, model, query, after, limit)

    async def evidence(self, who: Principal | Caller, fault_id: int) -> bytes:
        """The JPEG a fault was raised with; audited as video access."""
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.video_live)
        async with self._db.session() as session:
            fault = await session.get(VideoFault, fault_id)
        if fault is None or fault.evidence_path is None:
            raise NotFound(f"fault {fault_id} has no evidence image", code="evidence.none")
        await self._channels.get(principal, fault.channel_id)
        if self._policy is not None:  # a still of the live picture: the live decision applies
            await self._policy.check(caller, fault.channel_id, AccessAction.live)
        await note(
            self._audit,
            caller,
            "video.snapshot",
            f"fault:{fault_id}",
            channel_id=fault.channel_id,
            detail={"evidence": fault.kind},
        )
        try:
            return await asyncio.to_thread((self._data_dir / fault.evidence_path).read_bytes)
        except FileNotFoundError as exc:
            raise NotFound(
                f"the evidence image of fault {fault_id} is missing", code="evidence.missing"
            ) from exc

    @staticmethod
    def _scoped(
        query: Select[_Row], channel_column: InstrumentedAttribute[str], principal: Principal
    ) -> Select[_Row]:
        """Keep rows whose channel is filed in the caller's scope (unscoped callers: all)."""
        if principal.scope_paths is None:
            return query
        return (
            query.join(Channel, Channel.id == channel_column)
            .join(Organisation, Organisation.id == Channel.organisation_id)
            .where(scope_clause(principal, Organisation.path))
        )
