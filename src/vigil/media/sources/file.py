"""A local video file played on loop at real-time pace: a camera for tests and demos."""

from __future__ import annotations

from pathlib import Path

from vigil.media.packet import StreamKey
from vigil.media.sources.av_pull import AvPullSource, PullOptions
from vigil.media.sources.base import SourceError

__all__ = ["file_source"]


def file_source(key: StreamKey, path: str | Path) -> AvPullSource:
    """A looping, paced source over an H.264/H.265 file (MP4, MKV, TS, raw Annex B…)."""
    path = Path(str(path).removeprefix("file://"))
    if not path.is_file():
        raise SourceError(f"video file {path} does not exist")
    return AvPullSource(key, PullOptions(str(path), realtime=True, loop=True))
