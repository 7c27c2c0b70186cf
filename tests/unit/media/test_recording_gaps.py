"""Gap detection by arrival time: none where the source ran on, one per cut, with its cause."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field, replace
from pathlib import Path

from tests.integration.media.recording_synthetic import T0, feed, stream
from vigil.media.fanout import Subscription
from vigil.media.packet import Codec, MediaPacket, StreamKey
from vigil.media.recording.recorder import Recorder, Stop
from vigil.media.recording.segmenter import ClosedSegment, Segmenter

KEY = StreamKey("34010000001320000001")


@dataclass
class Collected:
    segments: list[ClosedSegment] = field(default_factory=list)
    gaps: list[tuple[float, float, str]] = field(default_factory=list)

    async def add_segment(self, closed: ClosedSegment) -> None:
        self.segments.append(closed)

    async def add_gap(self, key: StreamKey, start: float, end: float, cause: str) -> None:
        assert key == KEY
        self.gaps.append((start, end, cause))


def recorder(root: Path, out: Collected, **kwargs: object) -> Recorder:
    segmenter = Segmenter(root, KEY, 10.0, out.add_segment)
    return Recorder(segmenter, out, lambda _at: True, gap_after=3.0, **kwargs)  # type: ignore[arg-type]


async def test_continuous_source_leaves_no_gap_and_contiguous_segments(tmp_path: Path) -> None:
    out = Collected()
    await recorder(tmp_path, out).run(feed(stream(Codec.H264, 60)))
    assert out.gaps == []
    assert [round(s.end - s.start, 3) for s in out.segments] == [10.0] * 6
    assert all(a.end == b.start for a, b in itertools.pairwise(out.segments))


async def test_cut_source_leaves_one_source_lost_gap(tmp_path: Path) -> None:
    out = Collected()
    rec = recorder(tmp_path, out)
    before = stream(Codec.H264, 20)
    after = stream(Codec.H264, 20, start=T0 + 50, pts_start=10**6)
    await rec.run(feed(iter([*before, *after])))
    assert out.gaps == [(T0 + 20.0, T0 + 50, "source-lost")]
    assert out.segments[1].end == T0 + 20.0  # last frame at 19.8 s plus one frame
    assert out.segments[2].start == T0 + 50


async def test_restart_after_history_is_a_recorder_stopped_gap(tmp_path: Path) -> None:
    out = Collected()
    rec = recorder(tmp_path, out, resumed_from=Stop(T0 - 100, "recorder-stopped"))
    await rec.run(feed(stream(Codec.H264, 4)))
    assert out.gaps == [(T0 - 100, T0, "recorder-stopped")]


async def test_short_jitter_is_not_a_gap(tmp_path: Path) -> None:
    out = Collected()
    packets = list(stream(Codec.H264, 20))
    late = [p if i < 50 else replace(p, arrival=p.arrival + 2.5) for i, p in enumerate(packets)]
    await recorder(tmp_path, out).run(feed(iter(late)))
    assert out.gaps == []


async def test_unscheduled_time_is_a_not_scheduled_gap(tmp_path: Path) -> None:
    out = Collected()
    segmenter = Segmenter(tmp_path, KEY, 10.0, out.add_segment)
    off = (T0 + 20, T0 + 40)
    rec = Recorder(segmenter, out, lambda at: not off[0] <= at < off[1], gap_after=3.0)
    await rec.run(feed(stream(Codec.H264, 60)))
    assert [(round(a - T0, 1), round(b - T0, 1), c) for a, b, c in out.gaps] == [
        (20.0, 40.0, "not-scheduled")
    ]
    assert not any(s.start < off[1] and s.end > off[0] for s in out.segments)


async def test_idle_subscription_closes_the_segment_and_loses_no_packet(tmp_path: Path) -> None:
    out = Collected()
    packets: Subscription[MediaPacket] = Subscription(1024, lambda p: p.keyframe)
    rec = recorder(tmp_path, out, idle_close=0.1)
    task = asyncio.create_task(rec.run(packets))
    before = list(stream(Codec.H264, 4))
    after = list(stream(Codec.H264, 4, start=T0 + 30, pts_start=10**6))
    for packet in before:
        packets.offer(packet)
    for _ in range(100):  # the idle timeout closes the segment while no packet comes
        await asyncio.sleep(0.02)
        if out.segments:
            break
    assert [s.end for s in out.segments] == [T0 + 4.0]
    for packet in after:
        packets.offer(packet)
    while packets.pending:
        await asyncio.sleep(0.01)
    packets.drop("source ended")
    await task
    assert out.gaps == [(T0 + 4.0, T0 + 30, "source-lost")]
    assert out.segments[-1].start == T0 + 30
    assert round(out.segments[-1].end - T0, 3) == 34.0
