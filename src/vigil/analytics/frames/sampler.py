"""Decoding only what analysis needs: a file or stream decoded with PyAV, sampled at N fps.

Every frame of a stream must be decoded (later frames are predicted from it), but only the sampled
ones are converted to RGB, which costs as much as decoding. With ``keyframes_only`` only keyframe
packets reach the decoder (keyframes need nothing else), for cameras watched slowly; it then
threads within a picture only (``"SLICE"``), as frame threading would hold several keyframes back.
Decoding uses FFmpeg's threads (``thread_type = "AUTO"``). A frame's number is its presentation time
times the stream's frame rate, so it names the same picture however the stream was sampled.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import av
import numpy as np

__all__ = ["FrameSampler", "SampledFrame"]

_EPSILON = 1e-6


@dataclass(frozen=True)
class SampledFrame:
    """One sampled picture: its number in the source, its time (s) and its pixels (H×W×3 RGB)."""

    index: int
    time: float
    image: np.ndarray


@dataclass
class FrameSampler:
    """Frames of ``source`` (a path or URL) at ``fps`` (``None``: every frame), or exactly the frame
    numbers of ``frames``; from ``start`` seconds on. :attr:`decoded` and :attr:`sampled` count."""

    source: str | Path
    fps: float | None = 5.0
    keyframes_only: bool = False
    start: float = 0.0
    frames: frozenset[int] | None = None
    options: dict[str, str] = field(default_factory=dict)
    decoded: int = 0
    sampled: int = 0

    def __iter__(self) -> Iterator[SampledFrame]:
        with av.open(str(self.source), options=self.options) as container:
            stream = container.streams.video[0]
            stream.thread_type = "SLICE" if self.keyframes_only else "AUTO"
            if self.start > 0 and stream.time_base is not None:
                container.seek(int(self.start / stream.time_base), stream=stream)
            rate = float(stream.average_rate or 0)
            frames: Iterator[av.VideoFrame] = container.decode(stream)
            if self.keyframes_only:
                # The empty packet at the end flushes the decoder.
                packets = (p for p in container.demux(stream) if p.is_keyframe or not p.size)
                frames = (f for p in packets for f in stream.decode(p))
            yield from self._sample(frames, rate)

    def _sample(self, decoded: Iterator[av.VideoFrame], rate: float) -> Iterator[SampledFrame]:
        due = self.start
        last = max(self.frames) if self.frames else None
        for count, frame in enumerate(decoded):
            self.decoded += 1
            time = float(frame.time) if frame.time is not None else count / (rate or 1)
            index = round(time * rate) if rate else count
            if time + _EPSILON < self.start:
                continue
            if self.frames is not None:
                wanted = index in self.frames
            else:
                wanted = self.fps is None or time + _EPSILON >= due
            if not wanted:
                continue
            while self.fps is not None and due <= time + _EPSILON:
                due += 1 / self.fps
            self.sampled += 1
            yield SampledFrame(index, time, frame.to_ndarray(format="rgb24"))
            if index == last:
                return
