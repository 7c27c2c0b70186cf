"""Which feed an upper platform's INVITE gets, opened while the INVITE is answered.

A channel's privacy masks go with its video to the upper platform: live and Vigil's recordings
are sent masked (re-encoded, :mod:`vigil.media.masking`; the permanent ones too — no unmask
reaches across a cascade), and the device's own recording of a masked channel, which Vigil
would relay as the camera sent it, is refused.

``s=Play`` subscribes to the channel's live stream in the hub; ``s=Playback`` / ``s=Download``
with a time range plays Vigil's own recording of it when there is one, otherwise the device's own
recording when the channel is on a GB/T 28181 device. What cannot be opened is :class:`Refused`
with the status the INVITE is answered with.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from vigil.errors import VigilError
from vigil.gb28181.calls.media_sessions import GbStreamProvider
from vigil.gb28181.cascade.feeds import DeviceFeed, Feed, LiveFeed, RecordedFeed
from vigil.gb28181.cascade.targets import Target
from vigil.media import MediaService, PlaybackService, RecordingService, StreamKey
from vigil.protocols.sdp import SessionKind
from vigil.protocols.sdp.answer import MediaPlan

__all__ = ["FeedOpener", "Refused"]

log = logging.getLogger(__name__)


class Refused(Exception):
    """An INVITE that cannot be served: the status and reason phrase to answer it with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


class FeedOpener:
    """Opens the feed an upper platform's call plan asks for; see the module docstring."""

    def __init__(
        self,
        media: MediaService,
        gb_media: GbStreamProvider,
        recording: RecordingService,
        playback: PlaybackService,
    ) -> None:
        self._media = media
        self._gb_media = gb_media
        self._recording = recording
        self._playback = playback

    async def open(self, plan: MediaPlan, target: Target, name: str) -> Feed:
        """The live, recorded or device feed for ``plan``; :class:`Refused` when there is none."""
        channel_id = target.channel_id
        key = StreamKey(channel_id)
        masks = tuple(m.points for m in await self._media.masks.stored(channel_id))
        if plan.kind is SessionKind.PLAY:
            try:
                masked = StreamKey(channel_id, masks=masks)
                return LiveFeed(await self._media.hub.subscribe(masked), name)
            except VigilError as exc:
                log.info("live source failed", extra={"channel_id": channel_id, "error": str(exc)})
                raise Refused(503, "Source Unavailable") from exc
        if plan.stop <= plan.start:
            raise Refused(488, "Playback Needs A Time Range")
        start = datetime.fromtimestamp(plan.start, UTC)
        end = datetime.fromtimestamp(plan.stop, UTC)
        rows = await self._recording.index.segments(channel_id, start, end)
        if rows:
            segments = self._playback.stored(rows)
            return RecordedFeed(segments, plan, name, masks)
        if not target.gb:
            raise Refused(404, "No Recording")
        if masks:
            raise Refused(403, "Masked Channel")
        return await self._device_feed(plan, key, target.device_id, name)

    async def _device_feed(
        self, plan: MediaPlan, key: StreamKey, device_id: str, name: str
    ) -> DeviceFeed:
        kind = "download" if plan.kind is SessionKind.DOWNLOAD else "playback"
        try:
            call = await self._gb_media.call(
                key,
                device_id,
                kind=kind,
                start=plan.start,
                stop=plan.stop,
                download_speed=round(plan.speed) if kind == "download" else None,
            )
        except VigilError as exc:
            log.info("device recording unavailable", extra={"stream": name, "error": str(exc)})
            raise Refused(404, "No Recording") from exc
        feed = DeviceFeed(call, name)
        try:
            await feed.open()
        except BaseException as exc:
            await feed.stop()
            raise Refused(503, "Device Media Failed") from exc
        return feed
