"""The stream hub with synthetic packets: fan-out, keyframe start, slow consumers, linger."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.waiting import until
from vigil.media.fanout import ConsumerDropped, Subscription
from vigil.media.hub import StreamHub
from vigil.media.packet import Codec, MediaPacket, StreamKey
from vigil.media.sources.base import PacketSink, SourceError, SourceStats

KEY = StreamKey("34010000001320000001")


def packet(n: int, keyframe: bool = False) -> MediaPacket:
    return MediaPacket(Codec.H264, n * 3600, n * 3600, keyframe, bytes([n % 256]), 0.0)


class ScriptedSource:
    """A source the test drives by hand through ``sink``."""

    def __init__(self) -> None:
        self.sink: PacketSink | None = None
        self.starts = 0
        self.stops = 0
        self.stats = SourceStats()

    async def start(self, sink: PacketSink) -> None:
        self.sink = sink
        self.starts += 1

    async def stop(self) -> None:
        self.stops += 1

    def send(self, *packets: MediaPacket) -> None:
        assert self.sink is not None
        for p in packets:
            self.sink.publish(p)


@pytest.fixture
def source() -> ScriptedSource:
    return ScriptedSource()


@pytest.fixture
async def hub(source: ScriptedSource) -> AsyncIterator[StreamHub]:
    async def open_source(key: StreamKey) -> ScriptedSource:
        return source

    hub = StreamHub(open_source, linger=0.05, queue_limit=8, gop_limit=4)
    yield hub
    await hub.stop()


def drain(sub: object) -> list[int]:
    items = list(sub._items)  # type: ignore[attr-defined]
    return [p.data[0] for p in items]


async def test_one_source_many_consumers_each_from_a_keyframe(
    hub: StreamHub, source: ScriptedSource
) -> None:
    early = await hub.subscribe(KEY)
    source.send(packet(1), packet(2, keyframe=True), packet(3))
    late = await hub.subscribe(KEY)
    source.send(packet(4))
    assert source.starts == 1
    assert drain(early) == [2, 3, 4]  # packet 1 came before any keyframe
    assert drain(late) == [2, 3, 4]  # the GOP so far, then live
    assert [p.pts async for p in _take(early, 3)] == [7200, 10800, 14400]


async def _take(sub: Subscription[MediaPacket], n: int) -> AsyncIterator[MediaPacket]:
    for _ in range(n):
        yield await anext(sub)


async def test_gop_longer_than_kept_makes_late_joiners_wait(
    hub: StreamHub, source: ScriptedSource
) -> None:
    first = await hub.subscribe(KEY)
    source.send(packet(1, keyframe=True), *(packet(n) for n in range(2, 7)))
    first.close()
    late = await hub.subscribe(KEY)
    source.send(packet(7))
    assert drain(late) == []
    source.send(packet(8, keyframe=True))
    assert drain(late) == [8]


async def test_slow_consumer_is_dropped_and_told_others_continue(
    hub: StreamHub, source: ScriptedSource
) -> None:
    slow = await hub.subscribe(KEY)
    fast = await hub.subscribe(KEY)
    received: list[int] = []
    source.send(packet(0, keyframe=True))
    for n in range(1, 20):
        source.send(packet(n))
        received.append((await anext(fast)).data[0])
    assert received == list(range(19))
    with pytest.raises(ConsumerDropped, match="slow consumer"):
        await anext(slow)
    assert hub.streams()[0].consumers == 1


async def test_source_stops_after_linger_unless_someone_returns(
    hub: StreamHub, source: ScriptedSource
) -> None:
    sub = await hub.subscribe(KEY)
    sub.close()
    await asyncio.sleep(0)  # the loop turns once: well within the linger, however busy the CPU
    again = await hub.subscribe(KEY)  # back within the linger: the same source goes on
    await asyncio.sleep(0.1)  # twice the linger: a stop still pending would have happened
    assert (source.starts, source.stops) == (1, 0)
    again.close()
    await until(lambda: source.stops == 1, "the source stops once the linger is over", 5)
    assert hub.streams() == []


async def test_source_end_tells_consumers_and_stops_it(
    hub: StreamHub, source: ScriptedSource
) -> None:
    sub = await hub.subscribe(KEY)
    assert source.sink is not None
    source.sink.end("camera went away")
    with pytest.raises(ConsumerDropped, match="camera went away"):
        await anext(sub)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert source.stops == 1


async def test_failed_start_raises_and_leaves_nothing() -> None:
    async def refuse(key: StreamKey) -> ScriptedSource:
        raise SourceError("no provider")

    hub = StreamHub(refuse, linger=0)
    with pytest.raises(SourceError):
        await hub.subscribe(KEY)
    assert hub.streams() == []
    await hub.stop()


async def test_stop_ends_every_consumer(hub: StreamHub, source: ScriptedSource) -> None:
    sub = await hub.subscribe(KEY)
    await hub.stop()
    assert source.stops == 1
    with pytest.raises(ConsumerDropped, match="stopping"):
        await anext(sub)
