"""SIP over TCP is bounded (issue 13): silent and idle connections are closed, and connections
from one host are capped with one warning however many are refused."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.integration.gb28181.conftest import NodeFactory
from vigil.protocols.sip import NameAddr, SipUri, Via, make_request, new_branch, new_call_id

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


def options(port: int) -> bytes:
    return bytes(
        make_request(
            "OPTIONS",
            SipUri("127.0.0.1", "34020000002000000001", port),
            via=Via("TCP", "127.0.0.1", 5999, new_branch(), rport=True),
            from_=NameAddr(SipUri("3402000000", "34010400001320000001")).with_tag("t1"),
            to=NameAddr(SipUri("3402000000", "34020000002000000001")),
            call_id=new_call_id(),
            cseq=1,
        )
    )


async def closed_after(reader: asyncio.StreamReader, timeout: float) -> float | None:
    """Seconds until the server closed the connection, None if it stayed open ``timeout``."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(timeout):
            while await reader.read(65536):
                pass
    except TimeoutError:
        return None
    return loop.time() - start


async def test_silent_then_idle_connections_are_closed(gb_factory: NodeFactory) -> None:
    node = await gb_factory(sip_tcp_first_message_seconds=0.5, sip_tcp_idle_seconds=1.5)
    silent, quiet_writer = await asyncio.open_connection("127.0.0.1", node.gb.port)
    talker, writer = await asyncio.open_connection("127.0.0.1", node.gb.port)
    writer.write(options(node.gb.port))
    answer = await asyncio.wait_for(talker.readuntil(b"\r\n\r\n"), 3)
    assert answer.startswith(b"SIP/2.0 200")
    silent_for = await closed_after(silent, 3)
    assert silent_for is not None and silent_for < 1.5
    # A connection that delivered a message is kept past the first deadline, until idle.
    assert await closed_after(talker, 0.5) is None
    assert await closed_after(talker, 3) is not None
    quiet_writer.close()
    writer.close()


async def test_connections_from_one_host_are_capped_with_one_warning(
    gb_factory: NodeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="vigil.gb28181.sip.transport")
    node = await gb_factory(sip_tcp_max_per_address=3)
    port = node.gb.port
    kept: list[Connection] = []
    for _ in range(3):
        kept.append(await asyncio.open_connection("127.0.0.1", port))
    refused = [await asyncio.open_connection("127.0.0.1", port) for _ in range(5)]
    for reader, _ in refused:
        assert await closed_after(reader, 2) is not None
    for reader, _ in kept:
        assert await closed_after(reader, 0.2) is None
    other = await asyncio.open_connection("127.0.0.1", port, local_addr=("127.0.0.5", 0))
    assert await closed_after(other[0], 0.3) is None  # another host has its own allowance
    warnings = [r for r in caplog.records if "cap reached" in r.getMessage()]
    assert len(warnings) == 1 and getattr(warnings[0], "cap", None) == "per address"
    for _, writer in [*kept, *refused, other]:
        writer.close()
