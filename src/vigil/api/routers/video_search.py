"""Searching recorded video: which of a period is on record on these channels, and what the
analytics saw in it. The service (:mod:`vigil.analytics.video_search`) checks the ``search``
action on every channel and writes the audit record."""

from __future__ import annotations

from fastapi import APIRouter

from vigil.analytics.video_search import ChannelHits, VideoQuery
from vigil.api.deps import CurrentCaller
from vigil.api.schemas.analytics_tracks import TrackOut
from vigil.api.schemas.video_search import (
    ChannelHitsOut,
    SearchResult,
    Span,
    TrackHitOut,
    VideoSearchRequest,
)
from vigil.api.services import VideoSearches

router = APIRouter(tags=["search"])


def _hits(found: ChannelHits) -> ChannelHitsOut:
    return ChannelHitsOut(
        channel_id=found.channel_id,
        recorded=[Span(start=start, end=end) for start, end in found.recorded],
        recorded_seconds=found.recorded_seconds,
        tracks=[
            TrackHitOut(track=TrackOut.model_validate(hit.track), recorded=hit.recorded)
            for hit in found.tracks
        ],
        more=found.more,
    )


@router.post("/search/video", response_model=SearchResult)
async def search_video(
    body: VideoSearchRequest, caller: CurrentCaller, search: VideoSearches
) -> SearchResult:
    query = VideoQuery(
        tuple(body.channel_ids),
        body.start,
        body.end,
        body.label,
        body.limit,
        vehicle_type=body.vehicle_type,
        colour=body.colour,
        upper_colour=body.upper_colour,
        lower_colour=body.lower_colour,
    )
    justified = caller.for_purpose(body.purpose).for_case(body.case)
    return SearchResult(channels=[_hits(c) for c in await search.search(justified, query)])
