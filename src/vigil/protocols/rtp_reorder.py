"""Put RTP packets back in sequence order, within a bounded depth and delay.

UDP delivers packets late, twice or not at all; the PS demuxer needs them in order and must be
told when one is gone. The buffer holds out-of-order packets until the gap fills, or until it holds
``depth`` packets or the oldest has waited ``max_delay`` seconds; then it declares the missing
packets lost and moves on. The caller passes the arrival time (sans-I/O: no clock is read here).

Statistics follow RFC 3550: sequence numbers are extended across the 16-bit wrap (§A.1), a jump
beyond ``MAX_DROPOUT`` or two consecutive packets far behind restart the sequence (§A.1), and
interarrival jitter is the running estimate of §6.4.1 / §A.8, in timestamp units.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from vigil.protocols.errors import RtpError

__all__ = ["MAX_DROPOUT", "MAX_MISORDER", "ReorderBuffer"]

# RFC 3550 §A.1: a forward jump this large is a restart, not loss; a packet this far behind is
# stale.
MAX_DROPOUT = 3000
MAX_MISORDER = 100
_SEQ_MOD = 1 << 16
_HALF = 1 << 15

T = TypeVar("T")


class ReorderBuffer(Generic[T]):
    """Release items in RTP sequence order; ``push`` returns the items now in order.

    ``item`` is whatever the caller wants back (the raw packet, a payload view); the buffer reads
    only ``seq``, ``timestamp`` and the arrival time ``now`` (seconds). The first packet pushed
    starts the sequence and is released at once. ``duplicates`` counts
    copies of a packet still held; ``late`` counts packets whose place was already released or
    declared lost (a late copy of a released packet included: no history is kept).
    """

    __slots__ = (
        "_bad_seq",
        "_clock_rate",
        "_depth",
        "_highest",
        "_jitter",
        "_last_transit",
        "_max_delay",
        "_next",
        "_pending",
        "duplicates",
        "late",
        "lost",
        "received",
        "reordered",
        "restarts",
    )

    def __init__(self, *, depth: int = 64, max_delay: float = 0.2, clock_rate: int = 90000) -> None:
        if depth < 1 or max_delay < 0 or clock_rate <= 0:
            raise RtpError("reorder buffer needs depth ≥ 1, max_delay ≥ 0 and a positive clock")
        self._depth = depth
        self._max_delay = max_delay
        self._clock_rate = clock_rate
        self._pending: dict[int, tuple[T, float]] = {}
        self._next = -1
        self._highest = -1
        self._bad_seq = -1
        self._last_transit: float | None = None
        self._jitter = 0.0
        self.received = 0
        self.lost = 0
        self.duplicates = 0
        self.reordered = 0
        self.late = 0
        self.restarts = 0

    @property
    def jitter(self) -> float:
        """RFC 3550 interarrival jitter in timestamp units."""
        return self._jitter

    @property
    def jitter_seconds(self) -> float:
        return self._jitter / self._clock_rate

    @property
    def held(self) -> int:
        return len(self._pending)

    def push(self, seq: int, timestamp: int, item: T, now: float) -> list[T]:
        """Accept one packet that arrived at ``now``; return every item that is now in order."""
        if self._next < 0:
            self._start(seq)
        # §A.1: the extended sequence number nearest the highest seen.
        highest = self._highest
        delta = (seq - highest) % _SEQ_MOD
        ext = highest + delta if delta < _HALF else highest + delta - _SEQ_MOD
        if ext == self._next and ext >= highest and not self._pending:
            # The common case: the next packet in order, nothing held (jitter update inlined).
            self._highest = ext
            self._next = ext + 1
            self._bad_seq = -1
            self.received += 1
            transit = now * self._clock_rate - timestamp
            last = self._last_transit
            if last is not None:
                self._jitter += (abs(transit - last) - self._jitter) / 16
            self._last_transit = transit
            return [item]
        if ext < self._next:
            return self._behind(seq, ext, timestamp, item, now)
        if ext >= self._next + MAX_DROPOUT:
            out = self._drain()
            self.restarts += 1
            self._start(seq)
            ext = self._next
        elif ext in self._pending:
            self.duplicates += 1
            return []
        else:
            out = []
        self._bad_seq = -1
        self.received += 1
        self._update_jitter(timestamp, now)
        if ext < self._highest:
            self.reordered += 1
        else:
            self._highest = ext
        if ext == self._next and not self._pending:
            self._next += 1
            out.append(item)
            return out
        self._pending[ext] = (item, now)
        out.extend(self._release(now))
        return out

    def poll(self, now: float) -> list[T]:
        """Release what has waited past ``max_delay`` though no packet came (call on a timer)."""
        return self._release(now) if self._pending else []

    def flush(self) -> list[T]:
        """Release everything held, in order, counting the gaps as lost (end of stream)."""
        return self._drain()

    def _start(self, seq: int) -> None:
        self._next = self._highest = seq
        self._last_transit = None

    def _behind(self, seq: int, ext: int, timestamp: int, item: T, now: float) -> list[T]:
        if ext >= self._next - MAX_MISORDER:
            self.late += 1
            return []
        # §A.1: far behind twice in a row means the sender restarted its sequence.
        if seq != self._bad_seq:
            self._bad_seq = (seq + 1) % _SEQ_MOD
            self.late += 1
            return []
        out = self._drain()
        self.restarts += 1
        self._start(seq)
        return out + self.push(seq, timestamp, item, now)

    def _update_jitter(self, timestamp: int, now: float) -> None:
        transit = now * self._clock_rate - timestamp
        if self._last_transit is not None:
            d = abs(transit - self._last_transit)
            self._jitter += (d - self._jitter) / 16
        self._last_transit = transit

    def _release(self, now: float) -> list[T]:
        out: list[T] = []
        pending = self._pending
        while pending:
            entry = pending.pop(self._next, None)
            if entry is not None:
                out.append(entry[0])
                self._next += 1
                continue
            oldest = min(pending)
            if len(pending) < self._depth and now - pending[oldest][1] < self._max_delay:
                break
            self.lost += oldest - self._next
            self._next = oldest
        return out

    def _drain(self) -> list[T]:
        out: list[T] = []
        for ext in sorted(self._pending):
            self.lost += ext - self._next
            out.append(self._pending[ext][0])
            self._next = ext + 1
        self._pending.clear()
        return out
