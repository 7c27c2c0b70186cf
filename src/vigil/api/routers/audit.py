"""The audit log, for auditors: list and filter."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from vigil.api.deps import CurrentPrincipal
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.audit import AuditRecordPublic
from vigil.api.schemas.common import PRINTABLE, CursorQuery, Instant, LimitQuery, Page
from vigil.api.services import Audit
from vigil.governance.audit import AuditFilter

router = APIRouter(prefix="/audit", tags=["audit"])

FilterText = Annotated[str | None, Query(max_length=64, pattern=PRINTABLE)]


@router.get("", response_model=Page[AuditRecordPublic])
async def list_audit(
    principal: CurrentPrincipal,
    audit: Audit,
    actor: FilterText = None,
    action: FilterText = None,
    channel_id: Annotated[str | None, Query(pattern=r"^[0-9]{1,20}$")] = None,
    since: Instant | None = None,
    until: Instant | None = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[AuditRecordPublic]:
    after = decode_cursor(cursor, int)
    flt = AuditFilter(actor=actor, action=action, channel_id=channel_id, since=since, until=until)
    records = await audit.page(principal, flt, after, limit + 1)
    return page_of(records, limit, AuditRecordPublic.model_validate, lambda r: r.seq)
