"""Reading the events store: the tracks of the live pipeline, and a track's best crop.

Listing needs ``catalog:read`` and sees only tracks of channels in the caller's organisation
scope (metadata, not audited, as alarm lists are not). A crop is a picture of the video, so it
needs ``video:live`` and is audited as ``video.snapshot``, as an alarm's snapshot is.
"""

from __future__ import annotations

from vigil.errors import NotFound
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, note
from vigil.governance.permissions import Permission, Principal
from vigil.store.database import Database
from vigil.store.models import AnalyticsTrack
from vigil.store.queries import analytics_tracks as q

__all__ = ["TrackFilter", "TrackReader"]

TrackFilter = q.TrackFilter


class TrackReader:
    """See the module docstring."""

    def __init__(self, db: Database, audit: AuditLog, policy: AccessPolicy) -> None:
        self._db = db
        self._audit = audit
        self._policy = policy

    async def page(
        self, principal: Principal, kept: TrackFilter, after: int | None, limit: int
    ) -> list[AnalyticsTrack]:
        """Tracks in the caller's scope, newest first, below the cursor ``after``."""
        principal.require(Permission.catalog_read)
        return await q.list_tracks(self._db, kept, principal.scope_paths, after, limit)

    async def get(self, principal: Principal, track_id: int) -> AnalyticsTrack:
        principal.require(Permission.catalog_read)
        track = await q.get_track(self._db, track_id, principal.scope_paths)
        if track is None:
            raise NotFound(f"no track {track_id}", code="track.not_found", id=track_id)
        return track

    async def crop(self, who: Principal | Caller, track_id: int) -> str:
        """The path, under the data directory, of the track's best crop; audited. A crop is a
        still of the live picture: the access policy's ``live`` decision applies (clearance,
        time window), as it does to a snapshot."""
        caller = as_caller(who)
        caller.principal.require(Permission.video_live)
        track = await self.get(caller.principal, track_id)
        await self._policy.check(caller, track.channel_id, AccessAction.live)
        if track.crop_path is None:
            raise NotFound(f"track {track_id} has no crop", code="track.no_crop", id=track_id)
        await note(
            self._audit,
            caller,
            "video.snapshot",
            f"track:{track_id}",
            channel_id=track.channel_id,
            detail={"track": track.label},
        )
        return track.crop_path
