"""Pull a stream with PyAV (FFmpeg) in a named thread: RTSP, RTMP, or a file played on loop.

FFmpeg's demuxers block, so each source reads in its own thread (``media.pull:<key>``) and hands
every packet to the event loop with ``call_soon_threadsafe``. Packets are turned into what the
rest of Vigil expects (:class:`~vigil.media.packet.MediaPacket`: Annex B, parameter sets in band
on keyframes, 90 kHz times): MP4/FLV's length-prefixed NAL units go through FFmpeg's
``*_mp4toannexb`` filter, and an RTSP stream whose SPS/PPS came only in SDP gets them prepended.

A failure (refused, timed out, stream ended) is retried with exponential back-off, ``backoff``
seconds doubling up to ``max_backoff``; a file at its end is sought back to the start and its
timestamps continued, and is paced to real time so it looks like a camera.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import av

from vigil.media.packet import Codec, MediaPacket, StreamKey
from vigil.media.sources.base import PacketSink, SourceError, SourceStats

__all__ = ["AvPullSource", "PullOptions"]

log = logging.getLogger(__name__)

_CODECS = {"h264": Codec.H264, "hevc": Codec.HEVC}
_TO_ANNEXB = {Codec.H264: "h264_mp4toannexb", Codec.HEVC: "hevc_mp4toannexb"}
_CLOCK = 90000
_JOIN_TIMEOUT = 10.0
_START_CODE = b"\x00\x00\x01"
_SCAN = 256


def _has_parameter_sets(codec: Codec, data: bytes) -> bool:
    at = data.find(_START_CODE, 0, _SCAN)
    while 0 <= at < len(data) - 3:
        header = data[at + 3]
        kind = header & 0x1F if codec is Codec.H264 else (header >> 1) & 0x3F
        if kind in ((7,) if codec is Codec.H264 else (32, 33)):
            return True
        at = data.find(_START_CODE, at + 3, _SCAN)
    return False


@dataclass(frozen=True, slots=True)
class PullOptions:
    """How to open and read: FFmpeg options, pacing, looping and retry timing."""

    url: str
    av_options: dict[str, str] = field(default_factory=dict)
    format: str | None = None
    realtime: bool = False
    loop: bool = False
    open_timeout: float = 10.0
    read_timeout: float = 5.0
    backoff: float = 1.0
    max_backoff: float = 30.0


class _Reader:
    """One open container: demux the video stream into media packets with continuous times."""

    def __init__(self, options: PullOptions) -> None:
        self.container: Any = av.open(
            options.url,
            format=options.format,
            options=options.av_options,
            timeout=(options.open_timeout, options.read_timeout),
        )
        try:
            self.stream = self.container.streams.video[0]
        except IndexError:
            self.container.close()
            raise SourceError(f"{options.url} has no video stream") from None
        codec = _CODECS.get(self.stream.codec_context.name)
        if codec is None:
            self.container.close()
            raise SourceError(f"video codec {self.stream.codec_context.name} is not supported")
        self.codec = codec
        extradata = self.stream.codec_context.extradata or b""
        self.annexb_extradata = (
            extradata if extradata.startswith((b"\x00\x00\x01", b"\x00\x00\x00\x01")) else b""
        )
        self.filter: Any = None
        if extradata and not self.annexb_extradata:
            self.filter = av.BitStreamFilterContext(_TO_ANNEXB[codec], self.stream)

    def packets(self) -> Any:
        for packet in self.container.demux(self.stream):
            if packet.size == 0 or packet.dts is None:
                continue
            yield from (self.filter.filter(packet) if self.filter is not None else (packet,))

    def close(self) -> None:
        self.container.close()


class AvPullSource:
    """A source read by FFmpeg in a thread; reconnects on failure until stopped."""

    def __init__(self, key: StreamKey, options: PullOptions) -> None:
        self.key = key
        self.options = options
        self._stats = SourceStats()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sink: PacketSink | None = None

    @property
    def stats(self) -> SourceStats:
        return self._stats

    async def start(self, sink: PacketSink) -> None:
        self._loop = asyncio.get_running_loop()
        self._sink = sink
        self._thread = threading.Thread(
            target=self._run, name=f"media.pull:{self.key}", daemon=True
        )
        self._thread.start()

    async def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None:
            await asyncio.to_thread(thread.join, _JOIN_TIMEOUT)
            if thread.is_alive():
                log.error("pull thread did not stop", extra={"stream": str(self.key)})

    def _run(self) -> None:
        delay = self.options.backoff
        while not self._stop.is_set():
            try:
                if self._read_once():
                    delay = self.options.backoff
            except (av.error.FFmpegError, SourceError, OSError) as exc:
                log.warning("pull failed", extra={"stream": str(self.key), "error": str(exc)[:200]})
            if self._stop.wait(delay):
                return
            self._stats.reconnects += 1
            delay = min(delay * 2, self.options.max_backoff)

    def _read_once(self) -> bool:
        """Open, read until the end or a failure; True when any packet was read."""
        reader = _Reader(self.options)
        got_any = False
        offset = 0  # 90 kHz added to the file's times after each loop
        last_dts = 0
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                first: int | None = None
                for packet in reader.packets():
                    if self._stop.is_set():
                        return got_any
                    dts = int(packet.dts * packet.time_base * _CLOCK)
                    pts = dts if packet.pts is None else int(packet.pts * packet.time_base * _CLOCK)
                    if first is None:
                        first = dts
                    if self.options.realtime:
                        due = started + (dts - first) / _CLOCK - time.monotonic()
                        if due > 0 and self._stop.wait(due):
                            return got_any
                    last_dts = offset + dts
                    self._deliver(reader, packet, offset + pts, last_dts)
                    got_any = True
                if not self.options.loop:
                    return got_any
                reader.container.seek(0)
                offset = last_dts + _CLOCK // 25 - (first or 0)
        finally:
            reader.close()
        return got_any

    def _deliver(self, reader: _Reader, packet: Any, pts: int, dts: int) -> None:
        data = bytes(packet)
        keyframe = bool(packet.is_keyframe)
        if keyframe and reader.annexb_extradata and not _has_parameter_sets(reader.codec, data):
            data = reader.annexb_extradata + data
        now = time.time()
        stats = self._stats
        stats.packets += 1
        stats.frames += 1
        stats.bytes += len(data)
        stats.last_arrival = now
        media = MediaPacket(reader.codec, pts, dts, keyframe, data, now)
        assert self._loop is not None and self._sink is not None
        try:
            self._loop.call_soon_threadsafe(self._sink.publish, media)
        except RuntimeError:  # the loop is closed: we are being torn down
            self._stop.set()
