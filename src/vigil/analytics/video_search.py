"""Search recorded video: on these channels, between these times, where was a person (a car, …)
seen, and which of it is on record?

A search is video access and is governed as such: every channel named must pass the access
policy's ``search`` action (``video:playback``, scope, clearance, time window, a stated purpose
and — on sensitive channels — a case number) before anything is read; the first refusal is
recorded and answered with its reason. The answer, per channel, is the recorded spans of the
period (joined where segments touch) and the analytics tracks that started in it (of a label, with
attributes such as a red car or a person in a white top and black trousers, where asked), newest
first, each saying whether footage of its start is on record. One ``video.search`` record names
the channels, the period, the label, the attributes asked for and how much was found.

This is the first of the retrieval queries (the structured and by-image search of the retrieval
issue come on top of the same events store); it reads what the recording index and the live
analytics pipeline already keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, audited
from vigil.governance.permissions import Principal
from vigil.media import RecordingService, check_range
from vigil.store.database import Database
from vigil.store.models import AnalyticsTrack
from vigil.store.queries.analytics_tracks import TrackFilter, list_tracks

__all__ = ["MAX_CHANNELS", "MAX_SPAN", "ChannelHits", "VideoQuery", "VideoSearch"]

MAX_CHANNELS = 32
"""Channels one search may name."""
MAX_SPAN = timedelta(days=31)
"""The longest period one search may cover."""


@dataclass(frozen=True, slots=True)
class VideoQuery:
    """What to look for: channels, a period ``[start, end)``, a label (None: any), at most
    ``limit`` tracks per channel; attributes (None: any): a vehicle's type and body colour, a
    person's upper and lower clothing colours (values of :mod:`vigil.analytics.attributes`)."""

    channel_ids: tuple[str, ...]
    start: datetime
    end: datetime
    label: str | None = None
    limit: int = 100
    vehicle_type: str | None = None
    colour: str | None = None
    upper_colour: str | None = None
    lower_colour: str | None = None

    def attributes(self) -> dict[str, str]:
        """The attributes asked for, by name."""
        asked = {
            "vehicle_type": self.vehicle_type,
            "colour": self.colour,
            "upper_colour": self.upper_colour,
            "lower_colour": self.lower_colour,
        }
        return {name: value for name, value in asked.items() if value is not None}


@dataclass(frozen=True, slots=True)
class TrackHit:
    """A track that started in the period, and whether its start is on record."""

    track: AnalyticsTrack
    recorded: bool


@dataclass(frozen=True, slots=True)
class ChannelHits:
    """What one channel holds for the query."""

    channel_id: str
    recorded: tuple[tuple[datetime, datetime], ...]
    tracks: tuple[TrackHit, ...]
    more: bool
    """More tracks matched than ``limit``."""

    @property
    def recorded_seconds(self) -> float:
        return sum((end - start).total_seconds() for start, end in self.recorded)


def joined(spans: Sequence[tuple[datetime, datetime]]) -> tuple[tuple[datetime, datetime], ...]:
    """``spans`` sorted, with those that touch or overlap joined."""
    out: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def _on_record(moment: datetime, spans: Sequence[tuple[datetime, datetime]]) -> bool:
    return any(start <= moment < end for start, end in spans)


class VideoSearch:
    """See the module docstring; built once by :class:`vigil.app.Vigil`."""

    def __init__(
        self, db: Database, audit: AuditLog, policy: AccessPolicy, recording: RecordingService
    ) -> None:
        self._db = db
        self._audit = audit
        self._policy = policy
        self._recording = recording

    async def search(self, who: Principal | Caller, query: VideoQuery) -> list[ChannelHits]:
        """The hits per channel, in the order the channels were named; see the module
        docstring. The caller carries the purpose and case number given."""
        caller = as_caller(who)
        check_range(query.start, query.end, MAX_SPAN)
        for channel_id in query.channel_ids:
            await self._policy.check(caller, channel_id, AccessAction.search)
        detail: dict[str, object] = {
            "channels": list(query.channel_ids),
            "start": query.start.isoformat(),
            "end": query.end.isoformat(),
            "label": query.label,
        }
        if attributes := query.attributes():
            detail["attributes"] = attributes
        only = query.channel_ids[0] if len(query.channel_ids) == 1 else None
        async with audited(
            self._audit, caller, "video.search", "recordings", channel_id=only, detail=detail
        ) as entry:
            found = [await self._channel(caller.principal, c, query) for c in query.channel_ids]
            entry.detail |= {
                "tracks": sum(len(hits.tracks) for hits in found),
                "recorded_seconds": round(sum(hits.recorded_seconds for hits in found), 1),
            }
        return found

    async def _channel(
        self, principal: Principal, channel_id: str, query: VideoQuery
    ) -> ChannelHits:
        segments, _ = await self._recording.ranges(principal, channel_id, query.start, query.end)
        clipped = [(max(s.start, query.start), min(s.end, query.end)) for s in segments]
        spans = joined([(start, end) for start, end in clipped if end > start])
        kept = TrackFilter(
            channel_id,
            query.label,
            query.start,
            query.end,
            query.vehicle_type,
            query.colour,
            query.upper_colour,
            query.lower_colour,
        )
        tracks = await list_tracks(self._db, kept, principal.scope_paths, None, query.limit + 1)
        hits = tuple(TrackHit(t, _on_record(t.started_at, spans)) for t in tracks[: query.limit])
        return ChannelHits(channel_id, spans, hits, len(tracks) > query.limit)
