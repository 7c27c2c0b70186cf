"""GB/T 28181 server load: 5,000 devices register and keep alive against one server process.

Run as ``.venv/bin/python bench/sip_load.py`` (no arguments, a little over two minutes). The server
is a real Vigil node (SQLite in a temporary directory, the SIP endpoint on 127.0.0.1) in a child
process of its own, so its CPU time and memory are read from ``/proc/<pid>`` alone. The devices
are a swarm in this process sharing ``SOCKETS`` UDP sockets; each registers with digest (401,
then REGISTER with Authorization), answers the DeviceInfo and Catalog queries the server sends
after a registration (``CHANNELS`` channels each), accepts the server's default subscriptions
(Catalog and Alarm: its devices are IP cameras, type 132, so they are not asked for positions)
and sends keepalive MESSAGEs.

Phases and figures:

* reference: round trips per second through a bare uvloop UDP echo process, same window;
* registrations per second (two REGISTER round trips each, ``WINDOW`` in flight);
* steady state: every device keeps alive once per ``KEEPALIVE_INTERVAL`` seconds for one interval;
  the server's CPU share then, per 1,000 devices, is the figure the target is about (10,000
  devices at a 60 s keepalive under 25 % of one core, i.e. under 2.5 % per 1,000);
* keepalives per second: back-to-back keepalives with ``WINDOW`` in flight;
* memory per device: the server's RSS growth from before the first REGISTER to the end, / devices.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import uvloop

from proc import cpu_seconds, free_port, rss_kb
from vigil.protocols.manscdp import (
    CatalogItem,
    CatalogQuery,
    CatalogResponse,
    DeviceInfoQuery,
    DeviceInfoResponse,
    decode,
    encode,
)
from vigil.protocols.sip import (
    DigestChallenge,
    SipError,
    SipRequest,
    authorize,
    make_response,
    new_branch,
    parse_message,
)
from vigil.sim.fleet_messages import settle_answer

DEVICES = int(os.environ.get("BENCH_DEVICES", "5000"))
SOCKETS = 16
CHANNELS = 4
WINDOW = 256
KEEPALIVE_INTERVAL = int(os.environ.get("BENCH_KEEPALIVE_INTERVAL", "60"))
BURST_SECONDS = 10
ECHO_SECONDS = 5
PASSWORD = "Bench-Device-Pass-1"
DOMAIN = "3402000000"
PLATFORM = "34020000002000000001"
TARGET_CPU_PER_1000 = 2.5


def device_id(n: int) -> str:
    return f"3401040000132{n:07d}"


def channel_items(n: int) -> tuple[CatalogItem, ...]:
    """Device ``n``'s CHANNELS cameras (type 131)."""
    return tuple(
        CatalogItem(device_id=f"3401040000131{n * CHANNELS + k:07d}", name=f"bench {n}-{k}")
        for k in range(CHANNELS)
    )


# the server child --------------------------------------------------------------------------------


async def serve(port: int, data_dir: str) -> None:
    from sqlalchemy import insert

    from vigil.app import Vigil
    from vigil.config import load_settings
    from vigil.store.models import Device

    settings = load_settings(
        data_dir=Path(data_dir),
        sip_port=port,
        sip_password=PASSWORD,
        admin_password="Bench-Admin-Pass-1",
        keepalive_interval=KEEPALIVE_INTERVAL,
        catalog_timeout=5.0,
    )
    node = Vigil(settings)
    await node.create_database()  # the devices are in it before SIP listens
    async with node.db.session() as session, session.begin():
        rows = [{"id": device_id(n), "name": f"bench {n}"} for n in range(DEVICES)]
        await session.execute(insert(Device), rows)
    await node.start(serving=True)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    await node.stop()


async def echo(port: int) -> None:
    class Echo(asyncio.DatagramProtocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport = transport

        def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
            self.transport.sendto(data, addr)  # type: ignore[attr-defined]

    loop = asyncio.get_running_loop()
    await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", port))
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)


# measuring the child -----------------------------------------------------------------------------


@dataclass
class Child:
    """The node under load, run as a child process."""

    process: asyncio.subprocess.Process

    @classmethod
    async def start(cls, *args: str) -> Child:
        process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, *args, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert line.strip() == b"ready", line
        return cls(process)

    @property
    def pid(self) -> int:
        return self.process.pid

    async def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


# the swarm ---------------------------------------------------------------------------------------


@dataclass
class Swarm:
    """The simulated devices' UDP sockets and what they answered."""

    server: tuple[str, int]
    transports: list[asyncio.DatagramTransport] = field(default_factory=list)
    pending: dict[str, asyncio.Future[tuple[int, str]]] = field(default_factory=dict)
    answered_queries: int = 0
    subscriptions: int = 0
    retransmissions: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    sn: int = 0

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(SOCKETS):
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _SwarmSocket(self), local_addr=("127.0.0.1", 0)
            )
            self.transports.append(transport)

    def close(self) -> None:
        for transport in self.transports:
            transport.close()

    def received(self, data: bytes, transport: asyncio.DatagramTransport) -> None:
        if data.startswith(b"SIP/2.0 "):
            settle_answer(self.pending, data)
            return
        try:
            message = parse_message(data)
        except SipError:
            return
        assert isinstance(message, SipRequest)
        headers = []
        if message.method == "SUBSCRIBE":  # the default subscriptions: Catalog and Alarm
            self.subscriptions += 1
            contact = f"<sip:{message.to.uri.user}@{transport.get_extra_info('sockname')[0]}>"
            headers = [("Expires", message.headers.get("Expires") or "3600"), ("Contact", contact)]
        transport.sendto(bytes(make_response(message, 200, headers=headers)), self.server)
        if message.body and message.method == "MESSAGE":
            self.answer(message, transport)

    def answer(self, request: SipRequest, transport: asyncio.DatagramTransport) -> None:
        query = decode(request.body)
        device = request.to.uri.user or ""
        reply: DeviceInfoResponse | CatalogResponse
        if isinstance(query, DeviceInfoQuery):
            reply = DeviceInfoResponse(sn=query.sn, device_id=device, result="OK", model="bench")
        elif isinstance(query, CatalogQuery):
            items = channel_items(int(device[-7:]))
            reply = CatalogResponse(sn=query.sn, device_id=device, sum_num=CHANNELS, items=items)
        else:
            return
        self.answered_queries += 1
        index = self.transports.index(transport)
        data = self.request(index, device, "MESSAGE", encode(reply), new_branch())
        transport.sendto(data, self.server)

    def request(
        self, index: int, device: str, method: str, body: bytes, branch: str,
        extra: str = "", cseq: int = 1,
    ) -> bytes:  # fmt: skip
        host, port = self.transports[index].get_extra_info("sockname")[:2]
        to = device if method == "REGISTER" else PLATFORM
        content_type = "Content-Type: Application/MANSCDP+xml\r\n" if body else ""
        head = (
            f"{method} sip:{PLATFORM}@{DOMAIN} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {host}:{port};rport;branch={branch}\r\n"
            f"From: <sip:{device}@{DOMAIN}>;tag={device[-7:]}\r\n"
            f"To: <sip:{to}@{DOMAIN}>\r\n"
            f"Call-ID: {branch}@{host}\r\n"
            f"CSeq: {cseq} {method}\r\n"
            f"Contact: <sip:{device}@{host}:{port}>\r\n"
            f"Max-Forwards: 70\r\n{extra}{content_type}"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def exchange(self, index: int, data: bytes, branch: str) -> tuple[int, str]:
        """Send and return the final status, retransmitting like RFC 3261 Timer E for 16 s."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[int, str]] = loop.create_future()
        self.pending[branch] = future
        transport = self.transports[index]
        state = {"interval": 0.5, "waited": 0.0}

        def resend() -> None:
            if future.done():
                return
            state["waited"] += state["interval"]
            if state["waited"] >= 16:
                self.outcomes["timeout"] += 1
                future.set_exception(TimeoutError())
                return
            self.retransmissions += 1
            transport.sendto(data, self.server)
            state["interval"] = min(2 * state["interval"], 4.0)
            timers[0] = loop.call_later(state["interval"], resend)

        transport.sendto(data, self.server)
        timers = [loop.call_later(0.5, resend)]
        try:
            status = await future
        finally:
            timers[0].cancel()
            self.pending.pop(branch, None)
        self.outcomes[str(status[0])] += 1
        return status

    async def register(self, n: int) -> bool:
        index, device = n % SOCKETS, device_id(n)
        extra = "Expires: 3600\r\nX-GB-Ver: 2.0\r\n"
        branch = new_branch()
        data = self.request(index, device, "REGISTER", b"", branch, extra)
        _, header = await self.exchange(index, data, branch)
        challenge = DigestChallenge.parse(header)
        credentials = authorize(
            challenge, username=device, password=PASSWORD, method="REGISTER",
            uri=f"sip:{PLATFORM}@{DOMAIN}",
        )  # fmt: skip
        branch = new_branch()
        data = self.request(index, device, "REGISTER", b"", branch,
                            f"{extra}Authorization: {credentials}\r\n", 2)  # fmt: skip
        return (await self.exchange(index, data, branch))[0] == 200

    async def keepalive(self, n: int) -> bool:
        index, device = n % SOCKETS, device_id(n)
        self.sn += 1
        body = (
            f'<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>'
            f"\r\n<SN>{self.sn}</SN>\r\n<DeviceID>{device}</DeviceID>\r\n<Status>OK</Status>\r\n"
            f"</Notify>\r\n"
        ).encode()
        branch = new_branch()
        data = self.request(index, device, "MESSAGE", body, branch)
        return (await self.exchange(index, data, branch))[0] == 200


class _SwarmSocket(asyncio.DatagramProtocol):
    def __init__(self, swarm: Swarm) -> None:
        self.swarm = swarm

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)  # uvloop's is not a subclass

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        self.swarm.received(data, self.transport)


async def windowed(count: int, job: Callable[[int], asyncio.Future[bool] | object]) -> int:
    """Run ``job(n)`` for n in range(count) with WINDOW in flight; the number that succeeded."""
    semaphore = asyncio.Semaphore(WINDOW)

    async def one(n: int) -> bool:
        async with semaphore:
            try:
                return bool(await job(n))  # type: ignore[misc]
            except TimeoutError:
                return False

    return sum(await asyncio.gather(*(one(n) for n in range(count))))


async def echo_reference() -> float:
    port = free_port()
    child = await Child.start("--echo", str(port))
    loop = asyncio.get_running_loop()
    done = 0
    received: asyncio.Queue[None] = asyncio.Queue()

    class Client(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
            received.put_nowait(None)

    transport, _ = await loop.create_datagram_endpoint(Client, local_addr=("127.0.0.1", 0))
    payload = b"x" * 400
    for _ in range(WINDOW):
        transport.sendto(payload, ("127.0.0.1", port))
    start = time.perf_counter()
    while time.perf_counter() - start < ECHO_SECONDS:
        await received.get()
        done += 1
        transport.sendto(payload, ("127.0.0.1", port))
    elapsed = time.perf_counter() - start
    transport.close()
    await child.stop()
    return done / elapsed


async def main() -> dict[str, float | int]:
    echo_rate = await echo_reference()
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = await Child.start("--serve", str(port), data_dir)
        swarm = Swarm(("127.0.0.1", port))
        await swarm.open()
        try:
            rss_before = rss_kb(server.pid)
            cpu0, t0 = cpu_seconds(server.pid), time.perf_counter()
            registered = await windowed(DEVICES, swarm.register)
            register_s = time.perf_counter() - t0
            register_cpu = cpu_seconds(server.pid) - cpu0
            deadline = time.perf_counter() + 120
            while swarm.answered_queries < 2 * registered and time.perf_counter() < deadline:
                await asyncio.sleep(0.5)  # the server's DeviceInfo + Catalog to every device
            await asyncio.sleep(2)
            cpu1, t1 = cpu_seconds(server.pid), time.perf_counter()
            spacing = KEEPALIVE_INTERVAL / DEVICES

            async def paced(n: int) -> bool:
                await asyncio.sleep(n * spacing)
                try:
                    return await swarm.keepalive(n)
                except TimeoutError:
                    return False

            # Summed after the gather: ``ok += await …`` in each task would read ``ok`` before
            # its await and write it after, losing the increments of the tasks in between.
            steady_ok = sum(await asyncio.gather(*(paced(n) for n in range(DEVICES))))
            steady_s = time.perf_counter() - t1
            steady_cpu = (cpu_seconds(server.pid) - cpu1) / steady_s * 100
            cpu2, t2 = cpu_seconds(server.pid), time.perf_counter()
            burst = 0
            while time.perf_counter() - t2 < BURST_SECONDS:
                burst += await windowed(DEVICES, swarm.keepalive)
            burst_s = time.perf_counter() - t2
            burst_cpu = (cpu_seconds(server.pid) - cpu2) / burst_s * 100
            rss_after = rss_kb(server.pid)
        finally:
            swarm.close()
            await server.stop()
    per_1000 = steady_cpu / (DEVICES / 1000)
    return {
        "devices": DEVICES,
        "registered": registered,
        "registrations_per_s": round(registered / register_s, 1),
        "register_cpu_ms_per_registration": round(register_cpu / max(registered, 1) * 1000, 3),
        "keepalive_interval_s": KEEPALIVE_INTERVAL,
        "steady_keepalives_answered": steady_ok,
        "steady_keepalives_per_s": round(steady_ok / steady_s, 1),
        "cpu_percent_steady": round(steady_cpu, 2),
        "cpu_percent_per_1000_devices": round(per_1000, 3),
        "projected_cpu_percent_10000_devices": round(per_1000 * 10, 2),
        "target_cpu_percent_10000_devices": TARGET_CPU_PER_1000 * 10,
        "keepalives_per_s": round(burst / burst_s, 1),
        "cpu_percent_keepalive_burst": round(burst_cpu, 1),
        "rss_kb_per_device": round((rss_after - rss_before) / DEVICES, 2),
        "echo_round_trips_per_s": round(echo_rate, 1),
        "channels_per_device": CHANNELS,
        "subscriptions_accepted": swarm.subscriptions,
        "client_retransmissions": swarm.retransmissions,
        "answers": dict(swarm.outcomes),
        "keepalive_vs_echo_ratio": round(burst / burst_s / echo_rate, 4),
    }


def report(figures: dict[str, float | int]) -> None:
    width = max(map(len, figures))
    print(f"{'figure':<{width}}  value")
    for name, value in figures.items():
        print(f"{name:<{width}}  {value}")
    print(
        "reference (echo_round_trips_per_s): a bare uvloop UDP echo process answering 400-byte "
        "datagrams, same window of requests in flight; it parses nothing, checks no digest, "
        "keeps no device state and writes no database."
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        uvloop.run(serve(int(sys.argv[2]), sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--echo":
        uvloop.run(echo(int(sys.argv[2])))
    else:
        report(uvloop.run(main()))
