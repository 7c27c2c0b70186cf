"""Download of a device's own recording (GB/T 28181 clause 9.9) into one MP4, as a job.

:meth:`DeviceDownloads.start` asks the access policy (download: ``video:export``, scope,
clearance, time window, purpose and case number; :mod:`vigil.governance.access_policy`), audits
``video.export`` with ``"source": "device"`` and starts a job; the job INVITEs the device with
``s=Download`` and ``a=downloadspeed`` (1–8), and writes the PS stream's frames, from the first
keyframe, into one MP4 in copy mode (:class:`~vigil.media.recording.segment_file.SegmentWriter`
with ``+faststart``, timestamps put on one clock by
:class:`~vigil.media.recording.timeline.Timeline`; nothing is decoded or re-encoded).

The job ends well when the device reports the range sent (MediaStatus 121) or when the media
timestamps pass the range's length; then, and on every other path, the call is BYEd and its port
and SSRC freed. It fails, naming the stage, when the INVITE fails ("no answer", "SDP rejected"),
when nothing arrives ("no media arrived") or the stream stops first ("media stopped"); the
provider's no-media timeout applies. Jobs live in memory, their files under
``<root>/<job>/``. Fetching the MP4 is audited as ``video.download``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from vigil.catalog.channels import ChannelService
from vigil.errors import Invalid
from vigil.gb28181.calls.media_call import END_OF_FILE, Stage, StreamFailed
from vigil.gb28181.calls.media_sessions import GbStreamProvider
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller
from vigil.governance.permissions import Principal
from vigil.media import (
    MAX_EXPORT,
    Codec,
    MediaPacket,
    SegmentWriter,
    StreamKey,
    TimedFrame,
    Timeline,
    VideoJobs,
    check_range,
)
from vigil.store.types import utcnow

__all__ = ["DOWNLOAD_SPEEDS", "DeviceDownloadJob", "DeviceDownloads"]

log = logging.getLogger(__name__)

DOWNLOAD_SPEEDS = range(1, 9)
_CLOCK = 90_000


@dataclass
class DeviceDownloadJob:
    """One download of a device's recording: what, for whom, and how far it got."""

    id: str
    channel_id: str
    device_id: str
    start: datetime
    end: datetime
    speed: int
    purpose: str
    who: str
    created: datetime
    directory: Path
    state: str = "running"  # running | done | failed
    stage: str | None = None
    error: str | None = None
    bytes: int = 0
    frames: int = 0
    file: str | None = None
    case: str | None = None


class _Capture:
    """The download call's sink: frames from the first keyframe, on one clock, until the end."""

    def __init__(self, length: float) -> None:
        self.codec: Codec | None = None
        self.pending: list[TimedFrame] = []
        self.arrived = asyncio.Event()
        self.outcome: asyncio.Future[StreamFailed | None] = (
            asyncio.get_running_loop().create_future()
        )
        self._length = round(length * _CLOCK)
        self._timeline = Timeline()

    def publish(self, packet: MediaPacket) -> None:
        if self.outcome.done() or not packet.codec.is_video:
            return
        if self.codec is None:
            if not packet.keyframe:
                return
            self.codec = packet.codec
        elif packet.codec != self.codec:
            return
        pts, dts = self._timeline.place(packet.pts, packet.dts)
        if dts >= self._length:
            self._finish(None)  # the range's end has passed
            return
        self.pending.append(TimedFrame(packet.data, pts, dts, packet.keyframe))
        self.arrived.set()

    def end(self, reason: str) -> None:
        stage: Stage = "media stopped" if self.codec is not None else "no media arrived"
        self._finish(StreamFailed(stage, reason))

    def call_ended(self, reason: str) -> None:
        self._finish(None if reason == END_OF_FILE else StreamFailed("media stopped", reason))

    def _finish(self, failure: StreamFailed | None) -> None:
        if not self.outcome.done():
            self.outcome.set_result(failure)
        self.arrived.set()

    def take(self) -> list[TimedFrame]:
        frames, self.pending = self.pending, []
        self.arrived.clear()
        return frames


class DeviceDownloads:
    """Device download jobs of one node; built by :class:`vigil.app.Vigil`."""

    def __init__(
        self,
        gb_media: GbStreamProvider,
        channels: ChannelService,
        audit: AuditLog,
        root: Path,
        policy: AccessPolicy,
        *,
        no_media_timeout: float = 15.0,
    ) -> None:
        self._gb_media = gb_media
        self._channels = channels
        self._audit = audit
        self.root = root
        self._policy = policy
        self.no_media_timeout = no_media_timeout
        self._jobs: VideoJobs[DeviceDownloadJob] = VideoJobs(channels, audit, "device download")

    async def start(
        self,
        who: Principal | Caller,
        channel_id: str,
        start: datetime,
        end: datetime,
        speed: int,
        purpose: str,
    ) -> DeviceDownloadJob:
        """Start downloading ``[start, end)`` of the channel from its device; audited."""
        caller = as_caller(who).for_purpose(purpose)
        principal = caller.principal
        check_range(start, end, MAX_EXPORT)
        if speed not in DOWNLOAD_SPEEDS:
            raise Invalid("download speed must be 1 to 8")
        channel = await self._policy.check(caller, channel_id, AccessAction.download)
        device_id = channel.device_id
        job_id = secrets.token_urlsafe(9)
        job = DeviceDownloadJob(
            job_id,
            channel_id,
            device_id,
            start,
            end,
            speed,
            purpose,
            principal.username,
            utcnow(),
            self.root / job_id,
            case=caller.case,
        )
        detail = {"source": "device", "device_id": device_id, "speed": speed}
        await self._jobs.start(caller, job, self._run(job), f"gb.download:{job_id}", detail)
        return job

    async def job(self, principal: Principal, job_id: str) -> DeviceDownloadJob:
        return await self._jobs.get(principal, job_id)

    async def video(self, who: Principal | Caller, job_id: str) -> Path:
        """The MP4 of a finished job, if the access policy lets the caller download the
        channel's video now (with the job's purpose); audited as ``video.download``."""
        caller = as_caller(who)
        job = await self._jobs.get(caller.principal, job_id)
        caller = await self._policy.check_download(caller, job.channel_id, job.purpose, job.case)
        return await self._jobs.file(caller, job_id, {"source": "device"})

    async def stop(self) -> None:
        await self._jobs.stop()

    async def _run(self, job: DeviceDownloadJob) -> None:
        extra = {"device_id": job.device_id, "channel_id": job.channel_id, "job": job.id}
        try:
            await self._download(job)
        except StreamFailed as exc:
            job.state, job.stage, job.error = "failed", exc.stage, str(exc)
            log.warning("device download failed", extra={**extra, "error": str(exc)})
        except OSError as exc:
            job.state, job.error = "failed", f"writing the MP4 failed: {exc}"
            log.warning("device download failed", extra={**extra, "error": str(exc)})
        else:
            job.state = "done"
            log.info("device download done", extra={**extra, "frames": job.frames})

    async def _download(self, job: DeviceDownloadJob) -> None:
        call = await self._gb_media.call(
            StreamKey(job.channel_id),
            job.device_id,
            kind="download",
            start=math.floor(job.start.timestamp()),
            stop=math.ceil(job.end.timestamp()),
            download_speed=job.speed,
            no_media_timeout=self.no_media_timeout,
        )
        capture = _Capture((job.end - job.start).total_seconds())
        call.on_end = capture.call_ended
        name = f"{job.channel_id}-{job.start:%Y%m%dT%H%M%SZ}-{job.end:%Y%m%dT%H%M%SZ}.mp4"
        path = job.directory / name
        writer: SegmentWriter | None = None
        try:
            await call.start(capture)
            while not (capture.outcome.done() and not capture.pending):
                await capture.arrived.wait()
                frames = capture.take()
                if not frames:
                    continue
                if writer is None:
                    assert capture.codec is not None
                    writer = await asyncio.to_thread(
                        SegmentWriter, path, capture.codec, frames[0].data, "+faststart"
                    )
                await asyncio.to_thread(writer.write, frames)
                job.frames += len(frames)
                job.bytes += sum(len(f.data) for f in frames)
            failure = capture.outcome.result()
            if failure is None and writer is None:
                failure = StreamFailed("no media arrived", "the device sent no video frame")
            if failure is not None:
                raise failure
        except BaseException:
            if writer is not None:
                await asyncio.to_thread(writer.abandon)
                path.unlink(missing_ok=True)
            raise
        finally:
            await call.close()
        assert writer is not None
        job.bytes, _ = await asyncio.to_thread(writer.close)
        job.file = name
