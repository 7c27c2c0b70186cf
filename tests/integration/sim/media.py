"""The platform's media end for the simulator tests: receive RTP (UDP or RFC 4571 TCP, either
side connecting), demux the PS with the protocol core, decode every frame with PyAV."""

from __future__ import annotations

import asyncio
import contextlib
from typing import cast

import av

from vigil.protocols.ps import AccessUnit, PsFromRtp
from vigil.protocols.rtp import parse_rtp_header
from vigil.protocols.rtp_framing import Rfc4571Framer

HOST = "127.0.0.1"
DECODERS = {"h264": "h264", "h265": "hevc"}


class MediaReceiver:
    """Collects RTP packets with their arrival time; ``mode`` is the platform's side."""

    def __init__(self, mode: str) -> None:
        self.mode = mode  # udp | tcp-passive (platform listens) | tcp-active (platform connects)
        self.packets: list[tuple[float, bytes]] = []
        self.port = 0
        self._udp: asyncio.DatagramTransport | None = None
        self._server: asyncio.Server | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._writers: list[asyncio.StreamWriter] = []

    def _add(self, packet: bytes) -> None:
        self.packets.append((asyncio.get_running_loop().time(), packet))

    async def open(self) -> int:
        loop = asyncio.get_running_loop()
        if self.mode == "udp":
            receiver = self

            class Proto(asyncio.DatagramProtocol):
                def datagram_received(self, data: bytes, addr: object) -> None:
                    receiver._add(data)

            self._udp, _ = await loop.create_datagram_endpoint(Proto, local_addr=(HOST, 0))
            self.port = self._udp.get_extra_info("sockname")[1]
        elif self.mode == "tcp-passive":
            self._server = await asyncio.start_server(self._on_connection, HOST, 0)
            self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def connect(self, address: tuple[str, int]) -> None:
        """tcp-active: the platform connects to the port the device answered with."""
        reader, writer = await asyncio.open_connection(*address)
        self._tasks.append(asyncio.create_task(self._on_connection(reader, writer)))

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._writers.append(writer)
        framer = Rfc4571Framer()
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                for packet in framer.feed(data):
                    self._add(packet)
        assert framer.skipped_bytes == 0

    async def close(self) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._server is not None:
            self._server.close()
        for writer in self._writers:
            writer.close()
        for task in self._tasks:
            task.cancel()

    async def wait_packets(self, count: int, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            while len(self.packets) < count:
                await asyncio.sleep(0.02)

    def ssrcs(self) -> set[int]:
        return {parse_rtp_header(p)[2] for _, p in self.packets}

    def units(self) -> list[AccessUnit]:
        depacketizer = PsFromRtp()
        units: list[AccessUnit] = []
        for _, packet in self.packets:
            units += depacketizer.push(packet)
        assert depacketizer.gaps == 0
        return [u for u in units if u.is_video]


def decode_all(units: list[AccessUnit], codec: str) -> int:
    """Decode every access unit; the number of pictures out (raises on a broken frame)."""
    context = cast(av.VideoCodecContext, av.CodecContext.create(DECODERS[codec], "r"))
    pictures = 0
    for unit in units:
        pictures += len(context.decode(av.Packet(unit.data)))
    pictures += len(context.decode(None))
    return pictures
