"""The availability service: diagnosis rounds, faults with evidence, and work orders.

A round (on the schedule for every channel whose device is online, :mod:`.schedule`, or on
demand) captures a couple of seconds of the channel's main stream through the hub
(:mod:`.capture`), decodes and diagnoses it in a worker process (:mod:`.worker`), and feeds each
fault kind's verdict to that channel's debounce (:mod:`.diagnosis.debounce`). A raised fault is
stored with the round's middle frame as evidence and opens a work order assigned to the channel's
maintainer unit; a cleared one closes both (:mod:`.fault_writer`). Healthy rounds teach the
channel's baseline; the first healthy round at a preset
(preset 0: a fixed camera's view) takes that preset's reference view, which "scene changed"
compares later rounds at the preset with; the platform knows the preset from its own goto
(:meth:`AvailabilityService.at_preset`). Baselines, references, threshold overrides and the
preset are stored (:mod:`.diagnosis_store`) and read back with the open faults after a restart.

A PTZ channel (dome, half dome, remote box) also gets a PTZ check every ``ptz_every`` scheduled
rounds (and on demand): a small move through the GB control path, a picture compared before and
after, the move undone (:mod:`.ptz_check`); its verdicts debounce like a picture fault's.

Reading faults and work orders (:mod:`.records`) and a channel's thresholds needs
``catalog:read``; an evidence image and an on-demand round need ``video:live``, an on-demand PTZ
check ``device:control``, changing a channel's thresholds ``catalog:write`` (audited); all need
the channel within the caller's organisation scope.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from vigil.catalog.channels import ChannelService
from vigil.errors import VigilError
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, note
from vigil.governance.permissions import Permission, Principal
from vigil.health.capture import capture
from vigil.health.diagnosis import (
    PICTURE_KINDS,
    Baseline,
    Debounce,
    FaultKind,
    FaultState,
    Finding,
    Phase,
    Thresholds,
    Transition,
)
from vigil.health.diagnosis_store import DiagnosisStore
from vigil.health.fault_writer import FaultHook, FaultWriter
from vigil.health.ptz_check import PTZ_TYPES, PtzMover, PtzPlan, move_and_capture
from vigil.health.ptz_worker import PtzJob, run_ptz
from vigil.health.records import FaultRecords
from vigil.health.round_reports import ChannelHealth, ChannelThresholds, PtzReport, RoundReport
from vigil.health.threshold_overrides import with_overrides
from vigil.health.worker import RoundJob, RoundOutcome, run_round
from vigil.health.worker_pool import worker_pool
from vigil.media import StreamHub, StreamKey
from vigil.store.database import Database
from vigil.store.types import utcnow

__all__ = ["AvailabilityService", "ChannelHealth", "ChannelThresholds", "PtzReport", "RoundReport"]

log = logging.getLogger(__name__)

#: Stream seconds and packets a round captures, and how long it waits for them.
ROUND_SECONDS = 2.0
ROUND_MAX_PACKETS = 120
ROUND_TIMEOUT = 15.0

_Out = TypeVar("_Out")


class AvailabilityService(FaultRecords):
    """Diagnosis rounds and PTZ checks of channels, with the faults and work orders they open."""

    def __init__(
        self,
        db: Database,
        hub: StreamHub,
        channels: ChannelService,
        audit: AuditLog,
        data_dir: Path,
        *,
        debounce: Debounce | None = None,
        thresholds: Thresholds | None = None,
        interval: float = 900.0,
        controls: PtzMover | None = None,
        ptz_plan: PtzPlan | None = None,
        ptz_every: int = 4,
        policy: AccessPolicy | None = None,
    ) -> None:
        super().__init__(db, channels, audit, data_dir, policy)
        self._hub = hub
        self.debounce = debounce or Debounce()
        self.thresholds = thresholds or Thresholds()
        self.interval = interval
        self._controls = controls
        self.ptz_plan = ptz_plan or PtzPlan()
        self.ptz_every = ptz_every
        self._health: dict[str, ChannelHealth] = {}
        self._store = DiagnosisStore(db)
        self._locks: dict[str, asyncio.Lock] = {}
        self._executor: ProcessPoolExecutor | None = None
        self._faults = FaultWriter(db, data_dir)

    def report_faults_to(self, hook: FaultHook) -> None:
        """Tell ``hook`` of every fault raised from now on (the alarm centre, built after this)."""
        self._faults.raised = hook

    async def start(self) -> None:
        """Start the worker process that decodes and diagnoses rounds."""
        self._executor = worker_pool()

    async def stop(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            # A round in progress finishes first (a second or two); the loop runs meanwhile.
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)

    # --- rounds --------------------------------------------------------------------------

    async def diagnose(self, principal: Principal, channel_id: str) -> RoundReport:
        """An on-demand round for a channel the caller may watch."""
        principal.require(Permission.video_live)
        await self._channels.get(principal, channel_id)
        return await self.run_round(channel_id)

    async def run_round(self, channel_id: str) -> RoundReport:
        """Capture, diagnose, debounce and store one round of ``channel_id``'s main stream."""
        lock = self._locks.setdefault(channel_id, asyncio.Lock())
        async with lock:
            health = await self._health_of(channel_id)
            packets = await capture(
                self._hub, StreamKey(channel_id), ROUND_SECONDS, ROUND_MAX_PACKETS, ROUND_TIMEOUT
            )
            position = health.position
            job = RoundJob(
                packets[0].codec.value,
                [p.data for p in packets],
                health.baseline.to_json(),
                self._thresholds_for(health),
                health.references.get(position),
            )
            outcome = await self._work(run_round, job)
            if outcome.learnable:
                if position not in health.references:
                    health.references[position] = outcome.reference
                    await self._store.save_reference(channel_id, position, outcome.reference)
                health.baseline.learn(outcome.result.measures.as_dict())
                await self._store.save_baseline(channel_id, health.baseline.to_json())
            return await self._settle(channel_id, health, outcome)

    async def _health_of(self, channel_id: str) -> ChannelHealth:
        """The channel's state: in memory, or read back from the store (first use after start)."""
        health = self._health.get(channel_id)
        if health is None:
            stored = await self._store.load(channel_id)
            health = ChannelHealth(
                baseline=Baseline.from_json(stored.baseline),
                references=stored.references,
                preset=stored.preset,
                overrides=stored.thresholds,
                states={
                    FaultKind(kind): FaultState(Phase.raised)
                    for kind in stored.open_kinds
                    if kind in FaultKind.__members__
                },
            )
            # another caller may have loaded it meanwhile: one state per channel
            health = self._health.setdefault(channel_id, health)
        return health

    def _thresholds_for(self, health: ChannelHealth) -> Thresholds:
        return with_overrides(self.thresholds, health.overrides)

    async def at_preset(self, channel_id: str, preset: int | None) -> None:
        """The platform sent the camera to ``preset`` (None: back to no preset): later rounds
        compare its view with that preset's reference (taken at the first healthy round there)."""
        # No round lock: a goto must not wait for a round; a round in progress keeps the
        # position it started with.
        health = await self._health_of(channel_id)
        health.preset = preset
        await self._store.save_preset(channel_id, preset)
        log.info("preset position", extra={"channel": channel_id, "preset": preset})

    async def channel_thresholds(self, principal: Principal, channel_id: str) -> ChannelThresholds:
        """The channel's threshold overrides and the thresholds in force."""
        principal.require(Permission.catalog_read)
        await self._channels.get(principal, channel_id)
        health = await self._health_of(channel_id)
        return ChannelThresholds(channel_id, dict(health.overrides), self._thresholds_for(health))

    async def set_channel_thresholds(
        self,
        who: Principal | Caller,
        channel_id: str,
        overrides: dict[str, float],
    ) -> ChannelThresholds:
        """Replace the channel's overrides (an empty set: the node's defaults); audited."""
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.catalog_write)
        await self._channels.get(principal, channel_id)
        effective = with_overrides(self.thresholds, overrides)  # Invalid before anything changes
        health = await self._health_of(channel_id)
        before = dict(health.overrides)
        health.overrides = {k: float(v) for k, v in overrides.items()}
        await self._store.save_thresholds(channel_id, health.overrides)
        await note(
            self._audit,
            caller,
            "health.thresholds",
            f"channel:{channel_id}",
            channel_id=channel_id,
            detail={"before": before, "after": health.overrides},
        )
        return ChannelThresholds(channel_id, dict(health.overrides), effective)

    async def _work(self, function: Callable[[Any], _Out], job: object) -> _Out:
        if self._executor is None:
            raise VigilError("the availability service is not started")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function, job)

    async def check_ptz(self, principal: Principal, channel_id: str) -> PtzReport:
        """An on-demand PTZ check of a channel the caller may control."""
        principal.require(Permission.device_control)
        await self._channels.get(principal, channel_id)
        return await self.run_ptz_check(channel_id)

    async def run_ptz_check(self, channel_id: str) -> PtzReport:
        """Move the channel's PTZ a little and back; raise ``ptz_not_responding`` when the
        picture did not move (debounced like a picture fault)."""
        if self._controls is None:
            raise VigilError("the availability service has no PTZ control path")
        lock = self._locks.setdefault(channel_id, asyncio.Lock())
        async with lock:
            health = await self._health_of(channel_id)
            thresholds = self._thresholds_for(health)
            caps = await move_and_capture(self._hub, self._controls, channel_id, self.ptz_plan)
            job = PtzJob(
                caps.codec,
                [p.data for p in caps.before],
                [p.data for p in caps.after],
                thresholds,
            )
            outcome = await self._work(run_ptz, job)
            kind = FaultKind.ptz_not_responding
            state = health.states.setdefault(kind, FaultState())
            transition = None
            limit = thresholds.ptz_still
            if outcome.similarity is not None:
                transition = state.observe(outcome.still, self.debounce)
                if transition is Transition.raised:
                    finding = Finding(kind, outcome.similarity, limit, True)
                    await self._faults.open(channel_id, finding, outcome.evidence)
                elif transition is Transition.cleared:
                    await self._faults.close(channel_id, kind)
            moved = None if outcome.similarity is None else not outcome.still
            log.info(
                "PTZ checked",
                extra={"channel": channel_id, "similarity": outcome.similarity, "moved": moved},
            )
            return PtzReport(
                channel_id,
                utcnow(),
                outcome.similarity,
                limit,
                moved,
                transition is Transition.raised,
                transition is Transition.cleared,
                state.active,
            )

    async def _settle(
        self, channel_id: str, health: ChannelHealth, outcome: RoundOutcome
    ) -> RoundReport:
        reported = {f.kind: f for f in outcome.result.faults}
        raised, cleared = [], []
        for kind in PICTURE_KINDS:
            state = health.states.setdefault(kind, FaultState())
            transition = state.observe(kind in reported, self.debounce)
            if transition is Transition.raised:
                raised.append(kind)
                await self._faults.open(channel_id, reported[kind], outcome.evidence)
            elif transition is Transition.cleared:
                cleared.append(kind)
                await self._faults.close(channel_id, kind)
        return RoundReport(
            channel_id,
            utcnow(),
            outcome.result.findings,
            list(reported),
            raised,
            cleared,
            [k for k, s in health.states.items() if s.active],
        )

    def ptz_due(self, channel_id: str, ptz_type: int | None) -> bool:
        """Whether this scheduled round of a channel includes a PTZ check."""
        health = self._health.setdefault(channel_id, ChannelHealth())
        health.rounds += 1
        return (
            self._controls is not None
            and ptz_type in PTZ_TYPES
            and health.rounds % self.ptz_every == 1 % self.ptz_every
        )
