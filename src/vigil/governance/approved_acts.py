"""The base of the services whose acts on a channel need an approved request of the caller's own
besides the access policy (channel shares, unmasked views): what they hold, and the grant check."""

from __future__ import annotations

from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.approval_rules import ApprovalKind
from vigil.governance.approvals import ApprovalService, ApprovalView
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller
from vigil.store.database import Database

__all__ = ["ApprovedActs"]


class ApprovedActs:
    """Holds the database, the audit log, the access policy and the approvals; built once by
    :class:`vigil.app.Vigil` for each subclass."""

    def __init__(
        self, db: Database, audit: AuditLog, policy: AccessPolicy, approvals: ApprovalService
    ) -> None:
        self._db = db
        self._audit = audit
        self._policy = policy
        self._approvals = approvals

    async def _granted(
        self, caller: Caller, kind: ApprovalKind, approval_id: int | None, channel_id: str
    ) -> ApprovalView:
        """The caller's approved ``kind`` request for the channel, in force now; Forbidden saying
        why not."""
        return await self._approvals.require_grant(
            caller.principal, kind, approval_id, channel_id, None
        )
