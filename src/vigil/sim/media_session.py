"""The media half of one call: the socket the SDP answer names, and the stream sent on it.

:meth:`MediaSession.open` takes the local port before the 200 OK (the answer must name it):
a connected UDP socket, a TCP listener when the platform will connect (its offer said
``a=setup:active``), or a bound but unconnected TCP socket when the device connects (offer
``a=setup:passive``), so the answer can give the port the connection will come from.
:meth:`MediaSession.start` runs at the ACK: it connects or accepts, and starts the
:class:`~vigil.sim.streamer.Streamer`. Every path closes every socket: :meth:`close` is safe to
call at any point, more than once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
from collections.abc import Callable

from vigil.protocols.mansrtsp import MansrtspRequest, Method
from vigil.protocols.sdp import Transport
from vigil.sim.sdp_answer import MediaPlan
from vigil.sim.streamer import RtpSink, Streamer, TcpSink, UdpSink, pts_for
from vigil.sim.video import GopLoop

__all__ = ["MediaSession"]

log = logging.getLogger(__name__)

#: How long the device waits for the platform's TCP connection, or for its own to succeed.
CONNECT_TIMEOUT = 10.0


class MediaSession:
    """Sockets and stream of one INVITE; ``on_end(complete)`` fires when the stream stops."""

    def __init__(
        self,
        plan: MediaPlan,
        gop: GopLoop,
        *,
        host: str,
        name: str,
        on_end: Callable[[bool], None],
    ) -> None:
        self.plan = plan
        self.gop = gop
        self.host = host
        self.name = name
        self.streamer: Streamer | None = None
        self._on_end = on_end
        self._udp: asyncio.DatagramTransport | None = None
        self._sock: socket.socket | None = None
        self._server: asyncio.Server | None = None
        self._accepted: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]] | None
        self._accepted = None
        self._watcher: asyncio.Task[None] | None = None
        self.port = 0

    async def open(self) -> int:
        """Take the local media port named in the answer."""
        loop = asyncio.get_running_loop()
        transport = self.plan.transport
        if transport is Transport.UDP:
            self._udp, _ = await loop.create_datagram_endpoint(
                asyncio.DatagramProtocol, local_addr=(self.host, 0), remote_addr=self.plan.peer
            )
            self.port = self._udp.get_extra_info("sockname")[1]
        elif transport is Transport.TCP_ACTIVE:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            sock.bind((self.host, 0))
            self._sock = sock
            self.port = sock.getsockname()[1]
        else:
            accepted = loop.create_future()
            self._accepted = accepted

            def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                if accepted.done():
                    writer.close()  # one stream, one connection (a=connection:new)
                else:
                    accepted.set_result((reader, writer))

            self._server = await asyncio.start_server(on_connect, self.host, 0)
            self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def start(self) -> None:
        """Connect or accept, then stream; raises ``OSError``/``TimeoutError`` if neither works."""
        sink = await self._sink()
        plan = self.plan
        base = pts_for(plan.start) if plan.history else random.getrandbits(32)
        self.streamer = Streamer(
            self.gop,
            sink,
            ssrc=int(plan.ssrc),
            pts_base=base,
            duration=plan.duration,
            speed=plan.speed,
            name=f"sim.stream:{self.name}",
            on_end=self._on_end,
        )
        self.streamer.start()

    async def _sink(self) -> RtpSink:
        if self._udp is not None:
            return UdpSink(self._udp)
        loop = asyncio.get_running_loop()
        if self._sock is not None:
            sock, self._sock = self._sock, None
            try:
                await asyncio.wait_for(loop.sock_connect(sock, self.plan.peer), CONNECT_TIMEOUT)
                reader, writer = await asyncio.open_connection(sock=sock)
            except BaseException:
                sock.close()
                raise
        else:
            assert self._accepted is not None and self._server is not None
            try:
                reader, writer = await asyncio.wait_for(self._accepted, CONNECT_TIMEOUT)
            finally:
                self._server.close()
        self._watcher = asyncio.create_task(
            self._watch(reader, writer), name=f"sim.stream.watch:{self.name}"
        )
        return TcpSink(writer)

    @staticmethod
    async def _watch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read (and drop) what the platform sends back, so its close ends the stream."""
        with contextlib.suppress(ConnectionError, OSError):
            while await reader.read(65536):
                pass
        writer.close()

    def control(self, request: MansrtspRequest) -> bool:
        """Apply a MANSRTSP PLAY/PAUSE/TEARDOWN; False if there is no stream to control."""
        streamer = self.streamer
        if streamer is None:
            return False
        if request.method is Method.PAUSE:
            streamer.pause()
        elif request.method is Method.PLAY:
            position = None if request.range is None else request.range.start
            streamer.play(scale=request.scale, position=position)
        else:
            asyncio.get_running_loop().create_task(self.close(), name=f"sim.teardown:{self.name}")
        log.info(
            "playback control",
            extra={"stream": self.name, "method": request.method.value, "scale": request.scale},
        )
        return True

    async def close(self) -> None:
        """Stop the stream and release every socket (idempotent)."""
        if self.streamer is not None:
            await self.streamer.stop()
        if self._watcher is not None:
            self._watcher.cancel()
        if self._udp is not None:
            self._udp.close()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._server is not None:
            self._server.close()
        if self._accepted is not None and self._accepted.done() and not self._accepted.cancelled():
            self._accepted.result()[1].close()
