"""Port and SSRC pools: unique while in use, given back, reused last."""

from __future__ import annotations

import asyncio

import pytest

from vigil.media.sources.base import SourceError
from vigil.media.sources.ports import PortPool
from vigil.media.sources.ssrc import SsrcPool
from vigil.protocols.sdp import parse_ssrc


def test_ports_are_unique_and_released_round_robin() -> None:
    pool = PortPool(30000, 30002)
    taken = [pool.acquire() for _ in range(3)]
    assert sorted(taken) == [30000, 30001, 30002]
    with pytest.raises(SourceError):
        pool.acquire()
    pool.release(30000)
    assert pool.acquire() == 30000
    pool.release(30001)
    pool.release(30000)
    # The port released first is reused first: the one just freed is reused last.
    assert pool.acquire() == 30001
    with pytest.raises(ValueError):
        pool.release(30001 + 100)


async def test_bind_skips_ports_that_fail_and_gives_them_back() -> None:
    pool = PortPool(30000, 30003)

    async def open_on(port: int) -> str:
        if port < 30002:
            raise OSError("address in use")
        return f"bound {port}"

    port, what = await pool.bind(open_on)
    assert (port, what) == (30002, "bound 30002")
    assert pool.in_use == {30002}

    async def never(port: int) -> None:
        raise OSError("address in use")

    with pytest.raises(SourceError):
        await pool.bind(never)
    assert pool.in_use == {30002}
    await asyncio.sleep(0)


def test_ssrcs_follow_the_design_rule_and_are_unique() -> None:
    pool = SsrcPool("3402000000", limit=3)
    live = pool.acquire()
    history = pool.acquire(history=True)
    assert live == "0200000000" and parse_ssrc(live).index == 0
    assert history.startswith("1") and parse_ssrc(history).index == 1
    third = pool.acquire()
    with pytest.raises(SourceError):
        pool.acquire()
    assert len({live, history, third}) == 3
    pool.release(live)
    assert pool.acquire() == live
    with pytest.raises(ValueError):
        pool.release("0200009999")
