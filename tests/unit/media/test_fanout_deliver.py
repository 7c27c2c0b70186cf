"""A subscription that hands items over as they are offered (the live muxer's), not queued."""

import asyncio

import pytest

from vigil.media.fanout import ConsumerDropped, Subscription


def test_queued_items_first_then_each_as_it_is_offered() -> None:
    sub: Subscription[int] = Subscription(4, lambda n: n % 2 == 0)
    for n in (1, 2, 3):  # 1 is skipped: not a starting item
        assert sub.offer(n)
    got: list[int] = []
    sub.deliver_to(got.append)
    assert got == [2, 3]
    for n in range(4, 20):  # more than the queue's limit: nothing is queued any more
        assert sub.offer(n)
    assert got == list(range(2, 20))
    assert sub.pending == 0


async def test_iterating_waits_for_the_end_and_yields_nothing() -> None:
    sub: Subscription[int] = Subscription(4, lambda _: True)
    got: list[int] = []
    sub.deliver_to(got.append)

    async def read() -> list[int]:
        return [n async for n in sub]

    reader = asyncio.create_task(read())
    await asyncio.sleep(0)
    sub.offer(1)
    sub.offer(2)
    await asyncio.sleep(0)
    assert not reader.done()
    sub.drop("stream ended")
    with pytest.raises(ConsumerDropped, match="stream ended"):
        await reader
    assert got == [1, 2]


async def test_a_failing_consumer_is_dropped_with_the_error_as_reason() -> None:
    sub: Subscription[int] = Subscription(4, lambda _: True)

    def fail(n: int) -> None:
        if n == 2:
            raise ValueError("bad frame")

    sub.deliver_to(fail)
    assert sub.offer(1)
    assert not sub.offer(2)
    assert sub.closed
    with pytest.raises(ConsumerDropped, match="bad frame"):
        await anext(sub)
