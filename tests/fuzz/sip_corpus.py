"""Well-formed GB/T 28181 messages a device or a peer platform sends: the seeds the network fuzz
mutates. Each names ``device_id`` in From, so a mutation that survives the parser also tries the
spoofing, routing and storage paths behind it."""

from __future__ import annotations

__all__ = ["sip_seeds"]

_PLATFORM = "34020000002000000001"
_DOMAIN = "3402000000"


def _message(
    method: str, device_id: str, host: str, port: int, body: str, content_type: str, n: int
) -> bytes:
    payload = body.encode("gb18030")
    head = (
        f"{method} sip:{_PLATFORM}@{_DOMAIN} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP {host}:{port};rport;branch=z9hG4bK-fz{n}\r\n"
        f"From: <sip:{device_id}@{_DOMAIN}>;tag=fz{n}\r\n"
        f"To: <sip:{_PLATFORM}@{_DOMAIN}>\r\n"
        f"Call-ID: fuzz-{n}@{host}\r\n"
        f"CSeq: {n} {method}\r\n"
        f"Contact: <sip:{device_id}@{host}:{port}>\r\n"
        "Max-Forwards: 70\r\n"
        "User-Agent: fuzz\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


def _manscdp(kind: str, cmd: str, device_id: str, inner: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="GB2312"?>\r\n'
        f"<{kind}>\r\n<CmdType>{cmd}</CmdType>\r\n<SN>17</SN>\r\n"
        f"<DeviceID>{device_id}</DeviceID>\r\n{inner}</{kind}>\r\n"
    )


_CATALOG_ITEM = (
    '<SumNum>1</SumNum><DeviceList Num="1"><Item><DeviceID>{id}</DeviceID>'
    "<Name>SPOOFED-CAM</Name><Manufacturer>x</Manufacturer><Status>ON</Status>"
    "<Longitude>117.2</Longitude><Latitude>31.8</Latitude><Event>ADD</Event></Item></DeviceList>"
)
_ALARM = (
    "<AlarmPriority>1</AlarmPriority><AlarmMethod>2</AlarmMethod>"
    "<AlarmTime>2026-12-06T10:00:00</AlarmTime><AlarmType>1</AlarmType>"
)
_POSITION = (
    "<Time>2026-12-06T10:00:00</Time><Longitude>117.2</Longitude><Latitude>31.8</Latitude>"
    "<Speed>1.0</Speed><Direction>90</Direction>"
)
_SDP = (
    "v=0\r\no=34020000002000000001 0 0 IN IP4 127.0.0.1\r\ns=Play\r\nc=IN IP4 127.0.0.1\r\n"
    "t=0 0\r\nm=video 30000 RTP/AVP 96\r\na=recvonly\r\na=rtpmap:96 PS/90000\r\n"
    "y=0100000001\r\n"
)
_MANSRTSP = "PLAY MANSRTSP/1.0\r\nCSeq: 2\r\nScale: 2.0\r\nRange: npt=10-\r\n"


def sip_seeds(device_id: str, host: str, port: int) -> list[bytes]:
    """One of each request shape a device, a lower or an upper platform sends, from ``host``."""
    manscdp = "Application/MANSCDP+xml"
    channel = device_id[:13] + "1" + device_id[14:]
    bodies = [
        ("MESSAGE", _manscdp("Notify", "Keepalive", device_id, "<Status>OK</Status>\r\n"), manscdp),
        (
            "NOTIFY",
            _manscdp("Notify", "Catalog", device_id, _CATALOG_ITEM.format(id=channel)),
            manscdp,
        ),
        (
            "MESSAGE",
            _manscdp("Response", "Catalog", device_id, _CATALOG_ITEM.format(id=channel)),
            manscdp,
        ),
        ("MESSAGE", _manscdp("Notify", "Alarm", device_id, _ALARM), manscdp),
        ("NOTIFY", _manscdp("Notify", "MobilePosition", device_id, _POSITION), manscdp),
        ("MESSAGE", _manscdp("Response", "DeviceInfo", device_id, "<Result>OK</Result>"), manscdp),
        ("MESSAGE", _manscdp("Query", "Catalog", device_id), manscdp),
        (
            "MESSAGE",
            _manscdp("Control", "DeviceControl", channel, "<PTZCmd>A50F01021F0000D6</PTZCmd>"),
            manscdp,
        ),
        ("INVITE", _SDP, "application/sdp"),
        ("INFO", _MANSRTSP, "Application/MANSRTSP"),
        ("SUBSCRIBE", _manscdp("Query", "Catalog", device_id), manscdp),
        ("REGISTER", "", "text/plain"),
        ("OPTIONS", "", "text/plain"),
        ("BYE", "", "text/plain"),
        ("ACK", "", "text/plain"),
    ]
    seeds = [
        _message(method, device_id, host, port, body, kind, n)
        for n, (method, body, kind) in enumerate(bodies, 1)
    ]
    seeds.append(
        b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-none\r\n"
        b"From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: none\r\nCSeq: 1 MESSAGE\r\n"
        b"Content-Length: 0\r\n\r\n"
    )
    return seeds
