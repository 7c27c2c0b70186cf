"""The dispatcher recognises an upper platform by its SIP ID and, where its address is an IP
address, by where the request came from; it routes by method and MANSCDP CmdType, acknowledges
what the platform reports, refuses the rest, and audits and counts every request."""

from __future__ import annotations

import json

from vigil.app import Vigil
from vigil.gb28181.sip.transport import Peer
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import Permission, Principal
from vigil.protocols.sip import (
    NameAddr,
    SipRequest,
    SipResponse,
    SipUri,
    Via,
    make_request,
    make_response,
)
from vigil.store.models import Role
from vigil.store.models.platforms import Platform, PlatformDirection

UPPER = "34000000002000000001"
AUDITOR = Principal(None, "auditor", Role.auditor, frozenset({Permission.audit_read}), None)
HERE = Peer("udp", "127.0.0.1", 5061)


def request(method: str, body: bytes = b"", sender: str = UPPER) -> SipRequest:
    return make_request(
        method,
        SipUri("127.0.0.1", "34010000002000000001", 5060),
        via=Via("UDP", "127.0.0.1", 5061, "z9hG4bK-test"),
        from_=NameAddr(SipUri("3400000000", sender)).with_tag("t1"),
        to=NameAddr(SipUri("3401000000", "34010000002000000001")),
        call_id="dispatch-test",
        cseq=1,
        body=body,
        content_type="Application/MANSCDP+xml" if body else None,
    )


def manscdp(root: str, cmd_type: str) -> bytes:
    return (
        f'<?xml version="1.0"?><{root}><CmdType>{cmd_type}</CmdType><SN>1</SN>'
        f"<DeviceID>34010000001320000001</DeviceID></{root}>"
    ).encode()


def platform(host: str | None) -> Platform:
    return Platform(
        id=7, direction=PlatformDirection.UPPER, sip_id=UPPER, domain="3400000000", host=host
    )


async def test_recognised_by_id_and_address(node: Vigil) -> None:
    dispatch = node.cascade
    dispatch.set_platforms([platform("127.0.0.1")])
    assert dispatch.platform_for(request("MESSAGE"), HERE) is not None
    assert dispatch.platform_for(request("MESSAGE"), Peer("udp", "127.0.0.2", 5061)) is None
    assert dispatch.platform_for(request("MESSAGE", sender="34000000002000000002"), HERE) is None
    dispatch.set_platforms([platform("upper.example")])  # a name is not resolved to compare
    assert dispatch.platform_for(request("MESSAGE"), Peer("udp", "127.0.0.2", 5061)) is not None
    dispatch.set_platforms([])
    assert dispatch.platform_for(request("MESSAGE"), HERE) is None


async def test_routes_refuses_audits_and_counts(node: Vigil) -> None:
    dispatch = node.cascade
    upper = platform("127.0.0.1")
    seen: list[str] = []

    async def answer(_: Platform, req: SipRequest, __: Peer) -> SipResponse:
        seen.append(req.method)
        return make_response(req, 200)

    dispatch.on_message("RecordInfo", answer)
    dispatch.on_method("BYE", answer)
    results = [
        (await dispatch.handle(upper, request("MESSAGE", manscdp("Query", "RecordInfo")), HERE)),
        (await dispatch.handle(upper, request("BYE"), HERE)),
        (await dispatch.handle(upper, request("MESSAGE", manscdp("Response", "Alarm")), HERE)),
        (
            await dispatch.handle(
                upper, request("MESSAGE", manscdp("Query", "ConfigDownload")), HERE
            )
        ),
        (await dispatch.handle(upper, request("REFER"), HERE)),
    ]
    assert [r.status if r else None for r in results] == [200, 200, 200, 501, 405]
    assert seen == ["MESSAGE", "BYE"]
    counters = dispatch.counters(upper.id)
    assert (counters.requests, counters.failures) == (5, 2)
    records = await node.audit.page(AUDITOR, AuditFilter(actor=f"platform:{UPPER}"), None, 10)
    assert [(r.action, r.outcome) for r in reversed(records)] == [
        ("cascade.message", "200"),
        ("cascade.bye", "200"),
        ("cascade.message", "200"),
        ("cascade.message", "501"),
        ("cascade.refer", "405"),
    ]
    assert json.loads(records[1].detail)["command"] == "Query/ConfigDownload"
