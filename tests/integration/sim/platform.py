"""A tiny GB/T 28181 platform built from the protocol core, to test the simulator on the wire.

It challenges REGISTER with digest and checks the answer, answers every MESSAGE/NOTIFY/BYE the
device sends with 200 and queues it, and sends requests (queries, INVITE, INFO, BYE) to the
address the device last spoke from, matching responses by branch. No retransmissions: loopback
does not lose datagrams, and a lost one fails the test by timeout, which is what we want.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from vigil.protocols.manscdp import Message, decode, encode
from vigil.protocols.sip import (
    AuthVerdict,
    Dialog,
    DigestCredentials,
    NameAddr,
    NonceIssuer,
    SipMessage,
    SipRequest,
    SipResponse,
    SipUri,
    StreamParser,
    Via,
    authenticate,
    make_request,
    make_response,
    new_branch,
    new_call_id,
    new_tag,
    parse_message,
)

PASSWORD = "Sim-Pass-28181"
PLATFORM_ID = "34020000002000000001"
DOMAIN = "3402000000"
MANSCDP = "Application/MANSCDP+xml"
HOST = "127.0.0.1"


@dataclass
class Inbound:
    """A request the device sent, with its decoded MANSCDP body (None for other bodies)."""

    request: SipRequest
    message: Message | None
    source: tuple[str, int]


class TestPlatform:
    """``async with TestPlatform("udp") as platform: ...``."""

    __test__ = False  # not a pytest class

    def __init__(self, transport: str = "udp", *, password: str = PASSWORD) -> None:
        self.transport = transport
        self.password = password
        self.issuer = NonceIssuer(b"0123456789abcdef-test-secret")
        self.address: tuple[str, int] = (HOST, 0)
        self.registrations: list[tuple[str, int, dict[str, str], tuple[str, int]]] = []
        self.challenges = 0
        self.inbound: asyncio.Queue[Inbound] = asyncio.Queue()
        self.device_addr: dict[str, tuple[str, int]] = {}
        self._udp: asyncio.DatagramTransport | None = None
        self._server: asyncio.Server | None = None
        self._writers: dict[str, asyncio.StreamWriter] = {}
        self._pending: dict[str, asyncio.Future[SipResponse]] = {}
        self._cseq = 100
        self.responses: list[SipResponse] = []

    async def __aenter__(self) -> TestPlatform:
        loop = asyncio.get_running_loop()
        if self.transport == "udp":
            platform = self

            class Proto(asyncio.DatagramProtocol):
                def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
                    platform._on_message(parse_message(data), (addr[0], addr[1]), None)

            self._udp, _ = await loop.create_datagram_endpoint(Proto, local_addr=(HOST, 0))
            self.address = self._udp.get_extra_info("sockname")[:2]
        else:
            self._server = await asyncio.start_server(self._on_connection, HOST, 0)
            self.address = self._server.sockets[0].getsockname()[:2]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._udp is not None:
            self._udp.close()
        if self._server is not None:
            self._server.close()
        for writer in self._writers.values():
            writer.close()

    async def _on_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        parser = StreamParser()
        peer = writer.get_extra_info("peername")[:2]
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                for message in parser.feed(data):
                    self._on_message(message, peer, writer)

    def drop_connection(self, device_id: str) -> None:
        """Close the device's TCP connection, as a restarting platform would."""
        self._writers.pop(device_id).close()

    # -- receiving ----------------------------------------------------------------------------

    def _send(self, message: SipMessage, to: tuple[str, int], writer: object = None) -> None:
        if isinstance(writer, asyncio.StreamWriter):
            writer.write(bytes(message))
        elif self._udp is not None:
            self._udp.sendto(bytes(message), to)

    def _on_message(self, message: SipMessage, source: tuple[str, int], writer: object) -> None:
        if isinstance(message, SipResponse):
            self.responses.append(message)
            future = self._pending.get(message.branch or "")
            if future is not None and not future.done() and message.status >= 200:
                future.set_result(message)
            return
        device_id = message.from_.uri.user or ""
        self.device_addr[device_id] = source
        if isinstance(writer, asyncio.StreamWriter):
            self._writers[device_id] = writer
        if message.method == "REGISTER":
            self._send(self._register(message, device_id, source), source, writer)
            return
        if message.method == "ACK":
            return
        self._send(make_response(message, 200), source, writer)
        body = None
        if message.body and "manscdp" in (message.content_type or "").lower():
            body = decode(message.body)
        self.inbound.put_nowait(Inbound(message, body, source))

    def _register(
        self, request: SipRequest, device_id: str, source: tuple[str, int]
    ) -> SipResponse:
        now = asyncio.get_running_loop().time()
        value = request.headers.get("Authorization")
        if value is not None:
            verdict = authenticate(
                DigestCredentials.parse(value),
                method="REGISTER",
                password=self.password,
                realm=DOMAIN,
                issuer=self.issuer,
                now=now,
                max_age=60,
            )
            if verdict is AuthVerdict.OK:
                expires = int(request.headers.get("Expires") or "3600")
                headers = dict(request.headers)
                self.registrations.append((device_id, expires, headers, source))
                return make_response(request, 200, headers=[("Expires", str(expires))])
            return make_response(request, 403)
        self.challenges += 1
        challenge = self.issuer.challenge(DOMAIN, now, qop=())
        return make_response(request, 401, headers=[("WWW-Authenticate", str(challenge))])

    async def next(
        self, predicate: Callable[[Inbound], bool] = lambda _: True, timeout: float = 10.0
    ) -> Inbound:
        """The next inbound request that matches, dropping the others."""
        async with asyncio.timeout(timeout):
            while True:
                item = await self.inbound.get()
                if predicate(item):
                    return item

    # -- sending ------------------------------------------------------------------------------

    def via(self) -> Via:
        return Via(self.transport.upper(), self.address[0], self.address[1], new_branch())

    def contact(self) -> NameAddr:
        return NameAddr(SipUri(self.address[0], PLATFORM_ID, self.address[1]))

    def new_request(
        self,
        method: str,
        device_id: str,
        target: str | None = None,
        *,
        body: bytes = b"",
        content_type: str | None = None,
        headers: list[tuple[str, str]] | None = None,
    ) -> SipRequest:
        host, port = self.device_addr[device_id]
        self._cseq += 1
        return make_request(
            method,
            SipUri(host, target or device_id, port),
            via=self.via(),
            from_=NameAddr(SipUri(DOMAIN, PLATFORM_ID)).with_tag(new_tag()),
            to=NameAddr(SipUri(DOMAIN, target or device_id)),
            call_id=new_call_id(),
            cseq=self._cseq,
            contact=self.contact(),
            headers=headers or [],
            body=body,
            content_type=content_type,
        )

    async def send(self, request: SipRequest, device_id: str, timeout: float = 10.0) -> SipResponse:
        """Send ``request`` to the device; its final response."""
        future: asyncio.Future[SipResponse] = asyncio.get_running_loop().create_future()
        branch = request.branch or ""
        self._pending[branch] = future
        try:
            self._send(request, self.device_addr[device_id], self._writers.get(device_id))
            return await asyncio.wait_for(future, timeout)
        finally:
            self._pending.pop(branch, None)

    def send_in_dialog(self, request: SipRequest, device_id: str) -> None:
        """Send without waiting (ACK)."""
        self._send(request, self.device_addr[device_id], self._writers.get(device_id))

    async def manscdp(self, device_id: str, message: Message, target: str | None = None) -> int:
        request = self.new_request(
            "MESSAGE", device_id, target, body=encode(message), content_type=MANSCDP
        )
        return (await self.send(request, device_id)).status

    async def invite(
        self, device_id: str, channel_id: str, sdp: bytes
    ) -> tuple[SipResponse, Dialog]:
        """INVITE → 200 → ACK; the 200 and the platform's dialog."""
        invite = self.new_request(
            "INVITE",
            device_id,
            channel_id,
            body=sdp,
            content_type="application/sdp",
            headers=[("Subject", f"{channel_id}:0,{PLATFORM_ID}:0")],
        )
        response = await self.send(invite, device_id)
        assert response.status == 200, response
        dialog = Dialog.from_uac(invite, response)
        self.send_in_dialog(dialog.ack(via=self.via()), device_id)
        return response, dialog

    async def in_dialog(
        self,
        dialog: Dialog,
        method: str,
        device_id: str,
        body: bytes = b"",
        content_type: str | None = None,
    ) -> SipResponse:
        request = dialog.request(method, via=self.via(), body=body, content_type=content_type)
        return await self.send(request, device_id)
