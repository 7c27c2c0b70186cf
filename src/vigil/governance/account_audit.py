"""The audit record of one account change, written by the user service whatever the outcome.

Every caller (API, CLI, demo) gets the same record with its own principal as the actor; the
service fills in what changed as it learns it. Passwords never enter a record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from vigil.errors import VigilError
from vigil.governance.audit import AuditEvent, AuditLog
from vigil.governance.permissions import Principal

__all__ = ["AccountChange", "account_change"]


@dataclass(slots=True)
class AccountChange:
    """What the record will say: the account (its username once known) and the details."""

    account: str
    detail: dict[str, Any] = field(default_factory=dict)


@asynccontextmanager
async def account_change(
    audit: AuditLog, principal: Principal, action: str, account: str, source: str | None
) -> AsyncIterator[AccountChange]:
    """Record ``action`` on ``account`` by ``principal`` when the block ends: ``ok``, or the
    refusal's type (``forbidden``, ``invalid``, ``not-found``, ``conflict``, …)."""
    change = AccountChange(account)
    outcome = "error"
    try:
        yield change
        outcome = "ok"
    except VigilError as exc:
        outcome = exc.type
        raise
    finally:
        await audit.append(
            AuditEvent(
                actor=principal.username[:64],
                action=action,
                resource=f"user/{change.account}",
                outcome=outcome,
                source=source,
                detail=change.detail,
            )
        )
