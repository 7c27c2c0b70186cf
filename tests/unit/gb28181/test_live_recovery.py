"""A GB live stream's recovery (LiveSource) always ends: every failed re-INVITE is one more try,
whatever it failed with, and when the tries are spent the hub is told the stream ended.

The calls are stand-ins (no SIP, no RTP): what is checked is LiveSource's own bookkeeping. The
race that made a redial fail with something other than StreamFailed was seen in a full run
(tests/integration/cascade/test_cascade_media.py, the source-ending test): the stopping camera
answered the re-INVITE and was taken offline before the ACK could go, so sending the ACK raised
Conflict, the recovery task died with it, and the stream (and the upper platform's call) never
ended. place_call now turns that into StreamFailed too; the race itself is not reproducible on
demand, so this test holds the rule that any failed redial is one more try.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from vigil.errors import Conflict
from vigil.gb28181.calls.media_call import GbCall, StreamFailed
from vigil.gb28181.calls.media_sessions import LiveSource
from vigil.media import MediaPacket, SourceStats


@dataclass
class StandInSource:
    sink: object = None

    async def start(self, sink: object) -> None:
        self.sink = sink

    async def stop(self) -> None:
        return None


@dataclass
class StandInCall:
    """What LiveSource touches of a GbCall."""

    key: str = "34020000001320000001"
    receiver: object = field(default_factory=lambda: type("R", (), {"stats": SourceStats()})())
    source: StandInSource = field(default_factory=StandInSource)
    on_end: Callable[[str], None] | None = None
    closed: bool = False

    async def close(self) -> None:
        self.closed = True


@dataclass
class Ends:
    reasons: list[str] = field(default_factory=list)
    ended: asyncio.Event = field(default_factory=asyncio.Event)

    def publish(self, packet: MediaPacket) -> None:
        return None

    def end(self, reason: str) -> None:
        self.reasons.append(reason)
        self.ended.set()


async def run_until_end(redial_error: Exception) -> tuple[Ends, int]:
    tries = 0

    async def redial() -> GbCall:
        nonlocal tries
        tries += 1
        raise redial_error

    first = StandInCall()
    source = LiveSource(cast(GbCall, first), redial, retries=3, backoff=0.01)
    ends = Ends()
    await source.start(ends)
    assert first.on_end is not None
    first.on_end("device hung up")
    await asyncio.wait_for(ends.ended.wait(), 5)
    assert first.closed
    await source.stop()
    return ends, tries


async def test_redials_that_fail_end_the_stream_once_spent() -> None:
    ends, tries = await run_until_end(StreamFailed("no answer", "device did not answer"))
    assert tries == 3 and len(ends.reasons) == 1


async def test_a_redial_refused_for_an_offline_device_is_one_more_failed_try() -> None:
    offline = Conflict("device 34020000001320000001 is not online", code="device.offline")
    ends, tries = await run_until_end(offline)
    assert tries == 3
    assert ends.reasons == ["no answer: device 34020000001320000001 is not online"]
