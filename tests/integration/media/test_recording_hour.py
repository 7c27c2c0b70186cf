"""An hour of stream, fed in seconds: segments and index rows, checked by ffprobe; gaps only
where the source was cut. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from tests.integration.media.recording_synthetic import T0, feed, stream
from vigil.app import Vigil
from vigil.media.packet import Codec, StreamKey
from vigil.media.recording.index import utc
from vigil.media.recording.segment_file import file_sha256
from vigil.media.recording.service import RecordingService

KEY = StreamKey("34010000001320000001")

pytestmark = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs FFmpeg's ffprobe")


def ffprobe(path: Path) -> dict[str, str | int]:
    result = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-count_packets",
            "-show_entries",
            "stream=codec_name,width,height,nb_read_packets:format=duration",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    data = json.loads(result.stdout)
    return {**data["streams"][0], "duration": data["format"]["duration"]}


async def record(node: Vigil, packets: object) -> None:
    task = await node.recording.record(KEY, feed(packets))  # type: ignore[arg-type]
    await task


async def test_recorded_hour_has_no_gap_and_every_segment_probes(node: Vigil) -> None:
    await record(node, stream(Codec.H264, 3600))
    index = node.recording.index
    segments = await index.segments(KEY.channel_id, utc(T0 - 10), utc(T0 + 3700))
    assert len(segments) == 60
    assert await index.gaps(KEY.channel_id, utc(T0 - 10), utc(T0 + 3700)) == []
    assert segments[0].start == utc(T0) and segments[-1].end == utc(T0 + 3600)
    for before, after in itertools.pairwise(segments):
        assert before.end == after.start
    for row in segments:
        path = node.recording.root / row.path
        assert row.size == path.stat().st_size and row.sha256 == file_sha256(path)
        assert row.codec == "h264" and not row.locked
        probe = ffprobe(path)
        assert probe["codec_name"] == "h264" and (probe["width"], probe["height"]) == (160, 120)
        assert int(probe["nb_read_packets"]) == 300  # 60 s at 5 fps
        assert float(probe["duration"]) == pytest.approx(60, abs=0.25)


async def test_cut_source_leaves_exactly_that_gap(node: Vigil) -> None:
    before = stream(Codec.HEVC, 1200)
    after = stream(Codec.HEVC, 1200, start=T0 + 2400, pts_start=5_000_000)
    await record(node, iter([*before, *after]))
    index = node.recording.index
    gaps = await index.gaps(KEY.channel_id, utc(T0), utc(T0 + 3600))
    assert [(g.start, g.end, g.cause) for g in gaps] == [
        (utc(T0 + 1200), utc(T0 + 2400), "source-lost")
    ]
    segments = await index.segments(KEY.channel_id, utc(T0), utc(T0 + 3600))
    assert len(segments) == 40
    assert not any(s.start < gaps[0].end and s.end > gaps[0].start for s in segments)
    covered = sum((s.end - s.start for s in segments), timedelta())
    assert covered == timedelta(seconds=2400)
    probe = ffprobe(node.recording.root / segments[0].path)
    assert probe["codec_name"] == "hevc"


async def test_a_restarted_recorder_marks_the_downtime(node: Vigil) -> None:
    await record(node, stream(Codec.H264, 120))
    # A restart: a recording service that never saw the first recorder stop, on the same index.
    restarted = RecordingService(node.db, node.audit, node.channels, node.recording.config)
    await (await restarted.record(KEY, feed(stream(Codec.H264, 60, T0 + 600, 10**7))))
    gaps = await node.recording.index.gaps(KEY.channel_id, utc(T0), utc(T0 + 3600))
    assert [(g.start, g.end, g.cause) for g in gaps] == [
        (utc(T0 + 120), utc(T0 + 600), "recorder-stopped")
    ]


async def test_a_stream_recorded_again_keeps_the_cause_it_stopped_for(node: Vigil) -> None:
    await record(node, stream(Codec.H264, 120))  # its packets end: the source was lost
    await record(node, stream(Codec.H264, 60, start=T0 + 600, pts_start=10**7))
    gaps = await node.recording.index.gaps(KEY.channel_id, utc(T0), utc(T0 + 3600))
    assert [(g.start, g.end, g.cause) for g in gaps] == [
        (utc(T0 + 120), utc(T0 + 600), "source-lost")
    ]
