"""The evidence-lock action: keep the recording over an alarm's clip range from retention.

The clip runs past the alarm's time, and a segment is indexed only once it is closed, so the lock
waits until the clip has ended and the segment holding its end has had time to close (a segment's
length and ``SETTLE`` seconds more), then locks every segment overlapping the range through the
recording service (which audits it as ``recording.lock`` by the alarm centre). A channel that is
not recording when the alarm is raised has nothing to lock, and is skipped at once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from vigil.governance.audited import Caller
from vigil.governance.permissions import system_principal
from vigil.media import RecordingService
from vigil.store.types import utcnow

__all__ = ["EvidenceLocker"]

log = logging.getLogger(__name__)

CALLER = Caller(system_principal("alarm-centre"))

#: Seconds past a segment's length that the lock waits for the last segment to be indexed.
SETTLE = 5.0


class EvidenceLocker:
    """Locks alarm clips once they are recorded."""

    def __init__(self, recording: RecordingService) -> None:
        self._recording = recording
        self.settle = recording.config.segment_seconds + SETTLE

    def records(self, channel_id: str) -> bool:
        """Whether any stream of the channel is being recorded now."""
        return any(key.channel_id == channel_id for key in self._recording.recording())

    async def lock(
        self, alarm_id: int, channel_id: str, start: datetime, end: datetime
    ) -> list[int] | None:
        """Lock the range once recorded; the segment IDs locked, None when the channel was not
        recording."""
        if not self.records(channel_id):
            log.info("evidence lock skipped: not recording", extra={"channel": channel_id})
            return None
        wait = (end - utcnow()).total_seconds() + self.settle
        if wait > 0:
            await asyncio.sleep(wait)
        return await self._recording.lock(
            CALLER, channel_id, start, end, True, reason=f"alarm {alarm_id}"
        )
