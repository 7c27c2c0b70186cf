"""Approved export requests for tests that export: a requester and a second user who approves.

An export needs the caller's approved export request; tests about exporting itself get one here
(two admin accounts, unscoped, so any channel is in reach) through the services, as the API
would make them.
"""

from __future__ import annotations

from datetime import datetime

from vigil.app import Vigil
from vigil.governance.approval_rules import ApprovalKind
from vigil.governance.approvals import ApprovalRequest
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM, Principal
from vigil.store.models import Role

PASSWORD = "Grant-Pass-12345"


async def principal_of(node: Vigil, username: str, role: Role = Role.admin) -> Principal:
    """A new user ``username`` logged in: its principal."""
    await node.users.create(SYSTEM, username, PASSWORD, role, [])
    issued = await node.auth.login(username, PASSWORD, Caller.anonymous("127.0.0.9"))
    return await node.auth.authenticate(issued.token)


async def export_grant(
    node: Vigil,
    channel_id: str,
    start: datetime,
    end: datetime,
    requester: str = "exporter",
    approver: str = "approver",
) -> tuple[Principal, int]:
    """A requester (new user) and the ID of its export request, approved by another new user."""
    asking = await principal_of(node, requester)
    deciding = await principal_of(node, approver)
    asked = ApprovalRequest(ApprovalKind.export, channel_id, "evidence", "case 7", start, end)
    request = await node.approvals.request(asking, asked)
    await node.approvals.approve(deciding, request.id, None)
    return asking, request.id
