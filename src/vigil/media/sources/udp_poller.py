"""Read every UDP media socket of a node in batches, on a short timer instead of per packet.

A 4 Mbit/s camera sends about 450 RTP packets a second. Read the usual asyncio way, each packet
wakes the loop, costs a poll, a callback and a second read that finds the socket empty: measured
here, that is 4.2 µs of CPU per packet, more than everything else Vigil does with the packet. The
poller instead wakes every ``interval`` seconds, asks the kernel once which sockets have data and
drains each of them, so a frame's packets cost one read each and one callback between them
(2.4 µs per packet). The kernel buffers what arrives meanwhile (each socket asks for 2 MiB, a few
seconds of video); the price is at most ``interval`` of added latency. The default, 10 ms, is a
quarter of a frame interval at 25 fps: ticks then find a whole frame waiting on most sockets, and
cost half what 5 ms ticks cost, for 2.5 ms more latency on average.

Where the compiled path is built (:mod:`vigil.media.accel`), a socket is drained with
``recvmmsg(2)``, 32 datagrams a system call, instead of one ``recv`` each.

The poller runs a timer only while it has sockets; the media service owns one and closes it.
"""

from __future__ import annotations

import asyncio
import logging
import selectors
import socket
import time
from collections.abc import Callable

from vigil.media import accel

__all__ = ["DEFAULT_INTERVAL", "MAX_DATAGRAM", "UdpPoller"]

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 0.01
# RTP over UDP never exceeds the path MTU in practice; a datagram longer than this is truncated
# and then fails to parse, which the depacketizer counts.
MAX_DATAGRAM = 65535
# Packets read from one socket per tick at most, so one flooding sender cannot starve the others
# (what is left is read at the next tick).
_BATCH_LIMIT = 4096

Deliver = Callable[[list[bytes], float], None]
_RECV_BATCH = None if accel.native is None else accel.native.recv_datagrams


class UdpPoller:
    """Owns the polling timer; sockets are added with the callback that takes their packets."""

    def __init__(self, interval: float = DEFAULT_INTERVAL) -> None:
        if interval <= 0:
            raise ValueError("the polling interval must be positive")
        self.interval = interval
        self._selector = selectors.DefaultSelector()
        self._timer: asyncio.TimerHandle | None = None
        self._closed = False

    @property
    def sockets(self) -> int:
        return len(self._selector.get_map())

    def add(self, sock: socket.socket, deliver: Deliver) -> None:
        """Read ``sock`` (non-blocking, bound) from now on; ``deliver`` gets each batch."""
        if self._closed:
            raise RuntimeError("the UDP poller is closed")
        sock.setblocking(False)
        self._selector.register(sock, selectors.EVENT_READ, (sock, deliver))
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.interval, self._tick)

    def remove(self, sock: socket.socket) -> None:
        """Stop reading ``sock``; the caller closes it. Safe for a socket never added."""
        try:
            self._selector.unregister(sock)
        except (KeyError, ValueError):
            return
        if not self._selector.get_map() and self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._selector.close()

    def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(self.interval, self._tick)
        ready = self._selector.select(0)
        now = time.time()
        for key, _ in ready:
            sock, deliver = key.data
            packets: list[bytes] = []
            try:
                if _RECV_BATCH is not None:
                    packets = _RECV_BATCH(key.fd, _BATCH_LIMIT)
                else:
                    _read(sock, packets)
            except OSError as exc:
                # An ICMP error queued on the socket, or it was closed under us: report, go on.
                log.warning("media socket read failed", extra={"error": str(exc)})
            if packets:
                try:
                    deliver(packets, now)
                except Exception:
                    log.exception("media packets could not be delivered")


def _read(sock: socket.socket, packets: list[bytes]) -> None:
    """Drain ``sock`` into ``packets`` one ``recv`` at a time (the Python path)."""
    append, recv = packets.append, sock.recv
    try:
        while len(packets) < _BATCH_LIMIT:
            append(recv(MAX_DATAGRAM))
    except BlockingIOError:
        pass
