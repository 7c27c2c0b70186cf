"""A small GB/T 28181 device for tests, built on the protocol core, over real UDP or TCP sockets.

It registers with digest, sends keepalives and raw bytes, and answers what the platform asks:
DeviceInfo, Catalog (in pages of ``page_size`` items, one MESSAGE each) and SUBSCRIBE. Requests
it sends are retransmitted on UDP until answered (RFC 3261 Timer E, simplified).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

from vigil.protocols.manscdp import (
    CatalogItem,
    CatalogQuery,
    CatalogResponse,
    DeviceInfoQuery,
    DeviceInfoResponse,
    Keepalive,
    Message,
    decode,
    encode,
)
from vigil.protocols.sip import (
    DigestChallenge,
    NameAddr,
    SipMessage,
    SipRequest,
    SipResponse,
    SipUri,
    StreamParser,
    Via,
    authorize,
    make_request,
    make_response,
    new_branch,
    new_call_id,
    new_tag,
    parse_message,
)

DOMAIN = "3402000000"
PLATFORM_ID = "34020000002000000001"
MANSCDP = "Application/MANSCDP+xml"


@dataclass
class DeviceConfig:
    device_id: str
    password: str
    channels: list[CatalogItem] = field(default_factory=list)
    page_size: int = 2
    answer_catalog: bool = True
    drop_catalog_pages: set[int] = field(default_factory=set)


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, device: TestDevice) -> None:
        self.device = device

    def datagram_received(self, data: bytes, addr: tuple[str | object, ...]) -> None:
        self.device.received_raw.append(data)
        with contextlib.suppress(Exception):
            self.device._on_message(parse_message(data))


class TestDevice:
    """One device; ``async with TestDevice(...)`` opens its socket and closes it."""

    __test__ = False

    def __init__(
        self,
        config: DeviceConfig,
        server: tuple[str, int],
        transport: str = "udp",
        local_host: str = "127.0.0.1",
    ) -> None:
        self.config = config
        self.server = server
        self.transport = transport
        self.received_raw: list[bytes] = []
        self.requests: list[SipRequest] = []
        self._pending: dict[str, asyncio.Future[SipResponse]] = {}
        self._udp: asyncio.DatagramTransport | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._cseq = 0
        self._sn = 100
        self._call_id = new_call_id()
        self._tag = new_tag()
        self.local = (local_host, 0)

    async def __aenter__(self) -> TestDevice:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        loop = asyncio.get_running_loop()
        if self.transport == "udp":
            self._udp, _ = await loop.create_datagram_endpoint(
                lambda: _Udp(self), local_addr=(self.local[0], 0)
            )
            self.local = self._udp.get_extra_info("sockname")[:2]
        else:
            reader, self._writer = await asyncio.open_connection(
                *self.server, local_addr=(self.local[0], 0)
            )
            self.local = self._writer.get_extra_info("sockname")[:2]
            self._reader_task = loop.create_task(self._read(reader), name="test-device.tcp")

    async def close(self) -> None:
        for task in [*self._tasks, *([self._reader_task] if self._reader_task else [])]:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._udp is not None:
            self._udp.close()
        if self._writer is not None:
            self._writer.close()

    async def reopen(self, host: str | None = None) -> None:
        """Close the socket and open a new one: the device now comes from another port (and
        from ``host``, any 127.x.y.z, when given)."""
        await self.close()
        self.local = (host or self.local[0], 0)
        self._tasks = set()
        self._reader_task = None
        await self.open()

    async def _read(self, reader: asyncio.StreamReader) -> None:
        parser = StreamParser()
        while data := await reader.read(65536):
            self.received_raw.append(data)
            for message in parser.feed(data):
                self._on_message(message)

    def send_raw(self, data: bytes) -> None:
        if self._udp is not None:
            self._udp.sendto(data, self.server)
        else:
            assert self._writer is not None
            self._writer.write(data)

    # requests --------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        *,
        body: bytes = b"",
        headers: list[tuple[str, str]] | None = None,
        call_id: str | None = None,
    ) -> SipRequest:
        self._cseq += 1
        me = SipUri(DOMAIN, self.config.device_id)
        target = me if method == "REGISTER" else SipUri(DOMAIN, PLATFORM_ID)
        host, port = self.local
        return make_request(
            method,
            SipUri(self.server[0], PLATFORM_ID, self.server[1]),
            via=Via(self.transport.upper(), host, port, new_branch(), rport=True),
            from_=NameAddr(me).with_tag(self._tag),
            to=NameAddr(target),
            call_id=call_id or (self._call_id if method == "REGISTER" else new_call_id()),
            cseq=self._cseq,
            contact=NameAddr(SipUri(host, self.config.device_id, port)),
            headers=headers or [],
            body=body,
            content_type=MANSCDP if body else None,
        )

    async def send(self, request: SipRequest, timeout: float = 5.0) -> SipResponse:
        """Send and wait for the final response, retransmitting on UDP."""
        branch = request.branch
        assert branch is not None
        future: asyncio.Future[SipResponse] = asyncio.get_running_loop().create_future()
        self._pending[branch] = future
        data = bytes(request)
        interval, waited = 0.5, 0.0
        try:
            while True:
                self.send_raw(data)
                wait = interval if self.transport == "udp" else timeout
                try:
                    return await asyncio.wait_for(
                        asyncio.shield(future), min(wait, timeout - waited)
                    )
                except TimeoutError:
                    waited += wait
                    if waited >= timeout:
                        raise
                    interval = min(interval * 2, 4.0)
        finally:
            self._pending.pop(branch, None)

    async def register(self, expires: int = 3600, password: str | None = None) -> SipResponse:
        extra = [("Expires", str(expires)), ("X-GB-Ver", "2.0")]
        first = await self.send(self._request("REGISTER", headers=extra))
        if first.status != 401:
            return first
        challenge = DigestChallenge.parse(first.headers.get("WWW-Authenticate") or "")
        uri = f"sip:{PLATFORM_ID}@{DOMAIN}"
        credentials = authorize(
            challenge,
            username=self.config.device_id,
            password=password if password is not None else self.config.password,
            method="REGISTER",
            uri=uri,
        )
        return await self.send(
            self._request("REGISTER", headers=[*extra, ("Authorization", str(credentials))])
        )

    def next_sn(self) -> int:
        self._sn += 1
        return self._sn

    async def message(self, message: Message) -> SipResponse:
        return await self.send(self._request("MESSAGE", body=encode(message)))

    async def keepalive(self) -> SipResponse:
        sn = self.next_sn()
        return await self.message(Keepalive(sn=sn, device_id=self.config.device_id, status="OK"))

    # what the platform asks ----------------------------------------------------------------

    def _on_message(self, message: SipMessage) -> None:
        if isinstance(message, SipResponse):
            branch = message.branch
            future = self._pending.get(branch or "")
            if future is not None and not future.done() and message.status >= 200:
                future.set_result(message)
            return
        self.requests.append(message)
        self._answer(message)

    def _answer(self, request: SipRequest) -> None:
        if request.method == "ACK":
            return
        host, port = self.local
        headers: list[tuple[str, str]] = []
        if request.method == "SUBSCRIBE":
            headers = [
                ("Expires", request.headers.get("Expires") or "3600"),
                ("Contact", str(NameAddr(SipUri(host, self.config.device_id, port)))),
            ]
        self.send_raw(bytes(make_response(request, 200, headers=headers)))
        if request.method == "MESSAGE" and request.body:
            query = decode(request.body)
            task = asyncio.get_running_loop().create_task(self._reply(query))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _reply(self, query: Message) -> None:
        device_id = self.config.device_id
        if isinstance(query, DeviceInfoQuery):
            await self.message(
                DeviceInfoResponse(
                    sn=query.sn,
                    device_id=device_id,
                    device_name="Test camera",
                    result="OK",
                    manufacturer="Vigil Test",
                    model="T-1",
                    firmware="1.0",
                )
            )
        elif isinstance(query, CatalogQuery) and self.config.answer_catalog:
            channels = self.config.channels
            size = self.config.page_size
            pages = [channels[i : i + size] for i in range(0, len(channels), size)] or [[]]
            for index, page in enumerate(pages):
                if index in self.config.drop_catalog_pages:
                    continue
                await self.message(
                    CatalogResponse(
                        sn=query.sn, device_id=device_id, sum_num=len(channels), items=tuple(page)
                    )
                )
