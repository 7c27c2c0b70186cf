"""Source timestamps made fit for a muxer: start at zero, only move forward, survive wraps.

Cameras send 90 kHz timestamps on their own clock. In MPEG-PS they are 33-bit and wrap every
26.5 hours, and a camera that restarts or a lower platform that switches streams makes them jump
back or far ahead. A muxer refuses a DTS that does not increase, so each segment puts its frames
on its own clock: the DTS step of a plausible frame is kept, and an implausible step (zero,
backwards or longer than ``MAX_STEP``) is replaced by the last plausible one.
"""

from __future__ import annotations

__all__ = ["MAX_STEP", "WRAP", "Timeline"]

WRAP = 1 << 33
MAX_STEP = 10 * 90_000
_DEFAULT_STEP = 3_600  # one frame at 25 fps


class Timeline:
    """Maps (pts, dts) of consecutive frames to a clock starting at 0 (90 kHz ticks)."""

    __slots__ = ("_last_source", "_out", "step")

    def __init__(self) -> None:
        self._last_source: int | None = None
        self._out = 0
        self.step = _DEFAULT_STEP

    def place(self, pts: int, dts: int) -> tuple[int, int]:
        """The frame's (pts, dts) on this timeline; pts never falls below dts."""
        if self._last_source is not None:
            delta = (dts - self._last_source) % WRAP
            if 0 < delta <= MAX_STEP:
                self.step = delta
            else:
                delta = self.step
            self._out += delta
        self._last_source = dts
        offset = (pts - dts) % WRAP
        if offset > MAX_STEP:  # pts before dts, or garbage: show the frame when it is decoded
            offset = 0
        return self._out + offset, self._out

    @property
    def end(self) -> int:
        """Where the next frame would go: the last DTS plus one plausible step."""
        return self._out + self.step
