"""The local end of one outgoing RTP stream: the port an SDP answer names, then the connection.

:meth:`MediaEndpoint.open` takes the local port before the 200 OK (the answer must name it): a
connected UDP socket, a TCP listener when the peer will connect (its offer said
``a=setup:active``, so from this side the transport is ``TCP_PASSIVE``), or a bound but
unconnected TCP socket when this side connects (offer ``a=setup:passive``: ``TCP_ACTIVE``), so
the answer can give the port the connection will come from. :meth:`MediaEndpoint.connect` runs at
the ACK: it connects or accepts and returns the :class:`~.sinks.RtpSink` to send on. A TCP peer's
close closes the sink, so the sender sees it go. :meth:`close` is safe at any point, more than
once. The simulator's devices and the cascade's sender both stand on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from vigil.media.outbound.sinks import RtpSink, TcpSink, UdpSink
from vigil.media.sockets import bound_socket
from vigil.protocols.sdp import Transport

__all__ = ["CONNECT_TIMEOUT", "MediaEndpoint"]

#: How long to wait for the peer's TCP connection, or for our own to succeed.
CONNECT_TIMEOUT = 10.0

_Accepted = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class MediaEndpoint:
    """Sockets of one stream sent to ``peer`` over ``transport`` (this side's role)."""

    def __init__(
        self,
        transport: Transport,
        peer: tuple[str, int],
        host: str,
        *,
        name: str = "media.outbound",
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self.transport = transport
        self.peer = peer
        self.host = host
        self.name = name
        self.connect_timeout = connect_timeout
        self.port = 0
        self._udp: asyncio.DatagramTransport | None = None
        self._sock: socket.socket | None = None
        self._server: asyncio.Server | None = None
        self._accepted: asyncio.Future[_Accepted] | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._watcher: asyncio.Task[None] | None = None

    async def open(self, port: int = 0) -> int:
        """Take the local media port (``0``: any); raises ``OSError`` when it is busy."""
        loop = asyncio.get_running_loop()
        if self.transport is Transport.UDP:
            self._udp, _ = await loop.create_datagram_endpoint(
                asyncio.DatagramProtocol, local_addr=(self.host, port), remote_addr=self.peer
            )
            self.port = self._udp.get_extra_info("sockname")[1]
        elif self.transport is Transport.TCP_ACTIVE:
            self._sock = bound_socket(self.host, port, socket.SOCK_STREAM)
            self.port = self._sock.getsockname()[1]
        else:
            accepted: asyncio.Future[_Accepted] = loop.create_future()

            def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                if accepted.done():
                    writer.close()  # one stream, one connection (a=connection:new)
                else:
                    accepted.set_result((reader, writer))

            self._server = await asyncio.start_server(on_connect, self.host, port)
            self._accepted = accepted
            self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def connect(self) -> RtpSink:
        """Connect or accept; raises ``OSError``/``TimeoutError`` when neither works in time."""
        if self._udp is not None:
            return UdpSink(self._udp)
        loop = asyncio.get_running_loop()
        if self._sock is not None:
            sock, self._sock = self._sock, None
            try:
                await asyncio.wait_for(loop.sock_connect(sock, self.peer), self.connect_timeout)
                reader, writer = await asyncio.open_connection(sock=sock)
            except BaseException:
                sock.close()
                raise
        else:
            assert self._accepted is not None and self._server is not None
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.shield(self._accepted), self.connect_timeout
                )
            finally:
                self._server.close()
        self._writer = writer
        self._watcher = asyncio.create_task(self._watch(reader, writer), name=f"{self.name}.watch")
        return TcpSink(writer)

    @staticmethod
    async def _watch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read (and drop) what the peer sends back, so its close ends the stream."""
        with contextlib.suppress(ConnectionError, OSError):
            while await reader.read(65536):
                pass
        writer.close()

    def close(self) -> None:
        """Release every socket (idempotent)."""
        if self._watcher is not None:
            self._watcher.cancel()
        if self._udp is not None:
            self._udp.close()
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._server is not None:
            self._server.close()
        accepted = self._accepted
        if accepted is not None:
            if accepted.done() and not accepted.cancelled():
                accepted.result()[1].close()
            else:
                accepted.cancel()
        if self._writer is not None:
            self._writer.close()
