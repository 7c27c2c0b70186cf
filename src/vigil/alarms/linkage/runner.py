"""Running linkage off the request path: a bounded queue of raised alarms and a named task.

Raising an alarm stores it first and only then offers it here, so an action's failure can never
lose the alarm. The task reads the linkage rules (stored, editable through the API), picks the
actions of the rules the alarm matches and runs each as its own task, at most ``CONCURRENCY`` at a
time, so a slow webhook does not hold an MQTT publish back. Each outcome is logged and counted in
:attr:`Linkage.counts` (``"<type>.ok"``, ``"<type>.failed"``, ``"<type>.skipped"``); an alarm
that finds the queue full is dropped from linkage (never from the store) and counted as
``"dropped"``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from typing import Any

from vigil.alarms.linkage.actions import (
    Action,
    EvidenceLock,
    ForwardUpper,
    MqttPublish,
    PtzPreset,
    Record,
    Wall,
    Webhook,
    parse_action,
)
from vigil.alarms.linkage.deliver import post_webhook, publish_mqtt
from vigil.alarms.linkage.evidence import EvidenceLocker
from vigil.alarms.linkage.performers import Performers
from vigil.errors import Invalid
from vigil.store.database import Database
from vigil.store.models import Alarm, AlarmLinkage
from vigil.store.queries.alarms import load_linkages

__all__ = ["Linkage", "alarm_json", "matches"]

log = logging.getLogger(__name__)

CONCURRENCY = 16


def alarm_json(alarm: Alarm) -> dict[str, Any]:
    """The alarm as the JSON object that MQTT and webhooks deliver."""

    def iso(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": alarm.id,
        "source": alarm.source,
        "kind": alarm.kind,
        "level": alarm.level,
        "state": alarm.state,
        "channel_id": alarm.channel_id,
        "device_id": alarm.device_id,
        "at": iso(alarm.at),
        "description": alarm.description,
        "detail": alarm.detail,
        "snapshot_path": alarm.snapshot_path,
        "clip_start": iso(alarm.clip_start),
        "clip_end": iso(alarm.clip_end),
    }


def matches(rule: AlarmLinkage, alarm: Alarm) -> bool:
    """Whether the rule applies: its source and kind are empty or the alarm's; a kind
    ``rule:<id>`` matches the alarms of that analytics rule."""
    if not rule.enabled or rule.source not in (None, alarm.source):
        return False
    return rule.kind in (None, alarm.kind, f"rule:{alarm.detail.get('rule_id')}")


class Linkage:
    """See the module docstring: ``start`` … ``offer`` … ``stop``."""

    def __init__(
        self,
        db: Database,
        locker: EvidenceLocker | None,
        capacity: int = 1000,
        *,
        performers: Performers | None = None,
    ) -> None:
        self._db = db
        self._locker = locker
        self.performers = performers or Performers()
        self._queue: asyncio.Queue[Alarm] = asyncio.Queue(maxsize=capacity)
        self._task: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self.counts: Counter[str] = Counter()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="alarms.linkage")

    async def stop(self) -> None:
        tasks = [t for t in (self._task, *self._running) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None

    def offer(self, alarm: Alarm) -> None:
        """Queue a stored alarm for its actions; dropped (and counted) when the queue is full."""
        try:
            self._queue.put_nowait(alarm)
        except asyncio.QueueFull:
            self.counts["dropped"] += 1
            log.error("linkage queue full; alarm not linked", extra={"alarm": alarm.id})

    async def idle(self) -> None:
        """Wait until every queued alarm's actions have finished (tests, shutdown)."""
        await self._queue.join()
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def _run(self) -> None:
        while True:
            alarm = await self._queue.get()
            try:
                for action in await self._actions(alarm):
                    task = asyncio.get_running_loop().create_task(
                        self._perform(action, alarm),
                        name=f"alarms.linkage:{alarm.id}:{action.type}",
                    )
                    self._running.add(task)
                    task.add_done_callback(self._running.discard)
            except Exception:
                log.exception("linkage rules not read", extra={"alarm": alarm.id})
            finally:
                self._queue.task_done()

    async def _actions(self, alarm: Alarm) -> list[Action]:
        actions: list[Action] = []
        for rule in await load_linkages(self._db):
            if not matches(rule, alarm):
                continue
            for raw in rule.actions:
                try:
                    actions.append(parse_action(raw))
                except Invalid as exc:
                    self.counts["invalid"] += 1
                    log.error("linkage action invalid", extra={"rule": rule.id, "error": str(exc)})
        return actions

    async def _perform(self, action: Action, alarm: Alarm) -> None:
        # An evidence lock mostly waits for its clip to be recorded: it takes no slot.
        slot = contextlib.nullcontext() if isinstance(action, EvidenceLock) else self._slots
        async with slot:
            try:
                done = await self._do(action, alarm)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.counts[f"{action.type}.failed"] += 1
                log.warning(
                    "linkage action failed",
                    extra={"alarm": alarm.id, "action": action.type, "error": repr(exc)},
                    exc_info=True,
                )
                return
        self.counts[f"{action.type}.{'ok' if done else 'skipped'}"] += 1

    async def _do(self, action: Action, alarm: Alarm) -> bool:
        """Run one action; False when it had nothing to do."""
        if isinstance(action, MqttPublish):
            await publish_mqtt(action, alarm_json(alarm))
        elif isinstance(action, Webhook):
            await post_webhook(action, alarm_json(alarm))
        elif isinstance(action, EvidenceLock):
            return await self._lock(alarm)
        elif isinstance(action, ForwardUpper):
            return await self.performers.forward_upper(alarm)
        elif isinstance(action, PtzPreset):
            return await self.performers.ptz_preset(action, alarm)
        elif isinstance(action, Record):
            return await self.performers.record(action, alarm)
        elif isinstance(action, Wall):
            return await self.performers.wall(action, alarm)
        return True

    async def _lock(self, alarm: Alarm) -> bool:
        channel, start, end = alarm.channel_id, alarm.clip_start, alarm.clip_end
        if self._locker is None or channel is None or start is None or end is None:
            return False
        return await self._locker.lock(alarm.id, channel, start, end) is not None
