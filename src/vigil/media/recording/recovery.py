"""Recovery at start: segment files on disk without an index row are indexed as far as readable.

Such a file was open when the process died (or was abandoned after a write failure). Its name
gives its start; it is cut back to its last complete top-level MP4 box (a ``moof`` whose ``mdat``
never arrived is dropped with it), then its frames are counted to find where it ends. A file with
no readable frame is removed. Only the two newest day directories of each stream are examined:
that is where an interrupted segment can be.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

import av
import av.error

from vigil.media.packet import Codec, StreamKey
from vigil.media.recording.index import RecordingIndex
from vigil.media.recording.segment_file import (
    TIME_BASE,
    complete_length,
    file_sha256,
    segment_start,
)
from vigil.media.recording.segmenter import ClosedSegment

__all__ = ["recover"]

log = logging.getLogger(__name__)

_RECENT_DAYS = 2


@dataclass(frozen=True, slots=True)
class _Extent:
    duration: float
    codec: Codec


def _extent(path: Path) -> _Extent | None:
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            first = last = step = None
            for packet in container.demux(stream):
                if packet.dts is None or packet.size == 0:
                    continue
                if first is None:
                    first = packet.dts
                last, step = packet.dts, packet.duration or step
            codec = Codec(stream.codec_context.name)
            time_base = stream.time_base or TIME_BASE  # read while open: PyAV 17 refuses after
    except (av.error.FFmpegError, IndexError, ValueError):
        return None
    if first is None or last is None:
        return None
    return _Extent(float((last - first + (step or 0)) * time_base), codec)


def _finish(root: Path, relative: Path, key: StreamKey) -> ClosedSegment | None:
    """Blocking: cut the file to whole boxes and measure it; None (file removed) if empty."""
    path = root / relative
    start = segment_start(path)
    length = complete_length(path)
    if length < path.stat().st_size:
        with path.open("r+b") as file:
            file.truncate(length)
    extent = _extent(path) if length else None
    if start is None or extent is None:
        path.unlink()
        return None
    return ClosedSegment(
        key,
        relative,
        start,
        start + extent.duration,
        path.stat().st_size,
        extent.codec,
        file_sha256(path),
    )


def _candidates(root: Path) -> list[tuple[StreamKey, Path]]:
    found = []
    for stream_dir in root.glob("*/*"):
        if not stream_dir.is_dir() or not stream_dir.name.isdigit():
            continue
        key = StreamKey(stream_dir.parent.name, int(stream_dir.name))
        days = sorted(d for d in stream_dir.iterdir() if d.is_dir())[-_RECENT_DAYS:]
        for day in days:
            found += [
                (key, f.relative_to(root))
                for f in day.glob("*.mp4")
                if segment_start(f) is not None
            ]
    return found


async def recover(root: Path, index: RecordingIndex) -> tuple[int, int]:
    """Index the unindexed segment files under ``root``; (indexed, removed)."""
    candidates = await asyncio.to_thread(_candidates, root) if root.is_dir() else []
    known = await index.known_paths(path.as_posix() for _, path in candidates)
    indexed = removed = 0
    for key, relative in candidates:
        if relative.as_posix() in known:
            continue
        closed = await asyncio.to_thread(_finish, root, relative, key)
        if closed is None:
            removed += 1
            log.warning("unreadable segment removed", extra={"path": str(relative)})
            continue
        await index.add_segment(closed)
        indexed += 1
        log.warning(
            "interrupted segment recovered",
            extra={"path": str(relative), "seconds": round(closed.end - closed.start, 3)},
        )
    return indexed, removed
