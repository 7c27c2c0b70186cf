"""A city's fleet on one asyncio loop: 10,000 devices for a scale benchmark, cheaply.

:class:`~vigil.sim.swarm.Swarm` runs full :class:`SimDevice` objects (video, calls, records); a
city of them costs more than the server it loads. A :class:`Fleet` keeps per device only its ID,
its socket and its MobilePosition dialog, shares ``sockets`` UDP sockets among all devices
(routed by the To user, as behind a gateway) and writes the SIP of what it sends as text, parsing
in full only the requests the server sends. It does what a fleet does to a platform:

* registers each device with digest (401, then REGISTER with Authorization), ``window`` at once;
* answers DeviceInfo and the Catalog (``channels`` channels per device, one MESSAGE) and accepts
  every SUBSCRIBE (Catalog, Alarm, MobilePosition) with 200;
* keeps every device alive once per ``keepalive_interval``, spread evenly over the interval;
* from each device whose MobilePosition the server subscribed to, NOTIFYs a fix every interval
  the subscription asked for, inside its dialog;
* answers INVITE 488 (it carries no media; a live start is not its to measure).

Type codes: every ``mobile_every``-th device is a 138 (mobile transmission device), the others
132 (IP camera); channels are 131 (camera). Every request is retransmitted as RFC 3261 Timer E
does until its final answer or 16 s; :attr:`counts` tallies what was sent and answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
from collections import Counter
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from vigil.protocols.errors import ManscdpError, SipError
from vigil.protocols.manscdp import (
    CatalogQuery,
    CatalogResponse,
    DeviceInfoQuery,
    DeviceInfoResponse,
    MobilePositionNotify,
    MobilePositionQuery,
    decode,
    encode,
)
from vigil.protocols.sip import (
    DigestChallenge,
    SipRequest,
    authorize,
    make_response,
    new_branch,
    new_tag,
    parse_message,
)
from vigil.sim.fleet_messages import (
    FleetConfig,
    RequestHead,
    channel_items,
    fleet_ids,
    keepalive_body,
    settle_answer,
)

__all__ = ["Fleet", "FleetConfig", "fleet_ids"]

log = logging.getLogger(__name__)

#: RFC 3261 Timer E: first retransmission, cap, and when a request is given up (Timer F).
T1, T2, GIVE_UP = 0.5, 4.0, 16.0
#: Seconds between the fleet's ticks that send the keepalives and fixes then due.
TICK = 0.1


@dataclass(slots=True)
class _Positions:
    """A MobilePosition subscription the server holds on one device: the dialog to NOTIFY in."""

    device: str
    call_id: str
    local_tag: str
    remote_tag: str
    event: str
    interval: float
    cseq: int = 1
    due: float = 0.0


@dataclass
class Fleet:
    """``await open()``, ``await register_all()``, ``await run(seconds)``, ``close()``."""

    config: FleetConfig
    counts: Counter[str] = field(default_factory=Counter)
    positions: dict[str, _Positions] = field(default_factory=dict)
    _transports: list[asyncio.DatagramTransport] = field(default_factory=list)
    _pending: dict[str, asyncio.Future[tuple[int, str]]] = field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _sn: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    #: Whether the subscribed devices NOTIFY their positions (False: they stay silent).
    send_positions: bool = True

    def __post_init__(self) -> None:
        self.ids = fleet_ids(self.config.centre, self.config.count, self.config.mobile_every)
        self._index = {device: n for n, device in enumerate(self.ids)}
        self._zone = ZoneInfo(self.config.zone)

    # sockets ----------------------------------------------------------------------------------

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(self.config.sockets):
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Socket(self), local_addr=(self.config.local_host, 0)
            )
            self._transports.append(transport)
        self._socknames = [t.get_extra_info("sockname")[:2] for t in self._transports]

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for transport in self._transports:
            transport.close()

    def _socket_of(self, device: str) -> int:
        return self._index[device] % len(self._transports)

    def _spawn(self, coroutine: Coroutine[object, object, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # what the server sends --------------------------------------------------------------------

    def received(self, data: bytes, transport: asyncio.DatagramTransport) -> None:
        if data.startswith(b"SIP/2.0 "):
            settle_answer(self._pending, data)
            return
        try:
            request = parse_message(data)
        except SipError:
            self.counts["unparsed"] += 1
            return
        assert isinstance(request, SipRequest)
        device = request.to.uri.user or ""
        if device not in self._index:
            transport.sendto(bytes(make_response(request, 404)), self.config.server)
        elif request.method == "SUBSCRIBE":
            self._subscribed(device, request, transport)
        elif request.method == "INVITE":
            transport.sendto(bytes(make_response(request, 488)), self.config.server)
        else:
            transport.sendto(bytes(make_response(request, 200)), self.config.server)
            if request.method == "MESSAGE" and request.body:
                self._answer_query(device, request)

    def _subscribed(
        self, device: str, request: SipRequest, transport: asyncio.DatagramTransport
    ) -> None:
        tag = new_tag()
        host, port = self._socknames[self._socket_of(device)]
        expires = request.headers.get("Expires") or "3600"
        headers = [("Expires", expires), ("Contact", f"<sip:{device}@{host}:{port}>")]
        response = make_response(request, 200, to_tag=tag, headers=headers)
        transport.sendto(bytes(response), self.config.server)
        self.counts["subscribe"] += 1
        query = _decoded(request.body)
        if isinstance(query, MobilePositionQuery) and request.to.tag is None:
            interval = float(query.interval or 5)
            loop_time = asyncio.get_running_loop().time()
            self.positions[device] = _Positions(
                device=device,
                call_id=request.call_id,
                local_tag=tag,
                remote_tag=request.from_.tag or "",
                event=request.headers.get("Event") or "presence",
                interval=interval,
                due=loop_time + interval * (self._index[device] % 997) / 997,
            )

    def _answer_query(self, device: str, request: SipRequest) -> None:
        query = _decoded(request.body)
        reply: DeviceInfoResponse | CatalogResponse
        if isinstance(query, DeviceInfoQuery):
            reply = DeviceInfoResponse(
                sn=query.sn, device_id=device, result="OK", model="fleet", manufacturer="Vigil"
            )
        elif isinstance(query, CatalogQuery):
            items = channel_items(self.config, self._index[device], device)
            reply = CatalogResponse(sn=query.sn, device_id=device, sum_num=len(items), items=items)
        else:
            return
        self.counts[f"answer:{type(query).__name__}"] += 1
        self._spawn(self._send(device, "message", self._request(device, "MESSAGE", encode(reply))))

    # what the fleet sends ---------------------------------------------------------------------

    def _request(
        self,
        device: str,
        method: str,
        body: bytes,
        extra: str = "",
        cseq: int = 1,
        call_id: str | None = None,
        tags: tuple[str, str] | None = None,
    ) -> tuple[bytes, str]:
        """A request's bytes, on a new branch, and that branch."""
        branch = new_branch()
        host, port = self._socknames[self._socket_of(device)]
        head = RequestHead(method, device, host, port, branch, extra, cseq, call_id, tags)
        return head.text(self.config.server_id, self.config.domain, body), branch

    async def _exchange(self, device: str, data: bytes, branch: str) -> tuple[int, str]:
        """Send; the final status and challenge. Retransmitted like Timer E; TimeoutError at F."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[int, str]] = loop.create_future()
        self._pending[branch] = future
        transport = self._transports[self._socket_of(device)]
        transport.sendto(data, self.config.server)
        interval, waited = T1, 0.0
        try:
            while True:
                try:
                    return await asyncio.wait_for(asyncio.shield(future), interval)
                except TimeoutError:
                    waited += interval
                    if waited >= GIVE_UP:
                        raise
                    self.counts["retransmission"] += 1
                    transport.sendto(data, self.config.server)
                    interval = min(2 * interval, T2)
        finally:
            self._pending.pop(branch, None)
            future.cancel()

    async def _send(self, device: str, kind: str, request: tuple[bytes, str]) -> None:
        """Send a :meth:`_request`, count it as ``kind`` and its answer as ``kind:<status>``."""
        data, branch = request
        self.counts[kind] += 1
        try:
            status, _ = await self._exchange(device, data, branch)
        except TimeoutError:
            self.counts[f"{kind}:timeout"] += 1
            return
        self.counts[f"{kind}:{status}"] += 1

    async def register(self, device: str) -> bool:
        extra = "Expires: 3600\r\nX-GB-Ver: 2.0\r\n"
        data, branch = self._request(device, "REGISTER", b"", extra)
        _, header = await self._exchange(device, data, branch)
        challenge = DigestChallenge.parse(header)
        uri = f"sip:{self.config.server_id}@{self.config.domain}"
        credentials = authorize(
            challenge, username=device, password=self.config.password, method="REGISTER", uri=uri
        )
        extra += f"Authorization: {credentials}\r\n"
        data, branch = self._request(device, "REGISTER", b"", extra, 2)
        return (await self._exchange(device, data, branch))[0] == 200

    async def register_all(self) -> int:
        """Register every device, ``window`` at once; how many the server took."""
        semaphore = asyncio.Semaphore(self.config.window)

        async def one(device: str) -> bool:
            async with semaphore:
                try:
                    return await self.register(device)
                except (TimeoutError, ValueError):
                    return False

        results = await asyncio.gather(*(one(d) for d in self.ids))
        self.counts["registered"] = sum(results)
        return self.counts["registered"]

    def keepalive(self, device: str) -> None:
        body = keepalive_body(device, next(self._sn))
        self._spawn(self._send(device, "keepalive", self._request(device, "MESSAGE", body)))

    def report_position(self, dialog: _Positions, at: datetime) -> None:
        n = self._index[dialog.device]
        angle = (dialog.cseq % 360) * math.pi / 180
        fix = MobilePositionNotify(
            sn=next(self._sn),
            device_id=dialog.device,
            time=at.astimezone(self._zone).replace(tzinfo=None, microsecond=0),
            longitude=round(117.2 + (n % 100) / 1000 + 0.001 * math.cos(angle), 6),
            latitude=round(31.8 + (n // 100 % 100) / 1000 + 0.001 * math.sin(angle), 6),
            speed=36.0,
            direction=float(dialog.cseq % 360),
            altitude=30.0,
        )
        dialog.cseq += 1
        extra = f"Event: {dialog.event}\r\nSubscription-State: active\r\n"
        tags = (dialog.local_tag, dialog.remote_tag)
        request = self._request(
            dialog.device, "NOTIFY", encode(fix), extra, dialog.cseq, dialog.call_id, tags
        )
        self._spawn(self._send(dialog.device, "position", request))

    async def run(self, seconds: float) -> None:
        """Keep alive (each device once per interval) and, while :attr:`send_positions`, report
        fixes, for ``seconds``."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        per_tick = len(self.ids) * TICK / self.config.keepalive_interval
        owed = 0.0
        next_device = 0
        while (now := loop.time()) - start < seconds:
            owed += per_tick
            while owed >= 1:
                self.keepalive(self.ids[next_device % len(self.ids)])
                next_device += 1
                owed -= 1
            at = datetime.now(self._zone)
            for dialog in self.positions.values():
                if dialog.due <= now:  # a muted fleet keeps the schedule, sending nothing
                    dialog.due += dialog.interval
                    if self.send_positions:
                        self.report_position(dialog, at)
            await asyncio.sleep(TICK)

    async def settle(self, timeout: float = 20.0) -> None:
        """Until every request sent has its answer (or has been given up)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                while self._tasks:
                    await asyncio.sleep(0.1)


def _decoded(body: bytes) -> object:
    try:
        return decode(body)
    except ManscdpError:
        return None


class _Socket(asyncio.DatagramProtocol):
    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)  # uvloop's is not a subclass

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        self.fleet.received(data, self.transport)
