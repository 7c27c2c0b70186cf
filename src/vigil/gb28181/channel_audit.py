"""The audit record of an action on one channel: resource ``channel:<id>``, the channel named."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any

from vigil.governance.audit import AuditLog
from vigil.governance.audited import AuditEntry, Caller, audited

__all__ = ["channel_audited"]


def channel_audited(
    audit: AuditLog,
    caller: Caller,
    action: str,
    channel_id: str,
    detail: Mapping[str, Any],
) -> AbstractAsyncContextManager[AuditEntry]:
    """:func:`~vigil.governance.audited.audited` for ``action`` on the channel ``channel_id``."""
    resource = f"channel:{channel_id}"
    return audited(audit, caller, action, resource, channel_id=channel_id, detail=detail)
