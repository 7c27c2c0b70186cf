"""The alarm centre: one store of alarms from every source, their handling, their linkage.

Raising stores the alarm (with its clip range, ``CLIP_SECONDS`` either side of its time, on a
channel alarm), records ``alarm.raise`` in the audit log, publishes ``alarm.raised`` on the bus
and offers it to linkage (:mod:`.linkage.runner`), in that order: nothing after the store can lose
it. Device alarms arrive from the bus (``device.alarm``), picture faults through
:meth:`AlarmCentre.fault_raised` (the availability service's hook), analytics rule events through
:meth:`AlarmCentre.raise_analytics`.

Reading needs ``catalog:read`` and sees only alarms filed in the caller's organisation scope (by
channel, or by device when there is no channel); acknowledging and closing need
``alarms:handle``; reading and replacing linkage rules ``catalog:write``. Every move and every
linkage change is audited.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta
from typing import Any

from vigil.alarms.events import AlarmChanged, AlarmRaised
from vigil.alarms.linkage.actions import parse_action
from vigil.alarms.linkage.runner import Linkage
from vigil.alarms.model import MOVES, AlarmSource, NewAlarm, from_states
from vigil.alarms.sources import availability_alarm, device_alarm
from vigil.bus import Event, EventBus, Subscription
from vigil.catalog.organisations import OrganisationService
from vigil.errors import Conflict, NotFound
from vigil.gb28181.devices.events import DeviceAlarmRaised
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, audited, note
from vigil.governance.permissions import Permission, Principal, system_principal
from vigil.store.database import Database
from vigil.store.models import Alarm, AlarmLinkage
from vigil.store.queries import alarms as q
from vigil.store.types import utcnow

__all__ = ["CLIP_SECONDS", "AlarmCentre", "AlarmFilter"]

log = logging.getLogger(__name__)

AlarmFilter = q.AlarmFilter

#: Seconds of recording before and after an alarm's time that make its clip.
CLIP_SECONDS = 10.0


class AlarmCentre:
    """See the module docstring."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        audit: AuditLog,
        organisations: OrganisationService,
        linkage: Linkage,
        *,
        policy: AccessPolicy,
        clip_seconds: float = CLIP_SECONDS,
    ) -> None:
        self._policy = policy
        self._db = db
        self._bus = bus
        self._audit = audit
        self._organisations = organisations
        self.linkage = linkage
        self.clip = timedelta(seconds=clip_seconds)
        self._subscription: Subscription | None = None

    async def start(self) -> None:
        self._subscription = self._bus.subscribe("device.alarm", self._device_alarm)
        self.linkage.start()

    async def stop(self) -> None:
        await self.linkage.stop()

    # --- raising -------------------------------------------------------------------------

    async def raise_alarm(self, new: NewAlarm, who: Principal | Caller | None = None) -> Alarm:
        """Store, audit, publish and link a new alarm; the stored row."""
        caller = as_caller(who or system_principal(f"alarms:{new.source.value}"))
        values: dict[str, Any] = {
            field.name: getattr(new, field.name) for field in dataclasses.fields(new)
        }
        values["source"] = new.source.value
        values["description"] = (new.description or "")[:255] or None
        if new.channel_id is not None:
            values["clip_start"], values["clip_end"] = new.at - self.clip, new.at + self.clip
        values["raised_at"] = utcnow()
        alarm = await q.insert_alarm(self._db, values)
        await note(
            self._audit,
            caller,
            "alarm.raise",
            f"alarm:{alarm.id}",
            channel_id=alarm.channel_id,
            detail={"source": alarm.source, "kind": alarm.kind, "level": alarm.level},
        )
        rule_name = alarm.detail.get("rule_name")
        await self._bus.publish(
            AlarmRaised(
                alarm_id=alarm.id,
                source=alarm.source,
                kind=alarm.kind,
                level=alarm.level,
                channel_id=alarm.channel_id,
                device_id=alarm.device_id,
                alarm_at=alarm.at,
                description=alarm.description,
                rule_name=rule_name if isinstance(rule_name, str) else None,
            )
        )
        self.linkage.offer(alarm)
        return alarm

    async def raise_analytics(
        self,
        *,
        channel_id: str,
        rule_id: int | str,
        kind: str,
        at: datetime,
        rule_name: str | None = None,
        track_id: int | None = None,
        label: str | None = None,
        box: tuple[float, float, float, float] | None = None,
        score: float | None = None,
        level: int = 2,
        snapshot_path: str | None = None,
    ) -> Alarm:
        """An analytics rule fired on a channel (the analytics service calls this); the rule's
        ``rule_name`` is kept in the detail, and the popup shows it."""
        detail = {
            "rule_id": rule_id,
            "rule_name": rule_name,
            "track_id": track_id,
            "label": label,
            "box": list(box) if box is not None else None,
            "score": score,
        }
        new = NewAlarm(
            source=AlarmSource.analytics,
            kind=kind,
            level=level,
            at=at,
            channel_id=channel_id,
            description=f"{kind}: {label}" if label else kind,
            detail=detail,
            snapshot_path=snapshot_path,
        )
        return await self.raise_alarm(new)

    async def fault_raised(
        self, channel_id: str, kind: str, fault_id: int, evidence_path: str | None, at: datetime
    ) -> None:
        """The availability service raised a picture fault (its hook)."""
        await self.raise_alarm(availability_alarm(channel_id, kind, fault_id, evidence_path, at))

    async def _device_alarm(self, event: Event) -> None:
        if not isinstance(event, DeviceAlarmRaised):
            return
        channel = event.source_id if await q.is_channel(self._db, event.source_id) else None
        who = Caller.peer(f"device:{event.device_id}", None)
        await self.raise_alarm(device_alarm(event, channel), who)

    # --- reading -------------------------------------------------------------------------

    async def _kept(
        self, principal: Principal, kept: AlarmFilter, org_id: str | None
    ) -> AlarmFilter:
        principal.require(Permission.catalog_read)
        if org_id is not None:
            org = await self._organisations.get(principal, org_id)
            kept = dataclasses.replace(kept, org_paths=(org.path,))
        return kept

    async def page(
        self,
        principal: Principal,
        kept: AlarmFilter,
        after: int | None,
        limit: int,
        org_id: str | None = None,
    ) -> list[Alarm]:
        """Alarms in the caller's scope, newest first, below the cursor ``after``."""
        kept = await self._kept(principal, kept, org_id)
        return await q.list_alarms(self._db, kept, principal.scope_paths, after, limit)

    async def counts(
        self, principal: Principal, kept: AlarmFilter, org_id: str | None = None
    ) -> dict[str, int]:
        """Alarms in the caller's scope per state (every state named, zero included)."""
        kept = await self._kept(principal, kept, org_id)
        found = await q.count_by_state(self._db, kept, principal.scope_paths)
        return {state: found.get(state, 0) for state in ("new", "acknowledged", "closed")}

    async def get(self, principal: Principal, alarm_id: int) -> Alarm:
        principal.require(Permission.catalog_read)
        alarm = await q.get_alarm(self._db, alarm_id, principal.scope_paths)
        if alarm is None:
            raise NotFound(f"no alarm {alarm_id}", code="alarm.not_found", id=alarm_id)
        return alarm

    async def snapshot(self, who: Principal | Caller, alarm_id: int) -> str:
        """The path, under the data directory, of the picture an alarm was raised with; the
        caller needs ``video:live`` and the alarm in scope. Audited as video access
        (``video.snapshot``), as a fault's evidence image is. The picture is a still of the
        channel's live video: the access policy's ``live`` decision applies to it (clearance,
        time window)."""
        caller = as_caller(who)
        caller.principal.require(Permission.video_live)
        alarm = await self.get(caller.principal, alarm_id)
        if alarm.channel_id is not None:
            await self._policy.check(caller, alarm.channel_id, AccessAction.live)
        if alarm.snapshot_path is None:
            raise NotFound(f"alarm {alarm_id} has no snapshot", code="alarm.no_snapshot")
        await note(
            self._audit,
            caller,
            "video.snapshot",
            f"alarm:{alarm_id}",
            channel_id=alarm.channel_id,
            detail={"alarm": alarm.kind},
        )
        return alarm.snapshot_path

    # --- handling ------------------------------------------------------------------------

    async def acknowledge(self, who: Principal | Caller, alarm_id: int, note: str | None) -> Alarm:
        """Acknowledge a new alarm, with an optional note; audited."""
        return await self._move(who, "acknowledge", alarm_id, note)

    async def close(self, who: Principal | Caller, alarm_id: int, note: str | None) -> Alarm:
        """Close a new or acknowledged alarm, with an optional note; audited."""
        return await self._move(who, "close", alarm_id, note)

    async def _move(
        self, who: Principal | Caller, action: str, alarm_id: int, text: str | None
    ) -> Alarm:
        caller = as_caller(who)
        async with audited(
            self._audit, caller, f"alarm.{action}", f"alarm:{alarm_id}", detail={"note": text}
        ) as entry:
            caller.principal.require(Permission.alarms_handle)
            alarm = await self.get(caller.principal, alarm_id)
            entry.channel_id = alarm.channel_id
            state = MOVES[action][0].value
            prefix = "acknowledged" if action == "acknowledge" else "closed"
            values = {
                "state": state,
                f"{prefix}_at": utcnow(),
                f"{prefix}_by": caller.actor,
                f"{prefix}_note": text,
            }
            moved = await q.move_alarm(self._db, alarm_id, from_states(action), values)
            if moved is None:
                raise Conflict(
                    f"alarm {alarm_id} is {alarm.state}; it cannot be {prefix}",
                    code="alarm.state",
                    state=alarm.state,
                )
        await self._bus.publish(
            AlarmChanged(
                alarm_id=alarm_id,
                state=state,
                by=caller.actor,
                channel_id=moved.channel_id,
                device_id=moved.device_id,
            )
        )
        return moved

    # --- linkage rules -------------------------------------------------------------------

    async def linkages(self, principal: Principal) -> list[AlarmLinkage]:
        principal.require(Permission.catalog_write)
        return await q.load_linkages(self._db)

    async def replace_linkages(
        self, who: Principal | Caller, rules: list[dict[str, Any]]
    ) -> list[AlarmLinkage]:
        """Replace every linkage rule; each action is checked first; audited."""
        caller = as_caller(who)
        async with audited(
            self._audit, caller, "alarm.linkage", "alarms/linkage", detail={"rules": len(rules)}
        ):
            caller.principal.require(Permission.catalog_write)
            for rule in rules:
                for action in rule.get("actions", []):
                    parse_action(action)
            return await q.replace_linkages(self._db, rules)
