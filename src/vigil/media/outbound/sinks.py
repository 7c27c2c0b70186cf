"""Where outgoing RTP packets go: a connected UDP socket, or a TCP stream with RFC 4571 framing.

``drain`` applies the peer's back-pressure (TCP); ``closed`` is the peer going away. Both sinks
are used by the simulator's streamer and by the cascade's sender, which pick them through
:class:`~vigil.media.outbound.endpoint.MediaEndpoint`.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from vigil.protocols.rtp_framing import frame_rfc4571

__all__ = ["RtpSink", "TcpSink", "UdpSink"]


class RtpSink(Protocol):
    """Where packets go; ``drain`` applies back-pressure, ``closed`` is the peer going away."""

    @property
    def closed(self) -> bool: ...

    def send(self, packets: list[bytes]) -> None: ...

    async def drain(self) -> None: ...

    def close(self) -> None: ...


class UdpSink:
    """RTP over a connected UDP socket (``create_datagram_endpoint(remote_addr=...)``)."""

    def __init__(self, transport: asyncio.DatagramTransport) -> None:
        self._transport = transport

    @property
    def closed(self) -> bool:
        return self._transport.is_closing()

    def send(self, packets: list[bytes]) -> None:
        for packet in packets:
            self._transport.sendto(packet)

    async def drain(self) -> None:
        return None

    def close(self) -> None:
        self._transport.close()


class TcpSink:
    """RTP over TCP with RFC 4571 framing; whichever side connected, the stream is the same."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer

    @property
    def closed(self) -> bool:
        return self._writer.is_closing()

    def send(self, packets: list[bytes]) -> None:
        if not self._writer.is_closing():
            self._writer.write(b"".join(frame_rfc4571(p) for p in packets))

    async def drain(self) -> None:
        await self._writer.drain()

    def close(self) -> None:
        self._writer.close()
