"""The in-process bus: NATS-style subjects, fan-out, and no publisher blocked by a slow handler."""

from __future__ import annotations

import asyncio

import pytest

from tests.waiting import until
from vigil.bus import CatalogChanged, Event, InProcessBus, subject_matches


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [
        ("catalog.>", "catalog.channel.created", True),
        ("catalog.>", "catalog", False),
        ("catalog.*.created", "catalog.device.created", True),
        ("catalog.*.created", "catalog.device.deleted", False),
        ("catalog.*", "catalog.device.created", False),
        ("catalog.device.created", "catalog.device.created", True),
        (">", "anything.at.all", True),
    ],
)
def test_subject_matching(pattern: str, subject: str, expected: bool) -> None:
    assert subject_matches(pattern, subject) is expected


async def test_fan_out_to_matching_subscribers_only() -> None:
    bus = InProcessBus()
    devices: list[Event] = []
    everything: list[Event] = []

    async def on_device(event: Event) -> None:
        devices.append(event)

    async def on_any(event: Event) -> None:
        everything.append(event)

    bus.subscribe("catalog.device.*", on_device)
    bus.subscribe("catalog.>", on_any)
    await bus.publish(CatalogChanged(entity="device", id="1", op="created"))
    await bus.publish(CatalogChanged(entity="channel", id="2", op="created"))
    await until(lambda: len(everything) == 2, "both events delivered")
    await asyncio.sleep(0.01)  # room for a wrongly matched third delivery
    assert [e.subject for e in devices] == ["catalog.device.created"]
    assert len(everything) == 2
    await bus.close()


async def test_slow_subscriber_drops_oldest_and_never_blocks() -> None:
    bus = InProcessBus()
    gate = asyncio.Event()

    async def stuck(_event: Event) -> None:
        await gate.wait()

    subscription = bus.subscribe("catalog.>", stuck, queue_size=10)
    for i in range(100):
        await asyncio.wait_for(bus.publish(CatalogChanged(entity="device", id=str(i), op="x")), 0.1)
    assert subscription.dropped >= 89
    gate.set()
    await bus.close()


async def test_failing_handler_keeps_the_subscription_alive() -> None:
    bus = InProcessBus()
    seen: list[str] = []

    async def flaky(event: Event) -> None:
        assert isinstance(event, CatalogChanged)
        if event.id == "bad":
            raise RuntimeError("boom")
        seen.append(event.id)

    bus.subscribe("catalog.>", flaky)
    for id_ in ("a", "bad", "b"):
        await bus.publish(CatalogChanged(entity="device", id=id_, op="x"))
    await until(lambda: len(seen) == 2, "the two good events handled")
    assert seen == ["a", "b"]
    await bus.close()
