"""One stream's RTP endpoint: a port and an SSRC from the pools, a transport, the PS pipeline.

Transports, as GB/T 28181 names them in SDP:

* ``udp``: a datagram socket on the port; every datagram is one RTP packet. The node's
  :class:`~vigil.media.sources.udp_poller.UdpPoller` reads it in batches.
* ``tcp_passive`` (``a=setup:passive`` in our offer): we listen on the port and the device
  connects; RFC 4571 framing. A device that reconnects replaces its earlier connection.
* ``tcp_active`` (``a=setup:active``): the device listens and we connect to the address in its
  answer, from our port; :meth:`RtpReceiver.start` connects (with retries) once ``remote`` is set.

The receiver takes its port and SSRC when it is opened (their numbers go into the INVITE) and gives
both back in :meth:`RtpReceiver.close`, which every path must reach. Frames that arrive before the
hub starts the source (between the device's first packet and the INVITE's 200 OK being handled)
are kept, a bounded number, and delivered at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from typing import Literal

from vigil.media.packet import MediaPacket, StreamKey
from vigil.media.sockets import bound_socket
from vigil.media.sources.base import PacketSink, SourceError, SourceStats
from vigil.media.sources.ports import PortPool
from vigil.media.sources.ps_rtp_compiled import Depacketizer, make_depacketizer
from vigil.media.sources.ssrc import SsrcPool
from vigil.media.sources.udp_poller import UdpPoller
from vigil.protocols.rtp_framing import Rfc4571Framer

__all__ = ["RtpReceiver", "RtpTransport"]

log = logging.getLogger(__name__)

RtpTransport = Literal["udp", "tcp_passive", "tcp_active"]
_EARLY_FRAMES = 256
_CONNECT_ATTEMPTS = 8
_CONNECT_BACKOFF = 0.25


class _Tcp(asyncio.Protocol):
    """One TCP media connection: RFC 4571 frames to the pipeline."""

    def __init__(self, receiver: RtpReceiver) -> None:
        self._receiver = receiver
        self._framer = Rfc4571Framer()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._receiver.attach(self)

    def data_received(self, data: bytes) -> None:
        self._receiver.pipeline.push_batch(self._framer.feed(data), time.time())

    def connection_lost(self, exc: Exception | None) -> None:
        self._receiver.detach(self)


class RtpReceiver:
    """Opened by the media service; a GB source starts and stops it for the hub."""

    def __init__(
        self,
        key: StreamKey,
        transport: RtpTransport,
        host: str,
        ports: PortPool,
        ssrcs: SsrcPool,
        ssrc: str | None = None,
        *,
        poller: UdpPoller,
    ) -> None:
        self.key = key
        self.transport = transport
        self.host = host
        self.remote: tuple[str, int] | None = None
        self._ports = ports
        self._ssrcs = ssrcs
        self._owns_ssrc = ssrc is None
        self.ssrc = ssrcs.acquire() if ssrc is None else ssrc
        self.port = 0
        self._sink: PacketSink | None = None
        self._early: list[MediaPacket] = []
        self._pipeline = make_depacketizer(self._keep_early)
        self._poller = poller
        self._udp: socket.socket | None = None
        self._server: asyncio.Server | None = None
        self._connection: _Tcp | None = None
        self._connect_task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def stats(self) -> SourceStats:
        return self._pipeline.stats

    @property
    def pipeline(self) -> Depacketizer:
        return self._pipeline

    async def open(self) -> None:
        """Take a port and listen on it (UDP, TCP passive) or only reserve it (TCP active)."""
        loop = asyncio.get_running_loop()
        try:
            if self.transport == "udp":
                self.port, udp = await self._ports.bind(self._bound_udp_socket)
                self._udp = udp
                self._poller.add(udp, self._pipeline.push_batch)
            elif self.transport == "tcp_passive":
                self.port, self._server = await self._ports.bind(
                    lambda port: loop.create_server(lambda: _Tcp(self), self.host, port)
                )
            elif self.transport == "tcp_active":
                self.port = self._ports.acquire()
            else:
                raise SourceError(f"unknown RTP transport {self.transport!r}")
        except BaseException:
            await self.close()
            raise

    def attach(self, connection: _Tcp) -> None:
        previous, self._connection = self._connection, connection
        if previous is not None and previous.transport is not None:
            log.info("media connection replaced", extra={"stream": str(self.key)})
            previous.transport.close()

    def detach(self, connection: _Tcp) -> None:
        if self._connection is connection:
            self._connection = None

    async def start(self, sink: PacketSink) -> None:
        """Deliver to ``sink`` from now on (frames that came early first); connect if active."""
        self._sink = sink
        early, self._early = self._early, []
        self._pipeline.set_deliver(sink.publish)
        for packet in early:
            sink.publish(packet)
        if self.transport == "tcp_active":
            if self.remote is None:
                raise SourceError("TCP active media needs the device's address from its answer")
            self._connect_task = asyncio.create_task(
                self._connect(self.remote), name=f"media.rtp.connect:{self.key}"
            )

    async def close(self) -> None:
        """Stop receiving and give the port and SSRC back; safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._connect_task is not None:
                self._connect_task.cancel()
                with contextlib.suppress(BaseException):
                    await self._connect_task
            if self._udp is not None:
                self._poller.remove(self._udp)
                self._udp.close()
            if self._connection is not None and self._connection.transport is not None:
                self._connection.transport.close()
            if self._server is not None:
                self._server.close()
                await self._server.wait_closed()
        finally:
            if self.port:
                self._ports.release(self.port)
                self.port = 0
            if self._owns_ssrc:
                self._ssrcs.release(self.ssrc)
                self._owns_ssrc = False

    def _keep_early(self, packet: MediaPacket) -> None:
        if len(self._early) < _EARLY_FRAMES:
            self._early.append(packet)

    async def _bound_udp_socket(self, port: int) -> socket.socket:
        return bound_socket(self.host, port, socket.SOCK_DGRAM)

    async def _connect(self, remote: tuple[str, int]) -> None:
        loop = asyncio.get_running_loop()
        delay = _CONNECT_BACKOFF
        for attempt in range(1, _CONNECT_ATTEMPTS + 1):
            try:
                sock = bound_socket(self.host, self.port, socket.SOCK_STREAM)
                try:
                    await loop.sock_connect(sock, remote)
                    await loop.create_connection(lambda: _Tcp(self), sock=sock)
                except BaseException:
                    sock.close()
                    raise
                return
            except OSError as exc:
                log.warning(
                    "media connect failed",
                    extra={"stream": str(self.key), "attempt": attempt, "error": str(exc)},
                )
                await asyncio.sleep(delay)
                delay *= 2
        if self._sink is not None:
            self._sink.end(f"could not connect to the device's media port {remote[0]}:{remote[1]}")
