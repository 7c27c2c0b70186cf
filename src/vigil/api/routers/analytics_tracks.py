"""Tracks of the live analytics pipeline: listed with filters (attributes among them: vehicle
type, a vehicle's colour, a person's upper and lower colour, each one of its named values) and a
cursor; a track's crop.

The reader checks permissions and scope (``catalog:read`` to list, ``video:live`` for a crop,
audited as ``video.snapshot``); this router validates the query and streams the file found under
the data directory.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from vigil.analytics.attributes import Colour, VehicleType
from vigil.analytics.live import TrackFilter
from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.pagination import decode_cursor, page_of
from vigil.api.schemas.analytics_tracks import TrackOut
from vigil.api.schemas.common import CursorQuery, Instant, IntIdPath, LimitQuery, Page
from vigil.api.services import AnalyticsTracks
from vigil.api.stored_files import stored_file
from vigil.errors import Invalid, NotFound

router = APIRouter(prefix="/analytics/tracks", tags=["analytics"])

ChannelQuery = Annotated[str | None, Query(pattern=r"^[0-9]{20}$")]
LabelQuery = Annotated[str | None, Query(max_length=32, pattern=r"^[a-z][a-z ]*$")]
VehicleTypeQuery = Annotated[VehicleType | None, Query(description="A vehicle's type")]
ColourQuery = Annotated[Colour | None, Query(description="A vehicle's body colour")]
UpperQuery = Annotated[Colour | None, Query(description="A person's upper clothing colour")]
LowerQuery = Annotated[Colour | None, Query(description="A person's lower clothing colour")]


@router.get("", response_model=Page[TrackOut])
async def list_tracks(
    principal: CurrentPrincipal,
    tracks: AnalyticsTracks,
    channel_id: ChannelQuery = None,
    label: LabelQuery = None,
    since: Instant | None = None,
    until: Instant | None = None,
    vehicle_type: VehicleTypeQuery = None,
    colour: ColourQuery = None,
    upper_colour: UpperQuery = None,
    lower_colour: LowerQuery = None,
    limit: LimitQuery = 100,
    cursor: CursorQuery = None,
) -> Page[TrackOut]:
    if since is not None and until is not None and until <= since:
        raise Invalid("'until' must be after 'since'", code="period.order")
    kept = TrackFilter(
        channel_id, label, since, until, vehicle_type, colour, upper_colour, lower_colour
    )
    rows = await tracks.page(principal, kept, decode_cursor(cursor, int), limit + 1)
    return page_of(rows, limit, TrackOut.model_validate, lambda t: t.id)


@router.get(
    "/{track_id}/crop",
    response_class=FileResponse,
    responses={200: {"content": {"image/jpeg": {}}}},
)
async def track_crop(
    track_id: IntIdPath, caller: CurrentCaller, tracks: AnalyticsTracks, node: Node
) -> FileResponse:
    stored = await tracks.crop(caller, track_id)
    missing = NotFound(f"the crop of track {track_id} is missing", code="track.crop_missing")
    return stored_file(node.settings.data_dir, stored, missing)
