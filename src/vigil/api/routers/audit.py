"""The audit log, for auditors: list and filter; signed tree heads and Merkle proofs.

An auditor keeps a tree head, and later checks with the proofs that the log still holds what it
signed (RFC 9162 §2.1.3–2.1.4); every route needs ``audit_read``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from vigil.api.deps import CurrentPrincipal
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.audit import (
    AuditRecordPublic,
    ConsistencyProofPublic,
    InclusionProofPublic,
    TreeHeadPublic,
)
from vigil.api.schemas.common import PRINTABLE, CursorQuery, Instant, LimitQuery, Page
from vigil.api.services import Audit, AuditHeads
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


@router.get("/tree-head", response_model=TreeHeadPublic)
async def tree_head(principal: CurrentPrincipal, heads: AuditHeads) -> TreeHeadPublic:
    """The signed head of the whole log (a new one when the log grew since the last)."""
    return TreeHeadPublic.of(await heads.tree_head(principal))


@router.get("/records/{seq}/proof", response_model=InclusionProofPublic)
async def inclusion_proof(
    principal: CurrentPrincipal,
    heads: AuditHeads,
    seq: Annotated[int, Path(ge=1, le=2**40)],
    size: Annotated[
        int | None, Query(ge=1, le=2**40, description="tree size; default: all")
    ] = None,
) -> InclusionProofPublic:
    """Record ``seq``'s leaf and its audit path in the tree of ``size`` records."""
    return InclusionProofPublic.of(await heads.inclusion(principal, seq, size))


@router.get("/consistency", response_model=ConsistencyProofPublic)
async def consistency_proof(
    principal: CurrentPrincipal,
    heads: AuditHeads,
    old: Annotated[int, Query(alias="from", ge=0, le=2**40)],
    new: Annotated[int, Query(alias="to", ge=0, le=2**40)],
) -> ConsistencyProofPublic:
    """The proof that the tree of ``from`` records is a prefix of the tree of ``to``."""
    proof = await heads.consistency(principal, old, new)
    return ConsistencyProofPublic(proof=[node.hex() for node in proof])
