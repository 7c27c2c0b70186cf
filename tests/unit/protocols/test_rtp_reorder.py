from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import RtpError
from vigil.protocols.rtp_reorder import ReorderBuffer


def push_all(buf: ReorderBuffer[int], seqs: list[int], now: float = 0.0) -> list[int]:
    out: list[int] = []
    for seq in seqs:
        out += buf.push(seq, seq * 3600, seq, now)
    return out


def test_in_order_passes_straight_through() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    assert buf.push(10, 0, 10, 0.0) == [10]
    assert buf.push(11, 0, 11, 0.0) == [11]
    assert (buf.received, buf.reordered, buf.lost, buf.held) == (2, 0, 0, 0)


def test_swapped_packets_are_put_back_in_order() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    assert push_all(buf, [1, 3, 2, 5, 4, 6]) == [1, 2, 3, 4, 5, 6]
    assert (buf.reordered, buf.lost, buf.duplicates) == (2, 0, 0)


def test_wraparound_keeps_order() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    assert push_all(buf, [65534, 0, 65535, 1]) == [65534, 65535, 0, 1]
    assert buf.lost == 0


def test_gap_is_declared_lost_when_depth_is_reached() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer(depth=3)
    assert push_all(buf, [1, 3, 4]) == [1]
    assert buf.push(5, 0, 5, 0.0) == [3, 4, 5]
    assert buf.lost == 1
    assert buf.push(2, 0, 2, 0.0) == []
    assert buf.late == 1


def test_gap_is_declared_lost_after_max_delay() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer(max_delay=0.1)
    assert buf.push(1, 0, 1, 0.0) == [1]
    assert buf.push(3, 0, 3, 0.01) == []
    assert buf.poll(0.05) == []
    assert buf.poll(0.2) == [3]
    assert buf.lost == 1


def test_duplicates_are_dropped_and_counted() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    assert push_all(buf, [1, 3, 3, 2, 2]) == [1, 2, 3]
    assert buf.duplicates == 1
    assert buf.late == 1


def test_big_forward_jump_restarts_the_sequence() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    assert push_all(buf, [1, 2, 20000, 20001]) == [1, 2, 20000, 20001]
    assert (buf.restarts, buf.lost) == (1, 0)


def test_two_sequential_packets_far_behind_restart_the_sequence() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    assert push_all(buf, [5000, 5001, 100]) == [5000, 5001]
    assert buf.push(101, 0, 101, 0.0) == [101]
    assert buf.push(102, 0, 102, 0.0) == [102]
    assert buf.restarts == 1


def test_flush_releases_everything_in_order() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    assert push_all(buf, [1, 4, 3]) == [1]
    assert buf.flush() == [3, 4]
    assert buf.lost == 1


def test_jitter_follows_rfc3550_a8() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer(clock_rate=90000)
    # Packets 40 ms apart in RTP time; arrivals alternate 0 and 10 ms late.
    for i in range(200):
        buf.push(i, i * 3600, i, i * 0.04 + (0.01 if i % 2 else 0.0))
    # |D| is always 900 ticks, so the estimate converges to 900.
    assert buf.jitter == pytest.approx(900, rel=1e-3)
    assert buf.jitter_seconds == pytest.approx(0.01, rel=1e-3)


def test_constant_transit_has_zero_jitter() -> None:
    buf: ReorderBuffer[int] = ReorderBuffer()
    for i in range(10):
        buf.push(i, i * 3600, i, 5.0 + i * 0.04)
    assert buf.jitter == pytest.approx(0, abs=1e-6)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(RtpError, match="depth ≥ 1"):
        ReorderBuffer(depth=0)


@given(st.integers(0, 0xFFFF), st.integers(2, 200), st.randoms(use_true_random=False))
def test_shuffle_within_depth_restores_order(start: int, count: int, rnd: random.Random) -> None:
    seqs = [(start + i) % 65536 for i in range(count)]
    shuffled = list(seqs)
    # Displace each packet by at most 8 places: within the default depth of 64.
    for i in range(0, count, 8):
        block = shuffled[i : i + 8]
        rnd.shuffle(block)
        shuffled[i : i + 8] = block
    buf: ReorderBuffer[int] = ReorderBuffer()
    first = seqs[0]
    shuffled.remove(first)
    out = push_all(buf, [first, *shuffled]) + buf.flush()
    assert out == seqs
    assert buf.lost == 0


@given(st.lists(st.integers(0, 0xFFFF), max_size=60), st.integers(1, 16))
def test_any_input_is_released_at_most_once(seqs: list[int], depth: int) -> None:
    buf: ReorderBuffer[int] = ReorderBuffer(depth=depth)
    out = []
    for t, seq in enumerate(seqs):
        out += buf.push(seq, 0, seq, t * 0.01)
    out += buf.flush()
    assert len(out) <= len(seqs)
    assert buf.held == 0
