"""Wait for the event a test is about, not for a fixed time.

A fixed ``sleep`` is either too short on a busy machine (a parallel run, other work beside it) or
too long everywhere else; polling the condition with a deadline is as fast as the event and as
patient as the deadline.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable


async def until(
    check: Callable[[], bool | Awaitable[bool]],
    what: str,
    timeout: float = 10.0,
    every: float = 0.01,
) -> None:
    """Poll ``check`` (plain or async) until it holds; fail, naming ``what``, after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        held = check()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        await asyncio.sleep(every)


def until_sync(
    check: Callable[[], bool], what: str, timeout: float = 10.0, every: float = 0.05
) -> None:
    """:func:`until` for a test without an event loop."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(every)
