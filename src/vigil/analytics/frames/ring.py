"""A small ring of frame slots in shared memory, between a decoding process and a worker.

The producer copies a frame into a free slot and sends only the slot's number (and the frame's
metadata) through a queue; the worker reads the pixels in place and frees the slot when done. Each
slot's state is one byte at the head of the block (0 free, 1 full): the producer alone sets it to 1,
the worker alone back to 0, and the queue's send orders the pixels before the number. When every
slot is full the newest frame is dropped and counted (:attr:`FrameRing.dropped`): a worker that
falls behind loses frames, and nothing queues without bound.
"""

from __future__ import annotations

import math
import queue
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from multiprocessing.queues import Queue
from multiprocessing.shared_memory import SharedMemory
from typing import Any

import numpy as np

__all__ = ["FrameRing", "RingHandle", "RingReader"]

_FREE, _FULL = 0, 1
_HEADER = 64  # slot states, then the slots from a cache-line boundary


@dataclass(frozen=True)
class RingHandle:
    """What a worker needs to attach to a ring (picklable: passed to the process)."""

    name: str
    slots: int
    shape: tuple[int, int, int]
    ready: Queue[tuple[int, Any] | None]


def _views(
    memory: SharedMemory, slots: int, shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    states = np.ndarray((slots,), np.uint8, memory.buf, 0)
    frames = np.ndarray((slots, *shape), np.uint8, memory.buf, _HEADER)
    return states, frames


class FrameRing:
    """The producer's side: ``slots`` slots of frames of ``shape`` (H, W, 3)."""

    def __init__(self, context: BaseContext, slots: int, shape: tuple[int, int, int]) -> None:
        if not 0 < slots <= _HEADER:
            raise ValueError(f"slots must be 1 to {_HEADER}, not {slots}")
        self.shape = shape
        self.memory = SharedMemory(create=True, size=_HEADER + slots * math.prod(shape))
        self.states, self.frames = _views(self.memory, slots, shape)
        self.states[:] = _FREE
        self.ready: Queue[tuple[int, Any] | None] = context.Queue(slots + 1)
        self.offered = 0
        self.dropped = 0

    def handle(self) -> RingHandle:
        """The handle a worker attaches with."""
        return RingHandle(self.memory.name, len(self.states), self.shape, self.ready)

    def offer(self, frame: np.ndarray, meta: Any) -> bool:
        """Put ``frame`` in a free slot for the worker; ``False`` (dropped, counted) if none is."""
        if frame.shape != self.shape:
            raise ValueError(f"frame of shape {frame.shape} in a ring of {self.shape}")
        self.offered += 1
        free = np.flatnonzero(self.states == _FREE)
        if not len(free):
            self.dropped += 1
            return False
        slot = int(free[0])
        self.frames[slot] = frame
        self.states[slot] = _FULL
        self.ready.put((slot, meta))
        return True

    def finish(self) -> None:
        """Tell the worker that no more frames come (it ends after those it holds)."""
        self.ready.put(None)

    def close(self) -> None:
        """Free the block (a worker still attached keeps its mapping until it detaches)."""
        del self.states, self.frames
        self.memory.close()
        self.memory.unlink()


class RingReader:
    """The worker's side of a ring."""

    def __init__(self, handle: RingHandle) -> None:
        self.memory = SharedMemory(name=handle.name)
        self.states, self.frames = _views(self.memory, handle.slots, handle.shape)
        self.ready = handle.ready

    def next(self, timeout: float | None = None) -> tuple[int, Any] | None:
        """The next full slot and its metadata; ``None`` once the producer finished (or timeout)."""
        try:
            return self.ready.get(timeout=timeout)
        except queue.Empty:
            return None

    def drain(self, timeout: float | None = None) -> tuple[list[tuple[int, Any]], bool]:
        """Every full slot ready now (waiting for the first), and whether the producer finished."""
        first = self.next(timeout)
        if first is None:
            return [], True
        ready = [first]
        while len(ready) < len(self.states):
            try:
                item = self.ready.get_nowait()
            except queue.Empty:
                break
            if item is None:
                return ready, True
            ready.append(item)
        return ready, False

    def release(self, slot: int) -> None:
        """Hand ``slot`` back to the producer."""
        self.states[slot] = _FREE

    def close(self) -> None:
        """Detach from the block."""
        del self.states, self.frames
        self.memory.close()
