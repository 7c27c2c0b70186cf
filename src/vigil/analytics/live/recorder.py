"""Where a channel's outcomes go: tracks into the events store, rule hits to the alarm centre,
pictures (snapshots, crops) into the data directory.

Pictures are written under ``<data_dir>/analytics/<channel>/<YYYY-MM-DD>/`` and stored as paths
relative to the data directory, as alarm snapshots and fault evidence are. A track's row is
written when it opens and completed when it closes, with the attributes read from its crop and
their searched values in their own columns (:func:`searchable`); a close whose open was never
stored (the store failed then) writes the whole row. An alarm's box, like a track's, is normalised
(0..1 of the frame).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vigil.analytics.attributes import COLOURS, VEHICLE_TYPES
from vigil.analytics.live.messages import Counts, Outcome, RuleHit, TrackClosed, TrackOpened
from vigil.analytics.live.sources import AlarmRaiser
from vigil.store.database import Database
from vigil.store.queries import analytics_tracks as q

__all__ = ["ChannelRecorder", "searchable"]

log = logging.getLogger(__name__)

_COLOUR_NAMES = frozenset(colour.value for colour in COLOURS)


def _when(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def searchable(attributes: dict[str, str] | None) -> dict[str, Any]:
    """A track's columns for its attributes: the JSON as read, and each searched attribute's
    value where it is a named one (a palette colour, a vehicle type; "unknown" is stored null)."""
    found = attributes or {}

    def named(key: str, names: Collection[str]) -> str | None:
        value = found.get(key)
        return value if value in names else None

    return {
        "attributes": attributes,
        "vehicle_type": named("type", VEHICLE_TYPES),
        "colour": named("colour", _COLOUR_NAMES),
        "upper_colour": named("upper", _COLOUR_NAMES),
        "lower_colour": named("lower", _COLOUR_NAMES),
    }


class ChannelRecorder:
    """Stores one channel's outcomes; :attr:`counts` is the worker's last report;
    :attr:`rule_names` (rule id → name, kept by the pipeline) names an alarm's rule."""

    def __init__(self, channel_id: str, db: Database, alarms: AlarmRaiser, data_dir: Path) -> None:
        self.channel_id = channel_id
        self._db = db
        self._alarms = alarms
        self._data_dir = data_dir
        self._rows: dict[int, int] = {}
        self._names = itertools.count(1)
        self.counts: Counts | None = None
        self.rule_names: dict[str, str] = {}
        self.alarms = 0
        self.tracks = 0

    async def record(self, outcome: Outcome) -> None:
        """Store one outcome (errors are logged, never raised: the pipeline goes on)."""
        try:
            if isinstance(outcome, Counts):
                self.counts = outcome
            elif isinstance(outcome, TrackOpened):
                await self._opened(outcome)
            elif isinstance(outcome, TrackClosed):
                await self._closed(outcome)
            else:
                await self._hit(outcome)
        except Exception:
            log.exception(
                "analytics outcome not stored",
                extra={"channel_id": self.channel_id, "outcome": type(outcome).__name__},
            )

    async def _opened(self, opened: TrackOpened) -> None:
        values = self._row(opened.track_id, opened.label, opened.first, opened.box, opened.score)
        self._rows[opened.track_id] = await q.insert_track(self._db, values)
        self.tracks += 1

    async def _closed(self, closed: TrackClosed) -> None:
        crop = None
        if closed.crop is not None:
            crop = await self._write(closed.first, f"track-{closed.track_id}", closed.crop)
        values: dict[str, Any] = {
            "ended_at": _when(closed.last),
            "last_box": list(closed.last_box),
            "best_score": closed.best_score,
            "frames": closed.frames,
            "crop_path": crop,
            **searchable(closed.attributes),
        }
        row = self._rows.pop(closed.track_id, None)
        if row is None or not await q.close_track(self._db, row, values):
            start = self._row(
                closed.track_id, closed.label, closed.first, closed.first_box, closed.best_score
            )
            await q.insert_track(self._db, {**start, **values})

    async def _hit(self, hit: RuleHit) -> None:
        event = hit.event
        name = f"{event.kind.value}-{event.track_id if event.track_id is not None else 'n'}"
        path = await self._write(event.at, name, hit.snapshot)
        await self._alarms.raise_analytics(
            channel_id=self.channel_id,
            rule_id=event.rule_id,
            kind=event.kind.value,
            at=_when(event.at),
            rule_name=self.rule_names.get(event.rule_id),
            track_id=event.track_id,
            label=event.label,
            box=hit.box,
            score=hit.score,
            snapshot_path=path,
        )
        self.alarms += 1
        log.info(
            "analytics rule fired",
            extra={"channel_id": self.channel_id, "rule_id": event.rule_id, "kind": event.kind},
        )

    async def abandon_open(self) -> None:
        """The worker died: close the rows of the tracks it had open, now."""
        rows, self._rows = list(self._rows.values()), {}
        for row in rows:
            try:
                await q.close_track(self._db, row, {"ended_at": datetime.now(UTC)})
            except Exception:
                log.exception("open track not closed", extra={"channel_id": self.channel_id})

    def _row(
        self, track_id: int, label: str, first: float, box: tuple[float, ...], score: float
    ) -> dict[str, Any]:
        return {
            "channel_id": self.channel_id,
            "track_id": track_id,
            "label": label,
            "started_at": _when(first),
            "ended_at": None,
            "first_box": list(box),
            "last_box": list(box),
            "best_score": score,
            "frames": 0,
            "crop_path": None,
        }

    async def _write(self, stamp: float, name: str, data: bytes) -> str:
        """Write a picture; its path relative to the data directory."""
        when = _when(stamp)
        relative = (
            Path("analytics")
            / self.channel_id
            / when.strftime("%Y-%m-%d")
            / f"{when.strftime('%H%M%S%f')}-{next(self._names)}-{name}.jpg"
        )
        target = self._data_dir / relative

        def write() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

        await asyncio.to_thread(write)
        return relative.as_posix()
