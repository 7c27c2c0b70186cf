"""One segment file: fragmented MP4 written in copy mode, hashed when it closes.

Fragmented (``frag_keyframe+empty_moov``) because a crash then leaves a file that is readable up
to its last complete fragment; ``flush_packets`` hands each fragment to the OS as soon as the
muxer emits it, which is when the next GOP's keyframe reaches it, so a crash loses the GOP in the
muxer and the one the segmenter is gathering. Nothing is re-encoded: the stream's parameters
come from probing the first keyframe (its in-band SPS/PPS, and VPS for H.265), and every frame's
bytes go to the file as they came.

Everything here blocks (PyAV, file I/O, hashing): callers run it in a worker thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import av
import av.container

from vigil.media.packet import Codec

__all__ = [
    "MOVFLAGS",
    "TIME_BASE",
    "SegmentWriter",
    "TimedFrame",
    "complete_length",
    "file_sha256",
    "segment_path",
    "segment_start",
]

MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
TIME_BASE = Fraction(1, 90_000)
_NAME_RE = re.compile(r"^(\d{13})\.mp4$")
_HASH_CHUNK = 1 << 20


def segment_path(channel_id: str, stream: int, start: float) -> Path:
    """Where a segment starting at ``start`` (epoch seconds) lives, relative to the root.

    The start is in the name (milliseconds), so recovery can place a file the index never saw.
    """
    day = datetime.fromtimestamp(start, UTC).strftime("%Y%m%d")
    return Path(channel_id, str(stream), day, f"{round(start * 1000):013d}.mp4")


def segment_start(path: Path) -> float | None:
    """The start time written into a segment's name, or None for a file that is not one."""
    match = _NAME_RE.match(path.name)
    return int(match[1]) / 1000 if match else None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def complete_length(path: Path) -> int:
    """Bytes of ``path`` made of complete top-level boxes, not ending in a ``moof``."""
    size = path.stat().st_size
    complete = offset = 0
    with path.open("rb") as file:
        while offset + 8 <= size:
            file.seek(offset)
            header = file.read(16)
            length, kind = struct.unpack(">I4s", header[:8])
            if length == 1 and len(header) == 16:
                length = struct.unpack(">Q", header[8:16])[0]
            if length < 8 or offset + length > size:
                break
            offset += length
            if kind != b"moof":
                complete = offset
    return complete


@dataclass(frozen=True, slots=True)
class TimedFrame:
    """A frame as it goes into a segment: Annex B bytes and 90 kHz ticks on the segment's clock."""

    data: bytes
    pts: int
    dts: int
    keyframe: bool


class SegmentWriter:
    """Writes one segment file. Open with the first keyframe, ``write`` GOPs, ``close`` once.

    Exports reuse it with ``movflags="+faststart"`` for a plain (unfragmented) MP4.
    """

    def __init__(self, path: Path, codec: Codec, keyframe: bytes, movflags: str = MOVFLAGS) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with av.open(io.BytesIO(keyframe), format=codec.value) as probe:
            template = probe.streams.video[0]
            self._output = av.open(
                str(path),
                "w",
                format="mp4",
                options={"movflags": movflags},
                container_options={"flush_packets": "1"},
            )
            try:
                self._stream = self._output.add_stream_from_template(template)
            except BaseException:
                self._output.close()
                raise
        self._stream.time_base = TIME_BASE

    def write(self, frames: Sequence[TimedFrame]) -> None:
        for frame in frames:
            packet = av.Packet(frame.data)
            packet.pts, packet.dts = frame.pts, frame.dts
            packet.time_base = TIME_BASE
            packet.is_keyframe = frame.keyframe
            packet.stream = self._stream
            self._output.mux(packet)

    def close(self) -> tuple[int, str]:
        """Finish the file; its size and SHA-256 as they are on disk."""
        self._output.close()
        return self.path.stat().st_size, file_sha256(self.path)

    def abandon(self) -> None:
        """Close after a failure (a full disk); the file keeps what was flushed, if anything."""
        with contextlib.suppress(OSError, av.error.FFmpegError):
            self._output.close()
