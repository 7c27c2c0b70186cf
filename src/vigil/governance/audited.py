"""One way to authorise-and-record an action: the ``Caller`` who asks and the ``audited`` block.

A service action that must leave an audit record runs inside ``audited(...)``: the block records
the action, the caller (who, from which address, for which purpose), the target and the outcome
(``ok``, the refusal's or failure's type such as ``forbidden`` or ``not-found``, ``timeout``,
``cancelled``, or ``error`` for anything else) exactly once, whatever happens inside. Something
that happens at once (a SIP request refused) is recorded with ``note``.

A ``Caller`` keeps the actions recorded for it; the API builds one per request, so the audit
middleware knows the service recorded the request and adds no generic record of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from vigil.errors import VigilError
from vigil.governance.audit import AuditEvent, AuditLog
from vigil.governance.permissions import Principal, Role

__all__ = ["AuditEntry", "Caller", "as_caller", "audited", "note"]


def _powerless(name: str) -> Principal:
    """A principal named ``name`` that may do nothing and sees no organisation."""
    return Principal(None, name[:64], Role.viewer, frozenset(), ())


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks for an action: the principal, the address it came from and the purpose given."""

    principal: Principal
    source: str | None = None
    purpose: str | None = None
    recorded: list[str] = field(default_factory=list, compare=False, repr=False)
    """The actions recorded for this caller so far (shared by the copies ``named`` makes)."""
    case: str | None = None
    """The case number given for this action (access to sensitive video needs one)."""

    @classmethod
    def anonymous(cls, source: str | None = None) -> Caller:
        """Someone not (yet) authenticated: a login attempt, a request refused at the door."""
        return cls(_powerless("anonymous"), source)

    @classmethod
    def peer(cls, name: str, source: str | None) -> Caller:
        """A SIP peer acting on its own (``device:<id>``, ``platform:<id>``): no powers."""
        return cls(_powerless(name), source)

    @property
    def actor(self) -> str:
        """The name the audit log records."""
        return self.principal.username[:64]

    def named(self, name: str) -> Caller:
        """The same caller recorded as ``name`` (the account a login attempt names)."""
        return replace(self, principal=replace(self.principal, username=name[:64]))

    def for_purpose(self, purpose: str | None) -> Caller:
        """The same caller with the purpose it gave for this action."""
        return replace(self, purpose=purpose)

    def for_case(self, case: str | None) -> Caller:
        """The same caller with the case number it gave for this action."""
        return replace(self, case=case)


def as_caller(who: Principal | Caller) -> Caller:
    """A caller as it is; a bare principal (the CLI, the demo, the node itself) from nowhere."""
    return who if isinstance(who, Caller) else Caller(who)


@dataclass(slots=True)
class AuditEntry:
    """The record being written: the block may add detail, name the target once it knows it,
    or set the outcome of a refusal it answers instead of raising."""

    resource: str
    channel_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    outcome: str | None = None


@asynccontextmanager
async def audited(
    audit: AuditLog,
    caller: Caller,
    action: str,
    resource: str,
    *,
    channel_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AsyncIterator[AuditEntry]:
    """Run the block and record ``action`` on ``resource`` by ``caller`` once when it ends."""
    entry = AuditEntry(resource, channel_id, dict(detail or {}))
    outcome = "error"
    try:
        yield entry
        outcome = "ok"
    except VigilError as exc:
        outcome = exc.type
        raise
    except TimeoutError:
        outcome = "timeout"
        raise
    except asyncio.CancelledError:
        outcome = "cancelled"
        raise
    finally:
        await note(
            audit,
            caller,
            action,
            entry.resource,
            outcome=entry.outcome or outcome,
            channel_id=entry.channel_id,
            detail=entry.detail,
        )


async def note(
    audit: AuditLog,
    caller: Caller,
    action: str,
    resource: str,
    *,
    outcome: str = "ok",
    channel_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Record ``action`` on ``resource`` by ``caller`` now, with ``outcome``."""
    recorded = dict(detail or {})
    if caller.purpose is not None:
        recorded.setdefault("purpose", caller.purpose)
    if caller.case is not None:
        recorded.setdefault("case", caller.case)
    await audit.append(
        AuditEvent(
            actor=caller.actor,
            action=action,
            resource=resource,
            outcome=outcome,
            channel_id=channel_id,
            source=caller.source,
            detail=recorded,
        )
    )
    caller.recorded.append(action)
