"""The node's lifecycle: services start in order, stop in reverse, and each shows its state."""

from __future__ import annotations

import asyncio
import time

import pytest

from vigil.lifecycle import Lifecycle, State, Steps, StopTimeout


class Recorded:
    """A service that writes its steps into a shared journal and can be told to fail."""

    def __init__(self, name: str, journal: list[str], *, fail: str = "") -> None:
        self.name = name
        self.journal = journal
        self.fail = fail

    async def start(self) -> None:
        self.journal.append(f"start {self.name}")
        if self.fail == "start":
            raise OSError(f"{self.name} cannot start")

    async def stop(self) -> None:
        self.journal.append(f"stop {self.name}")
        if self.fail == "stop":
            raise RuntimeError(f"{self.name} cannot stop")


def lifecycle_of(*services: Recorded, serving: frozenset[str] = frozenset()) -> Lifecycle:
    lifecycle = Lifecycle()
    for service in services:
        lifecycle.add(service.name, service, serving=service.name in serving)
    return lifecycle


async def test_services_start_in_order_and_stop_in_reverse() -> None:
    journal: list[str] = []
    lifecycle = lifecycle_of(*(Recorded(n, journal) for n in ("sip", "media", "cascade")))
    assert set(lifecycle.states().values()) == {State.stopped}
    await lifecycle.start(serving=True)
    assert lifecycle.states() == dict.fromkeys(("sip", "media", "cascade"), State.running)
    await lifecycle.stop()
    assert journal == [
        "start sip", "start media", "start cascade", "stop cascade", "stop media", "stop sip"
    ]  # fmt: skip
    assert set(lifecycle.states().values()) == {State.stopped}
    await lifecycle.stop()  # stopping is safe to repeat: each is told again, all stay stopped
    assert journal[6:] == ["stop cascade", "stop media", "stop sip"]
    assert set(lifecycle.states().values()) == {State.stopped}


async def test_serving_services_stay_stopped_in_a_node_that_does_not_serve() -> None:
    journal: list[str] = []
    lifecycle = lifecycle_of(
        Recorded("sip", journal), Recorded("media", journal), serving=frozenset({"sip"})
    )
    await lifecycle.start(serving=False)
    assert lifecycle.states() == {"sip": State.stopped, "media": State.running}
    await lifecycle.stop()
    # sip was never started, and is told to stop all the same (a test may start a part by hand)
    assert journal == ["start media", "stop media", "stop sip"]
    assert lifecycle.states() == {"sip": State.stopped, "media": State.stopped}


async def test_a_failed_start_stops_what_had_started_and_raises() -> None:
    journal: list[str] = []
    lifecycle = lifecycle_of(
        Recorded("media", journal),
        Recorded("sip", journal, fail="start"),
        Recorded("cascade", journal),
    )
    with pytest.raises(OSError, match="sip cannot start"):
        await lifecycle.start(serving=True)
    # Every one is stopped, sip (what it had opened) and the never started cascade included.
    assert journal == ["start media", "start sip", "stop cascade", "stop sip", "stop media"]
    assert lifecycle.states() == {
        "media": State.stopped,
        "sip": State.failed,
        "cascade": State.stopped,
    }


async def test_a_failed_stop_is_shown_and_raised_after_the_others_stopped() -> None:
    journal: list[str] = []
    lifecycle = lifecycle_of(
        Recorded("media", journal), Recorded("recording", journal, fail="stop")
    )
    await lifecycle.start(serving=True)
    with pytest.raises(RuntimeError, match="recording cannot stop"):
        await lifecycle.stop()
    assert journal[-2:] == ["stop recording", "stop media"]
    assert lifecycle.states() == {"media": State.stopped, "recording": State.failed}


async def test_steps_stand_for_a_service_without_its_own_start() -> None:
    journal: list[str] = []

    async def close() -> None:
        journal.append("closed")

    lifecycle = Lifecycle()
    lifecycle.add("playback", Steps(stop=close))
    await lifecycle.start(serving=False)
    assert lifecycle.states() == {"playback": State.running}
    await lifecycle.stop()
    assert journal == ["closed"]
    with pytest.raises(ValueError, match="listed twice"):
        lifecycle.add("playback", Steps())


async def test_a_stop_that_hangs_fails_after_the_limit_and_the_others_still_stop() -> None:
    journal: list[str] = []

    async def hang() -> None:
        journal.append("stop cascade")
        await asyncio.Event().wait()

    lifecycle = Lifecycle(stop_limit=0.2)
    lifecycle.add("media", Recorded("media", journal))
    lifecycle.add("cascade", Steps(stop=hang))
    await lifecycle.start(serving=True)
    began = time.monotonic()
    with pytest.raises(StopTimeout, match=r"'cascade' did not stop within 0\.2 s"):
        await lifecycle.stop()
    assert time.monotonic() - began < 5
    assert journal == ["start media", "stop cascade", "stop media"]
    assert lifecycle.states() == {"media": State.stopped, "cascade": State.failed}
