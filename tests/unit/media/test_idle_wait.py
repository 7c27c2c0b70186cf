"""IdleWait: the recorder's per-wait time limit with one timer per consumer."""

from __future__ import annotations

import asyncio
import time

import pytest

from vigil.media.fanout import Subscription
from vigil.media.idle_wait import IdleWait


def subscription() -> Subscription[int]:
    return Subscription(100, lambda item: True)


async def test_steady_items_never_time_out_though_the_stream_outlasts_the_limit() -> None:
    items = subscription()
    # A limit of 0.5 s against items 20 ms apart: only a stall of the whole loop for most of half
    # a second (a loaded machine has shown 100 ms) could make a steady item late.
    wait = IdleWait(items, 0.5)
    got: list[int] = []

    async def produce() -> None:
        for n in range(60):  # 1.2 s of items, 20 ms apart: more than two limits long
            items.offer(n)
            await asyncio.sleep(0.02)

    producer = asyncio.create_task(produce())
    try:
        while len(got) < 60:
            got.append(await wait.next())
    finally:
        wait.close()
        await producer
    assert got == list(range(60))


async def test_a_quiet_iterator_times_out_after_the_limit_and_loses_nothing() -> None:
    items = subscription()
    wait = IdleWait(items, 0.1)
    items.offer(1)
    assert await wait.next() == 1
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await wait.next()
    waited = time.monotonic() - started
    assert 0.09 <= waited < 1.0
    items.offer(2)
    assert await wait.next() == 2  # the timed-out wait took nothing with it
    items.drop("ended")
    with pytest.raises(Exception, match="ended"):
        await wait.next()
    wait.close()


async def test_an_outside_cancellation_stays_a_cancellation() -> None:
    items = subscription()

    async def consume() -> None:
        wait = IdleWait(items, 5.0)
        try:
            await wait.next()
        finally:
            wait.close()

    task = asyncio.create_task(consume())
    await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_the_end_of_the_iterator_is_stop_async_iteration() -> None:
    items = subscription()
    items.close()
    wait = IdleWait(items, 1.0)
    with pytest.raises(StopAsyncIteration):
        await wait.next()
    wait.close()
