"""What a :class:`~vigil.sim.fleet.Fleet` says, as text: its IDs, its channels, the head of each
request it sends, its keepalive body, and the challenge read from a 401 without a full parse.

Written by hand rather than through the SIP and MANSCDP codecs because a fleet sends hundreds of
these a second and must stay cheaper than the server it loads.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from vigil.protocols.manscdp import CatalogItem

__all__ = [
    "FleetConfig",
    "RequestHead",
    "challenge_of",
    "channel_items",
    "fleet_ids",
    "keepalive_body",
]

MOBILE_TYPE = "138"
CAMERA_TYPE = "132"
CHANNEL_TYPE = "131"


def fleet_ids(centre: str, count: int, mobile_every: int) -> list[str]:
    """``count`` device IDs under the 8-digit ``centre``: every ``mobile_every``-th a 138."""
    ids = []
    for n in range(count):
        kind = MOBILE_TYPE if mobile_every and n % mobile_every == 0 else CAMERA_TYPE
        ids.append(f"{centre}00{kind}0{n + 1:06d}")
    return ids


@dataclass(frozen=True, slots=True)
class FleetConfig:
    """The fleet: ``count`` devices of ``channels`` each at ``server``; see :class:`Fleet`."""

    count: int
    server: tuple[str, int]
    password: str
    channels: int = 4
    mobile_every: int = 10
    keepalive_interval: float = 60.0
    sockets: int = 32
    window: int = 200
    domain: str = "3402000000"
    server_id: str = "34020000002000000001"
    centre: str = "34010400"
    local_host: str = "127.0.0.1"
    zone: str = "Asia/Shanghai"


def channel_items(config: FleetConfig, n: int, device: str) -> tuple[CatalogItem, ...]:
    """Device ``n``'s ``config.channels`` cameras (type 131), placed near Hefei."""
    per = config.channels
    return tuple(
        CatalogItem(
            device_id=f"{config.centre}00{CHANNEL_TYPE}0{n * per + k + 1:06d}",
            name=f"通道 {n + 1}-{k + 1}",
            manufacturer="Vigil",
            parental=0,
            parent_id=device,
            status="ON",
            longitude=117.2 + (n % 100) / 1000,
            latitude=31.8 + (n // 100 % 100) / 1000,
        )
        for k in range(per)
    )


@dataclass(frozen=True, slots=True)
class RequestHead:
    """A request from ``device`` over the socket at ``host``:``port``; ``tags`` (From, To) and
    ``call_id`` for one inside a dialog, else the device's fixed tag and a fresh Call-ID."""

    method: str
    device: str
    host: str
    port: int
    branch: str
    extra: str = ""
    cseq: int = 1
    call_id: str | None = None
    tags: tuple[str, str] | None = None

    def text(self, server_id: str, domain: str, body: bytes) -> bytes:
        device, host, port = self.device, self.host, self.port
        to_user = device if self.method == "REGISTER" else server_id
        from_tag, to_tag = self.tags or (device[-7:], "")
        to_param = f";tag={to_tag}" if to_tag else ""
        content_type = "Content-Type: Application/MANSCDP+xml\r\n" if body else ""
        head = (
            f"{self.method} sip:{server_id}@{domain} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {host}:{port};rport;branch={self.branch}\r\n"
            f"From: <sip:{device}@{domain}>;tag={from_tag}\r\n"
            f"To: <sip:{to_user}@{domain}>{to_param}\r\n"
            f"Call-ID: {self.call_id or self.branch + '@' + host}\r\n"
            f"CSeq: {self.cseq} {self.method}\r\n"
            f"Contact: <sip:{device}@{host}:{port}>\r\n"
            f"Max-Forwards: 70\r\n{self.extra}{content_type}"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body


def keepalive_body(device: str, sn: int) -> bytes:
    return (
        f'<?xml version="1.0" encoding="GB2312"?>\r\n<Notify>\r\n<CmdType>Keepalive</CmdType>'
        f"\r\n<SN>{sn}</SN>\r\n<DeviceID>{device}</DeviceID>\r\n"
        f"<Status>OK</Status>\r\n</Notify>\r\n"
    ).encode()


def answer_of(response: bytes) -> tuple[str, int, str]:
    """Branch, status and challenge of a response read straight from its bytes (no full parse,
    so that a simulator of thousands of devices stays cheap)."""
    start = response.find(b";branch=") + 8
    end = min(i for i in (response.find(b"\r", start), response.find(b";", start)) if i >= 0)
    return response[start:end].decode(), int(response[8:11]), challenge_of(response)


def settle_answer(pending: dict[str, asyncio.Future[tuple[int, str]]], response: bytes) -> None:
    """Hand a response's status and challenge to the request waiting on its branch, if any."""
    branch, status, challenge = answer_of(response)
    future = pending.pop(branch, None)
    if future is not None and not future.done():
        future.set_result((status, challenge))


def challenge_of(response: bytes) -> str:
    """The WWW-Authenticate value of a 401, else empty."""
    start = response.find(b"WWW-Authenticate: ")
    if start < 0:
        return ""
    start += 18
    return response[start : response.find(b"\r", start)].decode()
