from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import RtpError
from vigil.protocols.rtp import build_rtp_header
from vigil.protocols.rtp_framing import Rfc4571Framer, frame_rfc4571

SSRC = 100000001


def packet(seq: int, size: int = 40, ssrc: int = SSRC) -> bytes:
    return build_rtp_header(96, seq, seq * 3600, ssrc) + bytes([seq & 0xFF]) * size


PACKETS = [packet(i, 20 + 7 * i) for i in range(6)]
STREAM = b"".join(map(frame_rfc4571, PACKETS))


def feed_all(framer: Rfc4571Framer, data: bytes, step: int) -> list[bytes]:
    out = []
    for i in range(0, len(data), step):
        out += framer.feed(data[i : i + step])
    return out


@pytest.mark.parametrize("step", [1, 2, 3, 13, 14, 50, 1000])
def test_any_chunking_yields_the_packets(step: int) -> None:
    framer = Rfc4571Framer()
    assert feed_all(framer, STREAM, step) == PACKETS
    assert (framer.packets, framer.resyncs, framer.skipped_bytes, framer.buffered) == (6, 0, 0, 0)


def test_garbage_between_packets_is_skipped_and_counted() -> None:
    junk = b"\xff\x13\x00garbage!"
    data = frame_rfc4571(PACKETS[0]) + junk + b"".join(map(frame_rfc4571, PACKETS[1:]))
    for step in (1, 7, len(data)):
        framer = Rfc4571Framer()
        assert feed_all(framer, data, step) == PACKETS
        assert (framer.resyncs, framer.skipped_bytes) == (1, len(junk))


def test_garbage_before_any_packet_resyncs_by_version() -> None:
    junk = b"\x00\x05\x10\x20\x30"
    framer = Rfc4571Framer()
    assert framer.feed(junk + STREAM) == PACKETS
    assert (framer.resyncs, framer.skipped_bytes) == (1, len(junk))


def test_implausible_length_is_garbage() -> None:
    framer = Rfc4571Framer(max_length=1500)
    bogus = b"\xff\xff" + PACKETS[0][:12]
    assert framer.feed(bogus + STREAM) == PACKETS
    assert framer.skipped_bytes == len(bogus)


def test_configured_ssrc_rejects_other_sources() -> None:
    stranger = frame_rfc4571(packet(9, ssrc=7))
    framer = Rfc4571Framer(ssrc=SSRC, payload_type=96)
    assert framer.feed(stranger + STREAM) == PACKETS
    assert framer.skipped_bytes == len(stranger)


def test_new_ssrc_after_restart_is_found_again() -> None:
    restarted = [packet(i, ssrc=42) for i in range(3)]
    tail = b"".join(map(frame_rfc4571, restarted))
    framer = Rfc4571Framer()
    assert framer.feed(STREAM + b"\x01\x02\x03" + tail) == PACKETS + restarted


def test_frame_rejects_empty_and_oversized() -> None:
    with pytest.raises(RtpError, match=r"RFC 4571 frame length 0 must be 1\.\.65535"):
        frame_rfc4571(b"")
    with pytest.raises(RtpError, match="12 ≤ min_length ≤ max_length ≤ 65535"):
        Rfc4571Framer(max_length=10)


@given(
    st.lists(st.tuples(st.integers(0, 0xFFFF), st.integers(0, 300)), min_size=1, max_size=8),
    st.lists(st.integers(1, 200), min_size=1, max_size=20),
)
def test_round_trip_any_split(specs: list[tuple[int, int]], steps: list[int]) -> None:
    sent = [packet(seq, size) for seq, size in specs]
    data = b"".join(map(frame_rfc4571, sent))
    framer = Rfc4571Framer()
    received = []
    at = 0
    i = 0
    while at < len(data):
        step = steps[i % len(steps)]
        received += framer.feed(data[at : at + step])
        at += step
        i += 1
    assert received == sent
    assert framer.skipped_bytes == 0


@given(st.binary(max_size=300), st.integers(1, 64))
def test_arbitrary_bytes_never_raise(data: bytes, step: int) -> None:
    framer = Rfc4571Framer()
    for at in range(0, len(data), step):
        for p in framer.feed(data[at : at + step]):
            assert p[0] >> 6 == 2
    assert framer.buffered <= len(data)
