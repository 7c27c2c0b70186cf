"""The UDP poller on real loopback sockets: batches per socket, removal, closing."""

from __future__ import annotations

import asyncio
import socket

from vigil.media.sources.udp_poller import Deliver, UdpPoller


def into(batches: list[list[bytes]]) -> Deliver:
    """A delivery callback that keeps each batch in ``batches``."""
    return lambda packets, now: batches.append(packets)


def bound() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    return sock


async def test_each_socket_gets_its_packets_in_order_and_batched() -> None:
    poller = UdpPoller(interval=0.02)
    socks = [bound(), bound()]
    got: dict[int, list[list[bytes]]] = {0: [], 1: []}
    for n, sock in enumerate(socks):
        poller.add(sock, into(got[n]))
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for i in range(50):
            for n, sock in enumerate(socks):
                sender.sendto(bytes([n, i]), sock.getsockname())
        for _ in range(50):
            if sum(map(len, got[0])) == 50 and sum(map(len, got[1])) == 50:
                break
            await asyncio.sleep(0.02)
        for n in (0, 1):
            assert [p for batch in got[n] for p in batch] == [bytes([n, i]) for i in range(50)]
            assert len(got[n]) < 50  # read in batches, not a callback per packet
        poller.remove(socks[0])
        sender.sendto(b"late", socks[0].getsockname())
        await asyncio.sleep(0.1)
        assert all(b"late" not in batch for batch in got[0])
        assert poller.sockets == 1
    finally:
        poller.close()
        sender.close()
        for sock in socks:
            sock.close()


async def test_timer_runs_only_while_sockets_are_added() -> None:
    poller = UdpPoller()
    sock = bound()
    try:
        poller.add(sock, lambda packets, now: None)
        assert poller._timer is not None
        poller.remove(sock)
        poller.remove(sock)  # twice is harmless
        assert poller._timer is None
    finally:
        poller.close()
        sock.close()
