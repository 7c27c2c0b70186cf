"""Malformed SIP and MANSCDP from one socket: 400 or silence, a log line naming the peer, and
every other device keeps working."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from tests.integration.gb28181.conftest import DEVICE_ID, device
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM

OTHER_ID = "34010400001320000002"
SECRET = "etc-hostname-must-not-leak"


def message(body: bytes, content_length: int | None = None, device_id: str = DEVICE_ID) -> bytes:
    length = len(body) if content_length is None else content_length
    head = (
        "MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 127.0.0.1:5999;rport;branch=z9hG4bK-bad-{n}\r\n"
        f"From: <sip:{device_id}@3402000000>;tag=1\r\n"
        "To: <sip:34020000002000000001@3402000000>\r\n"
        "Call-ID: bad-{n}\r\n"
        "CSeq: 1 MESSAGE\r\n"
        "Content-Type: Application/MANSCDP+xml\r\n"
        f"Content-Length: {length}\r\n\r\n"
    )
    return head.encode() + body


KEEPALIVE = (
    b'<?xml version="1.0"?><Notify><CmdType>Keepalive</CmdType><SN>1</SN>'
    b"<DeviceID>" + DEVICE_ID.encode() + b"</DeviceID><Status>OK</Status></Notify>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE Notify [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    b"<Notify><CmdType>Keepalive</CmdType><SN>1</SN><DeviceID>&x;</DeviceID></Notify>"
)
BAD_INPUTS: dict[str, tuple[bytes, int | None]] = {
    "truncated head": (
        b"MESSAGE sip:34020000002000000001@3402000000 SIP/2.0\r\nVia: SIP/2.0/U",
        None,
    ),
    "garbage": (b"\x00\xff" * 200, None),
    "deeper than the XML limit": (message(b"<Notify>" + b"<a>" * 40 + b"</a>" * 40), 400),
    "longer than a datagram may be": (message(b"x" * 65_000, content_length=65_000), 400),
    "content-length too big": (message(KEEPALIVE, content_length=len(KEEPALIVE) + 50), 400),
    "content-length not a number": (message(KEEPALIVE).replace(b"Length: ", b"Length: x"), 400),
    "bad XML": (message(b"<Notify><CmdType>Keepalive</CmdType><SN>1</SN"), 400),
    "XXE": (message(XXE), 400),
}


async def test_bad_input_from_one_socket_never_stops_another_device(
    gb_node: Vigil, caplog: pytest.LogCaptureFixture
) -> None:
    await gb_node.devices.create(SYSTEM, OTHER_ID, {"name": "camera two"})
    caplog.set_level(logging.WARNING, logger="vigil.gb28181")
    loop = asyncio.get_running_loop()
    async with device(gb_node) as attacker, device(gb_node, OTHER_ID) as honest:
        assert (await attacker.register()).status == 200
        assert (await honest.register()).status == 200
        raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        raw.bind(("127.0.0.1", 0))
        raw.setblocking(False)
        bad_port = raw.getsockname()[1]
        server = ("127.0.0.1", gb_node.gb.port)
        try:
            for n, (name, (data, expected)) in enumerate(BAD_INPUTS.items()):
                raw.sendto(data.replace(b"{n}", str(n).encode()), server)
                if expected is None:
                    await asyncio.sleep(0.1)
                    with pytest.raises(BlockingIOError):
                        raw.recv(70_000)
                else:
                    answer = await asyncio.wait_for(loop.sock_recv(raw, 70_000), 2)
                    assert answer.startswith(f"SIP/2.0 {expected} ".encode()), (name, answer[:80])
                    assert SECRET.encode() not in answer
                assert (await honest.keepalive()).status == 200, name
        finally:
            raw.close()
    peers = [getattr(r, "peer", "") for r in caplog.records if r.levelno == logging.WARNING]
    assert any(str(bad_port) in peer for peer in peers)
    presence = gb_node.gb.device(OTHER_ID)
    assert presence is not None and presence.online


async def test_xxe_is_refused_without_expansion(gb_node: Vigil, tmp_path: object) -> None:
    async with device(gb_node) as camera:
        assert (await camera.register()).status == 200
        camera.received_raw.clear()
        request = camera._request("MESSAGE", body=XXE)
        response = await camera.send(request)
    assert response.status == 400
    assert "DTD" in response.reason or "entit" in response.reason.lower()
    with open("/etc/hostname", "rb") as handle:
        hostname = handle.read().strip()
    assert not hostname or hostname not in b"".join(camera.received_raw)


async def test_broken_tcp_stream_closes_only_that_connection(gb_node: Vigil) -> None:
    await gb_node.devices.create(SYSTEM, OTHER_ID, {"name": "camera two"})
    async with device(gb_node, OTHER_ID, transport="tcp") as honest:
        assert (await honest.register()).status == 200
        reader, writer = await asyncio.open_connection("127.0.0.1", gb_node.gb.port)
        writer.write(message(KEEPALIVE).replace(b"Content-Length", b"Content-Lengthx"))
        writer.write(b"x" * 70_000)
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 2) == b""  # closed, nothing answered
        writer.close()
        assert (await honest.keepalive()).status == 200
