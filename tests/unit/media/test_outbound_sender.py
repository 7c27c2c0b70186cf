"""The cascade's sending side without sockets: frames to PS over RTP with the peer's SSRC, from
the first video keyframe, audio left out; and the segment-merging rule of RecordInfo answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from vigil.gb28181.cascade.records import merge_segments
from vigil.media.outbound.sender import PacketSender
from vigil.media.packet import Codec, MediaPacket
from vigil.protocols.ps import PsFromRtp
from vigil.protocols.rtp import parse_rtp_header
from vigil.store.models import RecordingSegment

IDR = b"\x00\x00\x00\x01\x67\x42\x00\x1f\xe9" + b"\x00\x00\x00\x01\x65\x88" + bytes(3000)
P = b"\x00\x00\x00\x01\x41\x9a" + bytes(500)
AUDIO = bytes(160)


class ListSink:
    def __init__(self) -> None:
        self.packets: list[bytes] = []
        self.closed = False

    def send(self, packets: list[bytes]) -> None:
        self.packets += packets

    async def drain(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True


def frame(data: bytes, pts: int, keyframe: bool, codec: Codec = Codec.H264) -> MediaPacket:
    return MediaPacket(codec, pts, pts, keyframe, data, 0.0)


def test_frames_go_out_from_the_first_keyframe_with_the_peers_ssrc() -> None:
    sink = ListSink()
    sender = PacketSender(sink, 340205678)
    sent = [
        sender.send(frame(P, 0, False)),  # before any keyframe: a receiver cannot decode it
        sender.send(frame(AUDIO, 100, False, Codec.PCM_ALAW)),  # audio is not sent
        sender.send(frame(IDR, 3600, True)),
        sender.send(frame(P, 7200, False)),
    ]
    assert sent == [False, False, True, True]
    assert sender.frames == 2 and sender.packets == len(sink.packets)
    headers = [parse_rtp_header(p) for p in sink.packets]
    assert {h[2] for h in headers} == {340205678}
    seqs = [h[0] for h in headers]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # one run across frames
    assert [h[1] for h in headers if h[4]] == [3600, 7200]  # marker on each frame's last packet
    depacketizer = PsFromRtp()
    units = [u for p in sink.packets for u in depacketizer.push(p)] + depacketizer.flush()
    assert [(u.data, u.pts, u.keyframe) for u in units] == [(IDR, 3600, True), (P, 7200, False)]


def test_a_codec_change_waits_for_its_keyframe() -> None:
    sink = ListSink()
    sender = PacketSender(sink, 1)
    assert sender.send(frame(IDR, 0, True))
    assert not sender.send(frame(P, 3600, False, Codec.HEVC))  # HEVC but no keyframe yet
    hevc_idr = b"\x00\x00\x00\x01\x40\x01" + b"\x00\x00\x00\x01\x26\x01" + bytes(100)
    assert sender.send(frame(hevc_idr, 7200, True, Codec.HEVC))
    assert sender.frames == 2


def segment(start: float, end: float) -> RecordingSegment:
    t0 = datetime(2026, 12, 3, tzinfo=UTC)
    return RecordingSegment(start=t0 + timedelta(seconds=start), end=t0 + timedelta(seconds=end))


def test_segments_that_follow_each_other_are_one_span() -> None:
    t0 = datetime(2026, 12, 3, tzinfo=UTC)
    spans = merge_segments(
        [segment(0, 60), segment(60, 120), segment(120.5, 180), segment(300, 360)]
    )
    assert spans == [
        (t0, t0 + timedelta(seconds=180)),
        (t0 + timedelta(seconds=300), t0 + timedelta(seconds=360)),
    ]
