"""The shared-memory ring, both sides in one process: frames arrive intact by slot number, a full
ring drops the newest frame and counts it, a freed slot takes the next."""

from __future__ import annotations

import multiprocessing

import numpy as np
import pytest

from vigil.analytics.frames.ring import FrameRing, RingReader

SHAPE = (48, 64, 3)


def frame(value: int) -> np.ndarray:
    return np.full(SHAPE, value, np.uint8)


def test_frames_pass_by_slot_and_a_full_ring_drops_the_newest() -> None:
    ring = FrameRing(multiprocessing.get_context("spawn"), 2, SHAPE)
    reader = RingReader(ring.handle())
    try:
        assert ring.offer(frame(1), "a") and ring.offer(frame(2), "b")
        assert not ring.offer(frame(3), "c")  # both slots busy: dropped
        assert (ring.offered, ring.dropped) == (3, 1)
        first = reader.next(timeout=5)
        assert first is not None and first[1] == "a"
        assert (reader.frames[first[0]] == 1).all()
        reader.release(first[0])
        assert ring.offer(frame(4), "d")  # the freed slot is used again
        second, third = reader.next(timeout=5), reader.next(timeout=5)
        assert second is not None and third is not None
        assert (second[1], third[1]) == ("b", "d")
        assert (reader.frames[third[0]] == 4).all() and third[0] == first[0]
        ring.finish()
        assert reader.next(timeout=5) is None
    finally:
        reader.close()
        ring.close()


def test_a_frame_of_another_shape_is_refused() -> None:
    ring = FrameRing(multiprocessing.get_context("spawn"), 1, SHAPE)
    try:
        with pytest.raises(ValueError, match="shape"):
            ring.offer(np.zeros((10, 10, 3), np.uint8), None)
    finally:
        ring.close()


def test_drain_takes_every_ready_slot_and_sees_the_end() -> None:
    ring = FrameRing(multiprocessing.get_context("spawn"), 3, SHAPE)
    reader = RingReader(ring.handle())
    try:
        for k in range(3):
            assert ring.offer(frame(k), k)
        ring.finish()
        # A queue's items reach the other end a moment after put: drain takes those there.
        ready: list[tuple[int, object]] = []
        calls, finished = 0, False
        while not finished:
            more, finished = reader.drain(timeout=5)
            ready, calls = ready + more, calls + 1
        assert [meta for _, meta in ready] == [0, 1, 2] and calls <= 4
        assert [int(reader.frames[slot][0, 0, 0]) for slot, _ in ready] == [0, 1, 2]
    finally:
        reader.close()
        ring.close()
