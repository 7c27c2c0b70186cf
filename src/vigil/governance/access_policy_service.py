"""The access policy at work: load what :func:`~.access_policy.decide` needs and enforce it.

Every video access and control point (live and snapshot views, playback, export and its
download, device playback and download, PTZ and presets) calls :meth:`AccessPolicy.check` with
the caller, the channel and the action, before it touches the video or the camera. A refusal is
recorded (``outcome`` ``forbidden``, the reason in ``detail``) under the action's audit name and
raised as :class:`~vigil.errors.Forbidden` with the reason; re-checks of an open view ask the same
question without writing a record each time (the opening was the audited access).

The access windows are read once and kept; :meth:`AccessPolicy.changed` (called when they are
replaced) reloads them at the next decision, and so does the passing of :data:`RELOAD_SECONDS`
(another node of a cluster may have replaced them).
"""

from __future__ import annotations

import asyncio
import time as clock
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time, tzinfo

from vigil.errors import VigilError, missing
from vigil.governance.access_policy import (
    LENT_ACTIONS,
    MAX_SENSITIVITY,
    AccessAction,
    AccessWindow,
    ChannelFacts,
    Decision,
    Justification,
    Subject,
    decide,
    permitted,
)
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, note
from vigil.governance.permissions import Principal
from vigil.store.database import Database
from vigil.store.models import AccessWindowRow, Role
from vigil.store.queries.access_policy import access_windows, channel_row, clearance_of
from vigil.store.queries.channel_shares import in_force_paths

__all__ = ["AUDIT_ACTION", "RELOAD_SECONDS", "AccessPolicy", "window_of"]

RELOAD_SECONDS = 30.0
"""Seconds the kept windows are trusted before they are read again."""

AUDIT_ACTION: dict[AccessAction, str] = {
    action: f"video.{action.value}" for action in AccessAction
} | {AccessAction.ptz: "device.ptz"}
"""The audit record's action for each access action (as the services record the access)."""


def window_of(row: AccessWindowRow) -> AccessWindow:
    """The window a stored row describes."""
    return AccessWindow(
        action=AccessAction(row.action),
        start=_naive(row.start),
        end=_naive(row.end),
        days=frozenset(int(d) for d in row.days) if row.days else None,
        role=Role(row.role) if row.role else None,
        user_id=row.user_id,
    )


def _naive(value: time) -> time:
    return value.replace(tzinfo=None, microsecond=0)


class AccessPolicy:
    """Decides and enforces; built once by :class:`vigil.app.Vigil`."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        zone: tzinfo,
        *,
        case_from: int,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = clock.monotonic,
    ) -> None:
        self._db = db
        self._audit = audit
        self.zone = zone
        self.case_from = case_from
        self._now = now
        self._monotonic = monotonic
        self._windows: list[AccessWindow] | None = None
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()

    def changed(self) -> None:
        """The windows were replaced: read them again at the next decision."""
        self._windows = None

    async def windows(self) -> list[AccessWindow]:
        """The windows in force (kept; read again after a change or :data:`RELOAD_SECONDS`)."""
        async with self._lock:
            stale = self._monotonic() - self._loaded_at > RELOAD_SECONDS
            if self._windows is None or stale:
                self._windows = [window_of(row) for row in await access_windows(self._db)]
                self._loaded_at = self._monotonic()
            return self._windows

    async def subject(self, principal: Principal) -> Subject:
        """The principal with its clearance (the platform itself: the highest)."""
        if principal.user_id is None:
            return Subject(principal, MAX_SENSITIVITY)
        return Subject(principal, await clearance_of(self._db, principal.user_id))

    async def decision(
        self, who: Principal | Caller, channel_id: str, action: AccessAction
    ) -> tuple[Decision, ChannelFacts]:
        """The decision for the caller (its purpose and case number included) and the channel's
        facts; NotFound when there is no such channel (after a refusal by role, which needs no
        channel to be given)."""
        caller = as_caller(who)
        principal = caller.principal
        row = await channel_row(self._db, channel_id)
        if row is None:
            permitted(principal, action).enforce()
            raise missing("channel", channel_id)
        facts = ChannelFacts(channel_id, row.device_id, row.org_path, row.sensitivity)
        if action in LENT_ACTIONS and not principal.sees_org_path(row.org_path):
            lent_to = await in_force_paths(self._db, channel_id, self._now())
            facts = replace(facts, lent_to=lent_to)
        decision = decide(
            await self.subject(principal),
            facts,
            action,
            self._now(),
            await self.windows(),
            Justification(caller.purpose, caller.case),
            zone=self.zone,
            case_from=self.case_from,
        )
        return decision, facts

    async def check(
        self,
        who: Principal | Caller,
        channel_id: str,
        action: AccessAction,
        *,
        record_refusal: bool = True,
    ) -> ChannelFacts:
        """The channel's facts when the caller may do ``action`` on it; else Forbidden with the
        reason (recorded unless ``record_refusal`` is False: a re-check) or NotFound."""
        caller = as_caller(who)
        decision, facts = await self.decision(caller, channel_id, action)
        if not decision.allowed and record_refusal:
            await note(
                self._audit,
                caller,
                AUDIT_ACTION[action],
                f"channel:{channel_id}",
                outcome="forbidden",
                channel_id=channel_id,
                detail={"reason": decision.reason, "code": decision.code},
            )
        decision.enforce()
        return facts

    async def check_download(
        self, who: Principal | Caller, channel_id: str, purpose: str, case: str | None
    ) -> Caller:
        """:meth:`check` for fetching a job's file, with the purpose and case number the job
        was asked for; the caller with them, for the download's audit record."""
        caller = as_caller(who).for_purpose(purpose).for_case(case)
        await self.check(caller, channel_id, AccessAction.download)
        return caller

    async def allows(self, principal: Principal, channel_id: str, action: AccessAction) -> bool:
        """Whether ``principal`` may do ``action`` on the channel now, giving no purpose (no
        record, no raise; a channel that is gone is not allowed)."""
        try:
            decision, _ = await self.decision(principal, channel_id, action)
        except VigilError:
            return False
        return decision.allowed
