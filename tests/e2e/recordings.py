"""Recorded video for the playback tests, written before the demo starts.

The demo records its cameras continuously, but a segment closes only after a minute. Instead the
e2e session writes half an hour of segment files for one camera into the demo's recordings
directory, named and laid out as the recorder names them; the node indexes them at start (the
recovery of files without an index row), so the console lists and plays them like any recording.
The frames are the synthetic H.264 GOP of the recording tests (160×120, 5 frames/s).
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from tests.integration.media.recording_synthetic import FPS, T0, stream
from vigil.demo import CAMERAS
from vigil.media.packet import Codec
from vigil.media.recording.segment_file import SegmentWriter, TimedFrame, segment_path

#: The camera whose day has recordings, and the half hour recorded (on an hour boundary two
#: hours ago: whole hours in the browser's zone too, so the span never crosses a midnight).
CHANNEL = CAMERAS[1]
START = T0
SECONDS = 1800
SEGMENT_SECONDS = 60
#: The browser's zone in the playback tests (the node's default VIGIL_TIMEZONE).
ZONE = ZoneInfo("Asia/Shanghai")


def seed_recordings(root: Path) -> None:
    """Write ``SECONDS`` of segment files for ``CHANNEL`` from ``START`` under ``root``."""
    frames = list(stream(Codec.H264, SECONDS, start=START))
    per_segment = SEGMENT_SECONDS * FPS
    for first in range(0, len(frames), per_segment):
        chunk = frames[first : first + per_segment]
        assert chunk[0].keyframe, "segments start at a keyframe"
        path = root / segment_path(CHANNEL.id, 0, chunk[0].arrival)
        writer = SegmentWriter(path, Codec.H264, chunk[0].data)
        origin = chunk[0].dts
        writer.write(
            [TimedFrame(f.data, f.pts - origin, f.dts - origin, f.keyframe) for f in chunk]
        )
        writer.close()
