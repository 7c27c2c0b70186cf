"""The compiled per-packet path gives exactly what the Python reference gives, garbage included.

Each test drives both implementations with the same input, built by hypothesis: a real PS-over-RTP
stream (H.264 with a PSM, G.711 audio) that the network then reorders, duplicates, drops,
truncates, pads with foreign SSRCs and junk, in random batches at random times; or plain random
bytes. The frames delivered and every counter must be equal. Skipped where the extension was not
built (the Python path is then the only one, and the rest of the suite tests it).
"""

from __future__ import annotations

import socket
import struct

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vigil.media import accel
from vigil.media.mp4_fragments import annexb_to_mp4_python, frame_fragment_python
from vigil.media.packet import MediaPacket
from vigil.media.sources.ps_rtp import PsRtpDepacketizer
from vigil.media.sources.ps_rtp_compiled import CompiledPsRtpDepacketizer
from vigil.protocols.ps import (
    PackHeader,
    PesPacket,
    ProgramStreamMap,
    PsmEntry,
    PsMuxer,
    StreamType,
    is_keyframe,
    packetize_rtp,
)
from vigil.protocols.ps.constants import is_video_type

pytestmark = pytest.mark.skipif(accel.native is None, reason="the C accelerator was not built")

BODY = bytes(range(1, 256))
FRAMES = [
    b"\x00\x00\x00\x01\x67\x42\x00\x1e\x00\x00\x00\x01\x68\xce\x3c\x80\x00\x00\x01\x65" + BODY * 12,
    *(b"\x00\x00\x00\x01\x41\x9a" + BODY * (1 + i % 4) for i in range(7)),
]


def clean_stream(first_seq: int, ssrc: int = 7, packet_size: int = 300) -> list[bytes]:
    muxer = PsMuxer(StreamType.H264, StreamType.G711A)
    packets: list[bytes] = []
    for i, frame in enumerate(FRAMES):
        ps = muxer.mux_video(frame, i * 3600) + muxer.mux_audio(b"\xd5" * 160, i * 3600)
        seq = (first_seq + len(packets)) & 0xFFFF
        packets += packetize_rtp(
            ps, ssrc=ssrc, seq=seq, timestamp=i * 3600, max_packet_size=packet_size
        )
    return packets


def with_padding_and_extension(packet: bytes, padding: int, words: int) -> bytes:
    """The same packet with CSRC-free extension words and RFC 3550 padding."""
    b0 = packet[0] | 0x10 | (0x20 if padding else 0)
    extension = struct.pack("!HH", 0xBEDE, words) + bytes(4 * words)
    pad = bytes(padding - 1) + bytes((padding,)) if padding else b""
    return bytes((b0,)) + packet[1:12] + extension + packet[12:] + pad


# One branch per kind of network fault: the chain reads as the list of faults drawn.
@st.composite
def network(draw: st.DrawFn) -> tuple[list[list[bytes]], list[float]]:  # noqa: C901
    """A stream as the network delivers it: disordered, lossy, dirty, in batches."""
    packets = clean_stream(
        draw(st.integers(0, 0xFFFF)), packet_size=draw(st.sampled_from([80, 300, 1400]))
    )
    ops = draw(
        st.lists(
            st.tuples(
                st.sampled_from(
                    ["swap", "drop", "dup", "truncate", "junk", "foreign", "extend", "jump", "flip"]
                ),
                st.integers(0, 10_000),
                st.binary(max_size=40),
            ),
            max_size=25,
        )
    )
    for op, at, blob in ops:
        i = at % len(packets)
        if op == "swap" and i + 1 < len(packets):
            packets[i], packets[i + 1] = packets[i + 1], packets[i]
        elif op == "drop" and len(packets) > 1:
            del packets[i]
        elif op == "dup":
            packets.insert(min(len(packets), i + at % 5), packets[i])
        elif op == "truncate":
            packets[i] = packets[i][: at % (len(packets[i]) + 1)]
        elif op == "junk":
            packets.insert(i, blob)
        elif op == "foreign":
            packets.insert(i, packets[i][:8] + b"\x00\x00\x00\x09" + packets[i][12:])
        elif op == "extend" and len(packets[i]) >= 12:
            packets[i] = with_padding_and_extension(packets[i], at % 4, at % 3)
        elif (
            op == "jump" and len(packets[i]) >= 4
        ):  # a sequence far ahead or behind: restarts and late packets
            seq = (struct.unpack_from("!H", packets[i], 2)[0] + 200 + at) & 0xFFFF
            packets[i] = packets[i][:2] + struct.pack("!H", seq) + packets[i][4:]
        elif op == "flip" and len(packets[i]) > 12 + at % 64:  # corrupt the PS inside
            j = 12 + at % 64
            packets[i] = packets[i][:j] + bytes((packets[i][j] ^ 0xFF,)) + packets[i][j + 1 :]
    sizes = draw(st.lists(st.integers(1, 40), min_size=1, max_size=60))
    batches: list[list[bytes]] = []
    at = 0
    for size in sizes * (1 + len(packets) // sum(sizes)):
        if at >= len(packets):
            break
        batches.append(packets[at : at + size])
        at += size
    gaps = draw(st.lists(st.sampled_from([0.0, 0.001, 0.05, 0.3]), min_size=len(batches)))
    return batches, gaps[: len(batches)]


def run(
    kind: type[PsRtpDepacketizer | CompiledPsRtpDepacketizer],
    batches: list[list[bytes]],
    gaps: list[float],
) -> tuple[object, ...]:
    out: list[MediaPacket] = []
    depacketizer = kind(out.append, reorder_depth=8, reorder_delay=0.1)
    now = 1_700_000_000.0
    for batch, gap in zip(batches, gaps, strict=True):
        now += gap
        depacketizer.push_batch(batch, now)
    depacketizer.flush(now + 1)
    stats = depacketizer.stats
    return (
        reorder_counters(depacketizer),
        out,
        (stats.packets, stats.bytes, stats.lost, stats.frames, stats.last_arrival),
        depacketizer.foreign,
        depacketizer.malformed,
        depacketizer.unsupported,
        depacketizer.gaps,
        depacketizer.ssrc,
    )


def reorder_counters(
    depacketizer: PsRtpDepacketizer | CompiledPsRtpDepacketizer,
) -> tuple[object, ...]:
    """The reorder buffer's RFC 3550 counters (private on both sides: this test is their spec)."""
    if isinstance(depacketizer, PsRtpDepacketizer):
        r: object = depacketizer._reorder
    else:
        r = depacketizer._core
    names = ("received", "lost", "duplicates", "reordered", "late", "restarts", "jitter", "held")
    return tuple(getattr(r, name) for name in names)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network())
def test_compiled_depacketizer_equals_python_on_a_dirty_network(
    stream: tuple[list[list[bytes]], list[float]],
) -> None:
    batches, gaps = stream
    python = run(PsRtpDepacketizer, batches, gaps)
    compiled = run(CompiledPsRtpDepacketizer, batches, gaps)
    assert compiled == python


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.binary(max_size=120), max_size=12), max_size=12),
    st.lists(st.sampled_from([0.0, 0.02, 0.5]), min_size=12, max_size=12),
)
def test_compiled_depacketizer_equals_python_on_random_bytes(
    batches: list[list[bytes]], gaps: list[float]
) -> None:
    # A valid RTP version byte half the time, so the random bytes reach the reorder buffer.
    batches = [[b"\x80" + p[1:] if p and p[0] & 1 else p for p in batch] for batch in batches]
    gaps = gaps[: len(batches)]
    assert run(CompiledPsRtpDepacketizer, batches, gaps) == run(PsRtpDepacketizer, batches, gaps)


def test_clean_stream_gives_every_frame_once() -> None:
    out: list[MediaPacket] = []
    depacketizer = CompiledPsRtpDepacketizer(out.append)
    packets = clean_stream(65530)
    depacketizer.push_batch(packets[: len(packets) // 2], 1.0)
    depacketizer.push_batch(packets[len(packets) // 2 :], 1.01)
    assert [p.data for p in out if p.codec.is_video] == FRAMES
    assert depacketizer.stats.lost == 0
    assert out[0].keyframe and not out[2].keyframe


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([b"\x00\x00\x01", b"\x00\x00\x00\x01", b"\x00", b"\x01", b"\x00\x00"]),
            st.binary(max_size=8),
        ),
        max_size=40,
    )
)
def test_annexb_conversion_equals_python(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    assert accel.native is not None
    parts, size = annexb_to_mp4_python(data)
    sample = accel.native.annexb_to_avcc(data)
    assert sample == b"".join(parts)
    assert len(sample) == size


def test_recv_datagrams_reads_what_was_sent_and_stops_at_the_limit() -> None:
    assert accel.native is not None
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        receiver.bind(("127.0.0.1", 0))
        receiver.setblocking(False)
        sent = [bytes([n % 256]) * (n * 37 % 1500) for n in range(50)] + [b"x" * 60_000]
        for datagram in sent:
            sender.sendto(datagram, receiver.getsockname())
        first = accel.native.recv_datagrams(receiver.fileno(), 40)
        rest = accel.native.recv_datagrams(receiver.fileno(), 4096)
        assert first + rest == sent
        assert len(first) == 40
        assert accel.native.recv_datagrams(receiver.fileno(), 4096) == []
    finally:
        receiver.close()
        sender.close()


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=300).map(lambda b: b.replace(b"\x07", b"\x00\x00\x01")),
    st.integers(0, 0xFFFFFFFF),
    st.integers(0, (1 << 64) - 1),
    st.integers(0, 0xFFFFFFFF),
    st.booleans(),
    st.integers(-(1 << 31), (1 << 31) - 1),
)
def test_fragment_equals_python(
    frame: bytes, sequence: int, dts: int, duration: int, keyframe: bool, cts: int
) -> None:
    assert accel.native is not None
    compiled = accel.native.avcc_fragment(sequence, dts, duration, keyframe, cts, frame)
    assert compiled == frame_fragment_python(sequence, dts, frame, duration, keyframe, cts)


@st.composite
def ps_runs(draw: st.DrawFn) -> list[bytes]:
    """Whole PS runs built from parts, the shapes the C frame path must take or refuse."""
    video = draw(st.sampled_from([0xE0, 0xE1]))
    psm = ProgramStreamMap(
        (PsmEntry(draw(st.sampled_from([0, 0x1B, 0x24, 0x90])), video), PsmEntry(0x90, 0xC0))
    )
    runs: list[bytes] = []
    for n in range(draw(st.integers(1, 6))):
        parts = [bytes(PackHeader(n * 3600, mpeg1=draw(st.booleans())))]
        for _ in range(draw(st.integers(0, 5))):
            kind = draw(st.sampled_from(["video", "audio", "psm", "padding", "end", "junk"]))
            pts = draw(st.sampled_from([None, n * 3600, n * 3600 + 1]))
            payload = draw(st.sampled_from([b"", FRAMES[n % 2][: draw(st.integers(0, 600))]]))
            if kind == "video":
                parts.append(bytes(PesPacket(video, payload, pts)))
            elif kind == "audio":
                parts.append(bytes(PesPacket(0xC0, b"\xd5" * (len(payload) % 200), pts)))
            elif kind == "psm":
                parts.append(bytes(psm))
            elif kind == "padding":
                parts.append(b"\x00\x00\x01\xbe\x00\x03\xff\xff\xff")
            elif kind == "end":
                parts.append(b"\x00\x00\x01\xb9")
            else:
                parts.append(draw(st.binary(max_size=6)))
        runs.append(b"".join(parts))
    return runs


@settings(max_examples=400, deadline=None)
@given(ps_runs(), st.integers(0, 0xFFFF), st.lists(st.sampled_from([0, 0, 5]), min_size=6))
def test_compiled_frame_path_equals_python_on_ps_shapes(
    runs: list[bytes], seq: int, jumps: list[int]
) -> None:
    packets: list[bytes] = []
    for n, ps in enumerate(runs):
        seq += jumps[n]  # a jump is a gap the demuxer is told of
        added = packetize_rtp(ps, ssrc=5, seq=seq & 0xFFFF, timestamp=n)
        packets += added
        seq += len(added)
    batches = [[p] for p in packets]
    gaps = [0.001] * len(batches)
    assert run(CompiledPsRtpDepacketizer, batches, gaps) == run(PsRtpDepacketizer, batches, gaps)


@settings(max_examples=1000, deadline=None)
@example(StreamType.H264, [b"\x00\x00\x01", b"\x41", b"\x00\x00\x01", b"\x65", b"\x88"])
@example(StreamType.H265, [b"\x00\x00\x01", b"\x02\x01", b"\x00\x00\x01", b"\x26\x01"])
@example(StreamType.H264, [b"\x00\x00\x01", b"\x06", b"\x00" * 4090, b"\x00\x00\x01\x65\x88"])
@given(
    st.sampled_from([StreamType.H264, StreamType.H265, StreamType.G711A, 0x10, 0x80]),
    st.lists(
        st.one_of(
            st.sampled_from([b"\x00\x00\x01", b"\x00\x00\x00\x01", b"\x00"]),
            # NAL headers: H.264 slice, IDR, SPS, SEI; H.265 trailing, IDR, VPS, SEI.
            st.sampled_from([b"\x41", b"\x65", b"\x67", b"\x06", b"\x02\x01", b"\x26\x01"]),
            st.sampled_from([b"\x40\x01", b"\x4e\x01"]),
            st.binary(min_size=1, max_size=3),
            st.binary(min_size=900, max_size=1500),
        ),
        max_size=24,
    ),
)
def test_keyframe_sniffing_equals_python(stream_type: int, pieces: list[bytes]) -> None:
    assert accel.native is not None
    data = b"".join(pieces)
    expected = is_video_type(stream_type) and is_keyframe(stream_type, data)
    assert accel.native.is_keyframe(stream_type, data) == expected
