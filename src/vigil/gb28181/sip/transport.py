"""The SIP endpoint: one UDP socket and one TCP listener on the same port, bytes to messages.

Everything that faces the network is bounded here: a datagram is at most ``MAX_MESSAGE_SIZE``
(the parser refuses more), a TCP connection buffers at most one message, and accepted TCP
connections are capped per host and in all, must deliver a first message soon and are closed
when idle (:mod:`.tcp_limits`); a connection over a cap is closed at once, with one warning a
minute per cap however many follow. Each TCP connection is served by its own named task, which
is cancelled when the endpoint stops. Bad input never reaches the transaction layer: a request
whose header block can still be read gets a 400 with the parser's reason, anything else is
dropped; either way one warning names the peer, at most ``BAD_INPUT_LOGS_PER_MINUTE`` times a
minute per address so a flood cannot fill the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from vigil.gb28181.sip.budget import RateBudget
from vigil.gb28181.sip.tcp_limits import TcpAdmission, TcpLimits
from vigil.protocols.errors import ProtocolError
from vigil.protocols.sip import (
    MAX_MESSAGE_SIZE,
    SipMessage,
    SipRequest,
    StreamParser,
    is_keepalive,
    make_response,
    parse_message,
)

__all__ = ["Peer", "SipEndpoint"]

log = logging.getLogger(__name__)

#: Warnings about bad input per peer address and minute.
BAD_INPUT_LOGS_PER_MINUTE = 5
_READ_CHUNK = 65536
#: Bytes asked for the UDP socket's receive buffer (the kernel caps it at net.core.rmem_max).
#: 10,000 devices send some 400 requests a second; Linux's default 208 KiB holds half a second
#: of them, so a pause of the loop (a large API answer) would drop the rest, and a device gives
#: a NOTIFY up after 16 s of retransmissions.
UDP_RECEIVE_BUFFER = 8 * 1024 * 1024

MessageHandler = Callable[[SipMessage, "Peer"], None]


@dataclass(frozen=True, slots=True)
class Peer:
    """Where a message came from and where its answer goes: transport, address and port."""

    transport: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def reliable(self) -> bool:
        return self.transport == "tcp"

    def __str__(self) -> str:
        return f"{self.transport}:{self.host}:{self.port}"


def salvage_request(data: bytes) -> SipRequest | None:
    """The request in ``data`` without its body, if its header block alone parses.

    A wrong Content-Length, a truncated body or a body the platform refuses still leaves a header
    block good enough to address a 400 to; a broken header block does not, and gets silence.
    """
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = [
        line for line in data[:end].split(b"\r\n") if not line.lower().startswith(b"content-length")
    ]
    try:
        message = parse_message(b"\r\n".join(lines) + b"\r\n\r\n")
    except ProtocolError:
        return None
    return message if isinstance(message, SipRequest) and message.method != "ACK" else None


def reason_phrase(error: Exception) -> str:
    """A reason phrase from an error: printable ASCII on one line, short."""
    text = "".join(ch if " " <= ch <= "~" else "?" for ch in str(error))
    return text[:120] or "Bad Request"


class _BadInputLog:
    """Per-address budget for warnings, so one noisy peer costs a few log lines a minute."""

    def __init__(self) -> None:
        self._budget = RateBudget(BAD_INPUT_LOGS_PER_MINUTE)

    def warn(self, peer: Peer, what: str, error: Exception) -> None:
        if self._budget.take(peer.host, time.monotonic()):
            log.warning(
                "bad SIP input",
                extra={"peer": str(peer), "what": what, "error": reason_phrase(error)},
            )


class _UdpProtocol(asyncio.DatagramProtocol):
    def __init__(self, endpoint: SipEndpoint) -> None:
        self._endpoint = endpoint

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        host, port = str(addr[0]), int(str(addr[1]))
        self._endpoint._received_datagram(data, Peer("udp", host, port))

    def error_received(self, exc: Exception) -> None:
        log.debug("UDP error", extra={"error": str(exc)})


class SipEndpoint:
    """UDP and TCP on one address; hands every parsed message to ``on_message(message, peer)``."""

    def __init__(self, on_message: MessageHandler) -> None:
        self._on_message = on_message
        self._udp: asyncio.DatagramTransport | None = None
        self._server: asyncio.Server | None = None
        self._tcp: dict[tuple[str, int], asyncio.StreamWriter] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._bad = _BadInputLog()
        self._admission: TcpAdmission | None = None
        self._cap_warnings = RateBudget(1)
        self.udp_port = 0
        self.tcp_port = 0

    async def start(self, host: str, port: int, limits: TcpLimits) -> None:
        """Bind UDP then TCP; with ``port`` 0 the TCP listener takes the UDP socket's port.
        Accepted TCP connections are held to ``limits``."""
        self._admission = TcpAdmission(limits)
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _UdpProtocol(self), local_addr=(host, port)
        )
        self._udp = transport
        self.udp_port = int(transport.get_extra_info("sockname")[1])
        _enlarge_receive_buffer(transport)
        try:
            self._server = await asyncio.start_server(
                self._serve_tcp, host, self.udp_port, limit=MAX_MESSAGE_SIZE
            )
        except OSError:
            transport.close()
            self._udp = None
            raise
        self.tcp_port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Close the sockets and every TCP connection, and wait for their tasks to end."""
        if self._server is not None:
            self._server.close()
        for writer in list(self._tcp.values()):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None
        if self._udp is not None:
            self._udp.close()
            self._udp = None
        self._tcp.clear()

    def send(self, peer: Peer, data: bytes) -> bool:
        """Write ``data`` to ``peer``; False when there is no socket or connection for it."""
        if peer.transport == "udp":
            if self._udp is None:
                return False
            self._udp.sendto(data, (peer.host, peer.port))
            return True
        writer = self._tcp.get((peer.host, peer.port))
        if writer is None or writer.is_closing():
            return False
        writer.write(data)
        return True

    def connected(self, peer: Peer) -> bool:
        """Whether a TCP peer still has its connection open (UDP peers always do)."""
        return peer.transport == "udp" or (peer.host, peer.port) in self._tcp

    def _received_datagram(self, data: bytes, peer: Peer) -> None:
        if is_keepalive(data):
            return
        try:
            message = parse_message(data)
        except ProtocolError as exc:
            self._refuse(data, peer, exc)
            return
        self._on_message(message, peer)

    def _refuse(self, data: bytes, peer: Peer, error: ProtocolError) -> None:
        self._bad.warn(peer, "message", error)
        request = salvage_request(data[:MAX_MESSAGE_SIZE])
        if request is not None:
            status = error.status_hint if 400 <= error.status_hint < 600 else 400
            self.send(peer, bytes(make_response(request, status, reason_phrase(error))))

    def bad_input(self, peer: Peer, what: str, error: Exception) -> None:
        """Layers above report refused input here: all bad-input logging is rate-limited alike."""
        self._bad.warn(peer, what, error)

    async def connect(self, host: str, port: int) -> Peer:
        """A TCP connection to ``host:port`` (an upper platform), opened unless one is open, and
        served like an accepted one: requests and responses on it reach ``on_message``."""
        peer = Peer("tcp", host, port)
        writer = self._tcp.get((host, port))
        if writer is not None and not writer.is_closing():
            return peer
        reader, writer = await asyncio.open_connection(host, port, limit=MAX_MESSAGE_SIZE)
        self._tcp[(host, port)] = writer
        task = asyncio.get_running_loop().create_task(
            self._serve_connection(reader, writer, peer, None), name=f"sip.tcp-out:{peer.address}"
        )
        self._tasks.add(task)
        return peer

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("peername")
        peer = Peer("tcp", str(address[0]), int(address[1]))
        task, admission = asyncio.current_task(), self._admission
        if task is None or admission is None:  # stopping
            writer.close()
            return
        cap = admission.admit(peer.host)
        if cap is not None:
            self._refuse_connection(peer, cap, admission.limits)
            writer.close()
            return
        task.set_name(f"sip.tcp:{peer.address}")
        self._tasks.add(task)
        self._tcp[(peer.host, peer.port)] = writer
        try:
            await self._serve_connection(reader, writer, peer, admission.limits)
        finally:
            admission.release(peer.host)

    def _refuse_connection(self, peer: Peer, cap: str, limits: TcpLimits) -> None:
        """One warning a minute per cap, saying how many were refused since the last one."""
        if self._cap_warnings.take(cap, time.monotonic()):
            limit = limits.total if cap == "total" else limits.per_address
            refused = self._cap_warnings.take_skipped()
            log.warning(
                "SIP TCP connection refused: cap reached",
                extra={"peer": str(peer), "cap": cap, "limit": limit, "refused_since": refused},
            )

    async def _serve_connection(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        peer: Peer,
        limits: TcpLimits | None,
    ) -> None:
        task = asyncio.current_task()
        try:
            await self._read_stream(reader, peer, limits)
        except (ConnectionError, OSError) as exc:
            log.debug("TCP connection lost", extra={"peer": str(peer), "error": str(exc)})
        finally:
            if self._tcp.get((peer.host, peer.port)) is writer:
                del self._tcp[(peer.host, peer.port)]
            if task is not None:
                self._tasks.discard(task)
            writer.close()

    async def _read_stream(
        self, reader: asyncio.StreamReader, peer: Peer, limits: TcpLimits | None
    ) -> None:
        """Feed the parser until the peer closes, breaks the stream or (with ``limits``) is
        silent too long: no complete message within ``first_message`` seconds of connecting,
        then within ``idle`` seconds of the last one."""
        loop = asyncio.get_running_loop()
        parser = StreamParser()
        deadline = loop.time() + limits.first_message if limits is not None else None
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    data = await reader.read(_READ_CHUNK)
            except TimeoutError:
                log.debug("idle SIP TCP connection closed", extra={"peer": str(peer)})
                return
            if not data:
                return
            try:
                messages = parser.feed(data)
            except ProtocolError as exc:
                self._bad.warn(peer, "stream", exc)
                return
            for message in messages:
                self._on_message(message, peer)
            if messages and limits is not None:
                deadline = loop.time() + limits.idle


def _enlarge_receive_buffer(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, UDP_RECEIVE_BUFFER)
        size = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    except OSError as exc:
        log.warning("SIP UDP receive buffer not enlarged", extra={"error": str(exc)})
        return
    log.info("SIP UDP receive buffer", extra={"bytes": size})
