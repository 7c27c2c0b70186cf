"""The live analytics service: one pipeline per channel with enabled rules, and their retention.

At start it asks the rules source for the channels with enabled rules and starts a
:class:`~.channel.ChannelPipeline` for each; the bus event ``analytics.rules_changed`` (with a
``channel_id``) makes it read that channel's rules again and start, update or stop its pipeline.
It also runs the hourly retention of the tracks (:mod:`.retention`).

It stays idle, saying so in one log line, when it is switched off or when the detection model is
missing (the packaged model comes with ``make install``): a node without analytics still serves.
Stopping is bounded: pipelines get :data:`STOP_SECONDS` to end their tracks, then their processes
are ended.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vigil.analytics.live.channel import ChannelPipeline
from vigil.analytics.live.recorder import ChannelRecorder
from vigil.analytics.live.retention import TrackRetention
from vigil.analytics.live.sources import RULES_CHANGED, AlarmRaiser, RulesSource
from vigil.analytics.live.worker import WorkerSetup
from vigil.analytics.models.packaged import PACKAGE_DIR, PACKAGED
from vigil.analytics.rules import Rule
from vigil.bus import Event, EventBus, Subscription
from vigil.media import StreamHub
from vigil.store.database import Database

__all__ = ["STOP_SECONDS", "AnalyticsService", "LiveConfig"]

log = logging.getLogger(__name__)

#: Seconds :meth:`AnalyticsService.stop` waits for the pipelines before ending their processes.
STOP_SECONDS = 10.0
_CHANNEL_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


@dataclass(frozen=True)
class LiveConfig:
    """The settings the service runs by (``VIGIL_ANALYTICS_*``); ``enabled`` None: on when the
    model is present."""

    enabled: bool | None = None
    fps: float = 5.0
    retention_days: int = 30
    model: str = "nanodet"
    precision: str = "auto"


def model_missing(model: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The file the model needs when it is absent, else None."""
    path = package_dir / PACKAGED[model] if model in PACKAGED else Path(model)
    return None if path.is_file() else path


class AnalyticsService:
    """See the module docstring."""

    def __init__(
        self,
        hub: StreamHub,
        rules: RulesSource,
        alarms: AlarmRaiser,
        db: Database,
        bus: EventBus,
        config: LiveConfig,
        data_dir: Path,
    ) -> None:
        self._hub = hub
        self.rules = rules
        self._alarms = alarms
        self._db = db
        self._bus = bus
        self.config = config
        self._data_dir = data_dir
        self._setup = WorkerSetup(
            data_dir=data_dir, fps=config.fps, model=config.model, precision=config.precision
        )
        self._retention = TrackRetention(db, data_dir, config.retention_days)
        self._pipelines: dict[str, ChannelPipeline] = {}
        self._subscription: Subscription | None = None
        self._stopped = False
        self._lock = asyncio.Lock()
        self.idle_reason: str | None = None

    async def start(self) -> None:
        self._retention.start()
        missing = model_missing(self.config.model)
        if self.config.enabled is False:
            self.idle_reason = "switched off (VIGIL_ANALYTICS_ENABLED=false)"
        elif missing is not None:
            self.idle_reason = f"the detection model is missing ({missing}); run `make install`"
        if self.idle_reason is not None:
            log.warning("live analytics idle: %s", self.idle_reason)
            return
        self._subscription = self._bus.subscribe(RULES_CHANGED, self._rules_changed)
        async with self._lock:
            try:
                channels = await self.rules.enabled_channels()
            except Exception:  # the node serves on; a rules change will bring channels in
                log.exception("analytics could not read the channels' rules")
                channels = {}
            for channel_id, rules in channels.items():
                await self._apply(channel_id, rules)

    async def stop(self) -> None:
        self._stopped = True  # the bus (closed after) may still deliver a rules change
        await self._retention.stop()
        async with self._lock:
            pipelines = list(self._pipelines.values())
            self._pipelines.clear()
        try:
            async with asyncio.timeout(STOP_SECONDS):
                await asyncio.gather(*(p.stop() for p in pipelines), return_exceptions=True)
        except TimeoutError:
            log.warning("analytics pipelines did not stop in time; ending their workers")
        for pipeline in pipelines:
            pipeline.kill()

    def status(self) -> dict[str, Any]:
        """Whether it runs (or why not) and each channel's counters."""
        return {
            "idle_reason": self.idle_reason,
            "fps": self.config.fps,
            "channels": {c: p.status() for c, p in self._pipelines.items()},
        }

    async def expire_now(self) -> int:
        """Run the retention once now; how many tracks went."""
        return await self._retention.run_once()

    async def _rules_changed(self, event: Event) -> None:
        channel_id = getattr(event, "channel_id", None)
        if not isinstance(channel_id, str):
            return
        async with self._lock:
            if not self._stopped:
                await self._apply(channel_id, await self.rules.rules_for(channel_id))

    async def _apply(self, channel_id: str, rules: list[Rule]) -> None:
        """Start, update or stop the channel's pipeline for its (now) enabled rules."""
        enabled = [rule for rule in rules if rule.enabled]
        running = self._pipelines.get(channel_id)
        if not _CHANNEL_ID.match(channel_id):
            log.warning(
                "analytics rules for an invalid channel id", extra={"channel_id": channel_id}
            )
        elif running is not None and enabled:
            await running.set_rules(enabled)
            log.info("analytics rules updated", extra={"channel_id": channel_id})
        elif running is not None:
            del self._pipelines[channel_id]
            await _bounded_stop(running)
            log.info("analytics stopped: no enabled rule", extra={"channel_id": channel_id})
        elif enabled:
            recorder = ChannelRecorder(channel_id, self._db, self._alarms, self._data_dir)
            pipeline = ChannelPipeline(self._hub, recorder, self._setup)
            try:
                await pipeline.start(enabled)
            except Exception:
                log.exception("analytics could not start", extra={"channel_id": channel_id})
                pipeline.kill()
                return
            self._pipelines[channel_id] = pipeline
            log.info("analytics started", extra={"channel_id": channel_id, "rules": len(enabled)})


async def _bounded_stop(pipeline: ChannelPipeline) -> None:
    try:
        async with asyncio.timeout(STOP_SECONDS):
            await pipeline.stop()
    except TimeoutError:
        log.warning(
            "analytics pipeline did not stop in time", extra={"channel_id": pipeline.channel_id}
        )
    pipeline.kill()
