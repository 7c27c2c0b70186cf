"""A lower Vigil registers to an upper Vigil as configured in its platforms table: digest,
keepalive, refusal with back-off, re-registration after the upper restarts, UDP and TCP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.cascade.upper_nodes import (
    LINK_PASSWORD,
    LOWER_ID,
    UPPER_DOMAIN,
    UPPER_ID,
    add_upper,
    eventually,
    start_node,
)
from vigil.app import Vigil
from vigil.gb28181.cascade.links import BACKOFF_CAP, backoff_delay, gb_version
from vigil.store.models.platforms import Platform


@pytest.fixture
async def nodes(tmp_path: Path) -> AsyncIterator[list[Vigil]]:
    started: list[Vigil] = []
    yield started
    for node in reversed(started):
        await node.stop()


async def upper_node(tmp_path: Path, name: str = "upper", **overrides: object) -> Vigil:
    return await start_node(
        tmp_path,
        name,
        sip_id=UPPER_ID,
        sip_domain=UPPER_DOMAIN,
        sip_password=LINK_PASSWORD,
        sip_admit_unknown=True,
        **overrides,
    )


def test_backoff_doubles_from_one_second_to_the_cap_with_jitter() -> None:
    lows = [backoff_delay(n, lambda: 0.0) for n in range(10)]
    highs = [backoff_delay(n, lambda: 0.999999) for n in range(10)]
    assert lows[:4] == [0.5, 1.0, 2.0, 4.0]
    assert highs[0] == pytest.approx(1.0, abs=1e-5)
    assert max(highs) <= BACKOFF_CAP and highs[-1] == pytest.approx(BACKOFF_CAP, abs=1e-3)
    assert gb_version("2022") == "3.0" and gb_version("2016") == "2.0"


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_lower_registers_with_digest_and_keeps_alive(
    tmp_path: Path, nodes: list[Vigil], transport: str
) -> None:
    upper = await upper_node(tmp_path)
    nodes.append(upper)
    lower = await start_node(tmp_path, "lower", sip_id=LOWER_ID)
    nodes.append(lower)
    platform_id = await add_upper(lower, upper.gb.port, transport=transport)
    state = lower.upper_links.state(platform_id)

    def seen() -> bool:
        presence = upper.gb.device(LOWER_ID)
        return presence is not None and presence.online and presence.transport == transport

    await eventually(seen)
    # The upper marks the lower online as it sends its 200; the lower takes it a moment later.
    await eventually(lambda: state.registered)
    assert state.registered and state.last_registered_at is not None
    await eventually(lambda: state.keepalives >= 2, timeout=5)
    assert state.register_failures == 0


async def test_wrong_password_is_refused_and_retried_with_back_off(
    tmp_path: Path, nodes: list[Vigil]
) -> None:
    upper = await upper_node(tmp_path)
    nodes.append(upper)
    lower = await start_node(tmp_path, "lower", sip_id=LOWER_ID)
    nodes.append(lower)
    platform_id = await add_upper(lower, upper.gb.port, password="not-the-password")
    state = lower.upper_links.state(platform_id)
    await eventually(lambda: state.register_failures >= 2, timeout=8)
    assert not state.registered
    assert state.last_error is not None and "403" in state.last_error
    # ... and as a reason the console words: which request, and the answer's status
    assert state.last_error_code == "link.refused"
    assert state.last_error_params == {"method": "REGISTER", "status": 403}
    assert upper.gb.device(LOWER_ID) is None


async def test_re_registers_after_the_upper_restarts_and_forgets_it(
    tmp_path: Path, nodes: list[Vigil]
) -> None:
    upper = await upper_node(tmp_path)
    nodes.append(upper)
    port = upper.gb.port
    lower = await start_node(tmp_path, "lower", sip_id=LOWER_ID)
    nodes.append(lower)
    platform_id = await add_upper(lower, port)
    state = lower.upper_links.state(platform_id)
    await eventually(lambda: state.registered)
    first = state.registrations

    await upper.stop()
    nodes.remove(upper)
    await eventually(lambda: not state.registered, timeout=10)
    restarted = await upper_node(tmp_path, "upper-again", sip_port=port)
    nodes.append(restarted)

    def back() -> bool:
        presence = restarted.gb.device(LOWER_ID)
        return presence is not None and presence.online

    # The restarted upper sees the lower online before the lower has read the 200 OK.
    await eventually(lambda: back() and state.registered, timeout=12)
    assert state.registrations == first + 1
    assert state.last_error is not None


async def test_disabling_the_platform_unregisters(tmp_path: Path, nodes: list[Vigil]) -> None:
    upper = await upper_node(tmp_path)
    nodes.append(upper)
    lower = await start_node(tmp_path, "lower", sip_id=LOWER_ID)
    nodes.append(lower)
    platform_id = await add_upper(lower, upper.gb.port)
    await eventually(lambda: lower.upper_links.state(platform_id).registered)
    async with lower.db.session() as session, session.begin():
        platform = await session.get(Platform, platform_id)
        assert platform is not None
        platform.enabled = False
    await lower.upper_links.reload()
    assert lower.upper_links.link(platform_id) is None

    def gone() -> bool:
        presence = upper.gb.device(LOWER_ID)
        return presence is None or not presence.online

    await eventually(gone, timeout=3)
