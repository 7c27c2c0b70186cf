"""cancel_and_wait ends a task that swallowed its first cancellation (as Python 3.11's wait_for
can when the cancellation meets its inner result): it cancels again until the task ends."""

from __future__ import annotations

import asyncio

from vigil.tasks import cancel_and_wait


async def test_a_task_that_swallows_one_cancel_still_ends() -> None:
    swallowed = 0

    async def stubborn() -> None:
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed += 1  # goes on as if never cancelled

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.wait_for(asyncio.shield(cancel_and_wait(task)), 5)
    assert loop.time() - started < 3
    assert task.cancelled()
    assert swallowed == 1
