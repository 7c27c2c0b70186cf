"""The playback service: playback sessions (fMP4 over WebSocket) and export jobs.

Every method that hands out video asks the access policy (:mod:`vigil.governance.access_policy`:
permission, organisation scope, clearance, time window, purpose and case number) and appends an
audit record with the channel: ``video.playback`` when a session is opened, ``video.export`` when
an export is asked for (refused too), ``video.download`` when its MP4 or its package is fetched.

An export needs an approved, unexpired export request of the caller's for the channel that covers
the range (:mod:`vigil.governance.approvals`); its manifest names the approval and the export's
audit record, and a signed package (:mod:`vigil.media.playback.packager`) is written beside it.
An export may be anonymised: faces (later plates) found in every picture by the region finder the
node was given for the kind (``anonymisers``) and blurred; the audit record and the manifest name
each finder's model and its SHA-256 (:mod:`vigil.media.playback.export_job`).

Export jobs run as named tasks owned here and live in memory (a restart forgets the job list; the
files stay under ``exports/<job>/``). A playback session is a view (:mod:`vigil.media.views`):
its WebSocket URL carries a token bound to the login session that opened it, re-checked while it
plays, because a browser's WebSocket cannot send a bearer header.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import cast

from vigil.catalog.channels import ChannelService
from vigil.errors import Conflict, Forbidden, Invalid, Unauthorized, VigilError
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.approval_rules import ApprovalKind
from vigil.governance.approvals import ApprovalService
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller, audited, note
from vigil.governance.mask_service import MaskService
from vigil.governance.permissions import Principal
from vigil.media.masking.regions import RegionFinder
from vigil.media.packet import StreamKey
from vigil.media.playback.export import (
    SegmentEntry,
    build_manifest,
    verify,
    write_export,
    write_manifest,
)
from vigil.media.playback.export_job import (
    ANONYMISE_KINDS,
    Anonymise,
    ExportJob,
    approval_facts,
    mark_failed,
    models_of,
    privacy_facts,
    watermark_caption,
)
from vigil.media.playback.jobs import VideoJobs
from vigil.media.playback.packager import ExportPackager
from vigil.media.playback.reader import StoredSegment
from vigil.media.recording.service import RecordingService, check_range
from vigil.media.views import IssuedView, View, ViewAccess, ViewKind
from vigil.store.models import RecordingSegment
from vigil.store.types import utcnow

__all__ = ["ExportJob", "PlaybackRequest", "PlaybackService"]

log = logging.getLogger(__name__)

MAX_EXPORT = timedelta(hours=24)
SPEEDS = (0.5, 8.0)


@dataclass(frozen=True, slots=True)
class PlaybackRequest:
    """What a playback session was opened for; the WebSocket plays from this."""

    view: View
    channel_id: str
    start: datetime
    end: datetime
    speed: float
    segments: tuple[StoredSegment, ...]
    masks: tuple[tuple[tuple[float, float], ...], ...] = ()
    """Privacy masks to blur into what is played (none: the recording as it is)."""


def check_speed(speed: float) -> None:
    if not SPEEDS[0] <= speed <= SPEEDS[1]:
        raise Invalid(
            f"speed must be between {SPEEDS[0]} and {SPEEDS[1]}",
            code="field.range",
            field="speed",
            min=SPEEDS[0],
            max=SPEEDS[1],
        )


class PlaybackService:
    """Opens playback sessions and runs export jobs, checking and auditing each."""

    def __init__(
        self,
        recording: RecordingService,
        channels: ChannelService,
        audit: AuditLog,
        views: ViewAccess,
        exports: Path,
        policy: AccessPolicy,
        approvals: ApprovalService,
        packager: ExportPackager,
        masks: MaskService,
        watermark_from: int = 4,
        anonymisers: Mapping[str, Callable[[], RegionFinder]] | None = None,
    ) -> None:
        """``anonymisers``: for each kind an export may anonymise (``faces``…), what loads its
        region finder (raising :class:`~vigil.errors.Unavailable` when its model cannot be
        used); a kind without one is refused."""
        self._recording = recording
        self._anonymisers = dict(anonymisers or {})
        self._masks = masks
        self._watermark_from = watermark_from
        self._approvals = approvals
        self._packager = packager
        self._channels = channels
        self._audit = audit
        self.exports = exports
        self._views = views
        self._policy = policy
        self._requests: dict[str, PlaybackRequest] = {}
        self._jobs: VideoJobs[ExportJob] = VideoJobs(channels, audit, "export")

    async def stop(self) -> None:
        await self._jobs.stop()

    def stored(self, rows: list[RecordingSegment]) -> tuple[StoredSegment, ...]:
        root = self._recording.root
        return tuple(
            StoredSegment(root / r.path, r.start.timestamp(), r.end.timestamp()) for r in rows
        )

    async def playable(
        self, channel_id: str, start: datetime, end: datetime
    ) -> tuple[StoredSegment, ...]:
        """The segments of ``[start, end)`` in time order, the one being written included (read
        up to its last complete fragment, so "just now" plays back)."""
        live, _ = await self._recording.live(channel_id)  # before the rows: see with_live
        rows = await self._recording.index.segments(channel_id, start, end)
        segments = list(self.stored(rows))
        if (
            live is not None
            and live.start < end
            and live.end > start
            and all(r.path != live.path for r in rows)
        ):
            path = self._recording.root / live.path
            segments.append(
                StoredSegment(path, live.start.timestamp(), live.end.timestamp(), growing=True)
            )
        return tuple(sorted(segments, key=lambda s: s.start))

    # -- playback ----------------------------------------------------------------------------

    async def open_playback(
        self,
        who: Principal | Caller,
        channel_id: str,
        start: datetime,
        end: datetime,
        speed: float,
        unmask_approval: int | None = None,
    ) -> tuple[PlaybackRequest, IssuedView]:
        """Authorise and audit a playback of ``[start, end)``; its view's token goes in the URL.

        The channel's privacy masks are blurred into what is played unless ``unmask_approval``
        names the caller's approved unmask request (see :meth:`MaskService.for_view`)."""
        caller = as_caller(who)
        await self._views.authorise(caller, ViewKind.playback, channel_id)
        check_range(start, end)
        check_speed(speed)
        async with audited(
            self._audit,
            caller,
            "video.playback",
            f"channel:{channel_id}",
            channel_id=channel_id,
            detail={"start": start.isoformat(), "end": end.isoformat(), "speed": speed},
        ) as entry:
            seen = await self._masks.for_view(caller, channel_id, unmask_approval)
            lifted_under = unmask_approval if seen.unmasked else None
            segments = await self.playable(channel_id, start, end)
            key = StreamKey(channel_id)
            session = self._views.open(caller, ViewKind.playback, key, lifted_under)
            masks = tuple(m.points for m in seen.masks)
            request = PlaybackRequest(session.view, channel_id, start, end, speed, segments, masks)
            entry.detail["masks"] = len(masks)
            if lifted_under is not None:
                entry.detail["unmask_approval"] = lifted_under
            now = time.time()
            self._requests = {sid: r for sid, r in self._requests.items() if r.view.expires > now}
            self._requests[session.id] = request
            entry.detail |= {"session": session.id, "segments": len(segments)}
        return request, session

    async def playback(self, session_id: str, token: str | None) -> PlaybackRequest:
        """The session a WebSocket asks for, if its view admits ``token`` (see
        :meth:`ViewAccess.admit`); else Unauthorized, Forbidden or NotFound."""
        view = await self._views.admit(session_id, token, ViewKind.playback)
        request = self._requests.get(view.id)
        if request is None:
            raise Unauthorized("unknown playback session")
        return request

    # -- export ------------------------------------------------------------------------------

    async def export(
        self,
        who: Principal | Caller,
        channel_id: str,
        start: datetime,
        end: datetime,
        purpose: str,
        approval_id: int | None = None,
        unmask_approval: int | None = None,
        anonymise: Sequence[str] = (),
    ) -> ExportJob:
        """Start exporting ``[start, end)`` of the channel's recordings under the caller's
        approval ``approval_id``; audited, a refusal included. The channel's privacy masks are
        blurred into the MP4 unless ``unmask_approval`` names the caller's approved unmask
        request, and so is what ``anonymise`` names (``faces``…: Invalid for a kind this node
        has no finder for); the manifest says which."""
        caller = as_caller(who).for_purpose(purpose)
        principal = caller.principal
        check_range(start, end, MAX_EXPORT)
        kinds = self._anonymisable(anonymise)
        facts = await self._policy.check(caller, channel_id, AccessAction.export)
        try:
            approval = await self._approvals.require_grant(
                principal, ApprovalKind.export, approval_id, channel_id, (start, end)
            )
        except Forbidden as exc:
            await note(
                self._audit,
                caller,
                "video.export",
                f"channel:{channel_id}",
                outcome=exc.type,
                channel_id=channel_id,
                detail={"approval": approval_id, "reason": exc.code, "purpose": purpose},
            )
            raise
        finders: dict[str, RegionFinder] = {
            kind: await asyncio.to_thread(self._anonymisers[kind]) for kind in kinds
        }
        job_id = secrets.token_urlsafe(9)
        job = ExportJob(
            job_id,
            channel_id,
            start,
            end,
            purpose,
            principal.username,
            utcnow(),
            self.exports / job_id,
            case=caller.case or approval.case_number,
            approval=approval,
            seen=await self._masks.for_view(caller, channel_id, unmask_approval),
            unmask_approval=unmask_approval,
            anonymise=kinds,
            finders=finders,
        )
        if facts.sensitivity >= self._watermark_from:
            job.watermark = watermark_caption(principal, job)
        detail: dict[str, object] = {
            "approval": approval.id,
            "case": job.case,
            "masks": len(job.seen.masks),
        }
        if finders:
            detail["anonymise"] = models_of(finders)
        work = self._run_export(job)
        await self._jobs.start(caller, job, work, f"recording.export:{job_id}", detail)
        return job

    def _anonymisable(self, kinds: Sequence[str]) -> list[Anonymise]:
        """``kinds`` without repeats, each one this node has a region finder for."""
        for kind in kinds:
            if kind not in self._anonymisers or kind not in ANONYMISE_KINDS:
                raise Invalid(
                    f"this node cannot anonymise {kind!r} in exports",
                    code="export.anonymise_unavailable",
                    field="anonymise",
                    kind=kind,
                )
        return [cast(Anonymise, kind) for kind in dict.fromkeys(kinds)]

    async def job(self, principal: Principal, job_id: str) -> ExportJob:
        return await self._jobs.get(principal, job_id)

    async def download(self, who: Principal | Caller, job_id: str) -> Path:
        """The exported MP4 of a finished job, if the access policy lets the caller download
        the channel's video now (with the export's purpose); audited as ``video.download``."""
        caller = as_caller(who)
        job = await self._jobs.get(caller.principal, job_id)
        caller = await self._policy.check_download(caller, job.channel_id, job.purpose, job.case)
        return await self._jobs.file(caller, job_id)

    async def package(self, who: Principal | Caller, job_id: str) -> Path:
        """The signed package (.zip) of a finished job, on the same terms as :meth:`download`;
        audited as ``video.download``."""
        caller = as_caller(who)
        job = await self._jobs.get(caller.principal, job_id)
        caller = await self._policy.check_download(caller, job.channel_id, job.purpose, job.case)
        return await self._jobs.file(caller, job_id, {"package": True}, ".zip")

    async def verify(self, principal: Principal, job_id: str) -> list[str]:
        """Re-hash a finished export's segments and MP4 against its manifest."""
        job = await self.job(principal, job_id)
        if job.manifest is None:
            raise Conflict(
                f"export {job_id} is {job.state}", code="job.state", id=job_id, state=job.state
            )
        return await asyncio.to_thread(verify, job.manifest, self._recording.root, job.directory)

    async def _run_export(self, job: ExportJob) -> None:
        rows = await self._recording.index.segments(job.channel_id, job.start, job.end)
        name = f"{job.channel_id}-{job.start:%Y%m%dT%H%M%SZ}-{job.end:%Y%m%dT%H%M%SZ}.mp4"
        try:
            await asyncio.to_thread(job.directory.mkdir, parents=True, exist_ok=True)
            exported = await asyncio.to_thread(
                write_export,
                self.stored(rows),
                job.start.timestamp(),
                job.end.timestamp(),
                job.directory / name,
                [m.points for m in job.seen.masks],
                job.watermark,
                job.finders,
            )
            manifest = build_manifest(
                channel_id=job.channel_id,
                start=job.start,
                end=job.end,
                segments=[
                    SegmentEntry(r.id, r.path, r.start, r.end, r.size, r.sha256) for r in rows
                ],
                exported=exported,
                who=job.who,
                when=utcnow(),
                purpose=job.purpose,
                approval=approval_facts(job.approval),
                audit=await self._packager.audit_evidence(job.channel_id, job.id),
                privacy=privacy_facts(job, exported),
            )
            await asyncio.to_thread(write_manifest, manifest, job.directory / "manifest.json")
            package = exported.path.with_suffix(".zip")
            await self._packager.write(package, exported.path, manifest)
        except (VigilError, OSError) as exc:
            mark_failed(job, exc)
            return
        job.manifest, job.file, job.package, job.state = manifest, name, package.name, "done"
        log.info(
            "export done",
            extra={"channel_id": job.channel_id, "job": job.id, "frames": exported.frames},
        )
