"""PS over RTP: packetize, disorder the network way, reorder, demux."""

from __future__ import annotations

import random

from vigil.protocols.ps import AccessUnit, PsFromRtp, PsMuxer, StreamType, packetize_rtp
from vigil.protocols.rtp import parse_rtp_header
from vigil.protocols.rtp_reorder import ReorderBuffer

BODY = bytes(range(1, 256))
FRAMES = [
    b"\x00\x00\x00\x01\x67\x42\x00\x1e\x00\x00\x00\x01\x68\xce\x3c\x80\x00\x00\x01\x65" + BODY * 40,
    *(b"\x00\x00\x00\x01\x41\x9a" + BODY * (3 + i) for i in range(5)),
]


def rtp_stream() -> list[bytes]:
    muxer = PsMuxer(StreamType.H264, StreamType.G711A)
    packets: list[bytes] = []
    for i, frame in enumerate(FRAMES):
        ps = muxer.mux_video(frame, i * 3600) + muxer.mux_audio(b"\xd5" * 160, i * 3600)
        packets += packetize_rtp(ps, ssrc=1, seq=(65500 + len(packets)) % 65536, timestamp=i * 3600)
    return packets


def receive(packets: list[bytes], receiver: PsFromRtp) -> list[AccessUnit]:
    reorder: ReorderBuffer[bytes] = ReorderBuffer(depth=32)
    out: list[AccessUnit] = []
    for t, packet in enumerate(packets):
        seq, ts = parse_rtp_header(packet)[:2]
        for ordered in reorder.push(seq, ts, packet, t * 0.001):
            out += receiver.push(ordered)
    for ordered in reorder.flush():
        out += receiver.push(ordered)
    return out + receiver.flush()


def test_shuffled_packets_give_back_every_frame() -> None:
    packets = rtp_stream()
    rnd = random.Random(4)
    # The first packet starts the sequence in the reorder buffer; disorder the rest.
    for i in range(1, len(packets) - 4, 5):
        window = packets[i : i + 4]
        rnd.shuffle(window)
        packets[i : i + 4] = window
    receiver = PsFromRtp()
    units = receive(packets, receiver)
    assert [u.data for u in units if u.is_video] == FRAMES
    assert len([u for u in units if not u.is_video]) == len(FRAMES)
    assert receiver.gaps == 0


def test_marker_closes_each_frame_immediately() -> None:
    packets = rtp_stream()
    receiver = PsFromRtp()
    first_frame = [p for p in packets if parse_rtp_header(p)[1] == 0]
    out = []
    for packet in first_frame:
        out += receiver.push(packet)
    assert [u.data for u in out if u.is_video] == FRAMES[:1]


def test_lost_packet_drops_only_its_frame() -> None:
    packets = rtp_stream()
    victim = next(i for i, p in enumerate(packets) if parse_rtp_header(p)[1] == 3 * 3600)
    del packets[victim]
    receiver = PsFromRtp()
    units = receive(packets, receiver)
    assert [u.pts for u in units if u.is_video] == [0, 3600, 7200, 14400, 18000]
    assert receiver.gaps == 1
    assert receiver.demuxer.skipped_bytes > 0  # the rest of the broken frame
