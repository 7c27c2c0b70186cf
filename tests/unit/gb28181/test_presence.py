"""The presence table: transitions with reasons, deadlines, address changes by REGISTER only."""

from __future__ import annotations

import pytest

from vigil.gb28181.devices.presence import (
    TRANSITIONS,
    DeviceState,
    PresenceError,
    PresenceEvent,
    PresenceTable,
    Transition,
)

A = "34010400001320000001"
B = "34010400001320000002"


def test_register_keepalive_timeout_and_return() -> None:
    table = PresenceTable(keepalive_timeout=180)
    assert table.register(A, "udp", "10.0.0.1", 5060, 3600, now=0) == [
        Transition(A, True, "registered", "10.0.0.1:5060")
    ]
    assert table.keepalive(A, now=60) == []
    assert table.next_deadline() == 240
    assert table.expire(239.9) == []
    assert table.expire(240) == [Transition(A, False, "keepalive_timeout", "10.0.0.1:5060")]
    presence = table.get(A)
    assert presence is not None and presence.state is DeviceState.LOST
    assert table.next_deadline() == 3600  # still registered: expiry is the next deadline
    assert table.keepalive(A, now=300) == [Transition(A, True, "keepalive", "10.0.0.1:5060")]


def test_expiry_comes_before_the_keepalive_deadline() -> None:
    table = PresenceTable(keepalive_timeout=180)
    table.register(A, "udp", "10.0.0.1", 5060, 100, now=0)
    assert table.next_deadline() == 100
    assert table.expire(100) == [Transition(A, False, "expired", "10.0.0.1:5060")]
    assert table.get(A) is None
    with pytest.raises(PresenceError):
        table.keepalive(A, now=101)


def test_address_change_while_online_is_not_offline() -> None:
    table = PresenceTable(keepalive_timeout=180)
    table.register(A, "udp", "10.0.0.1", 5060, 3600, now=0)
    assert table.register(A, "tcp", "10.0.0.2", 41000, 3600, now=10) == [
        Transition(A, True, "address_changed", "10.0.0.2:41000")
    ]
    presence = table.get(A)
    assert presence is not None and presence.online and presence.transport == "tcp"
    assert table.keepalive(A, now=20) == []
    assert (presence.host, presence.port) == ("10.0.0.2", 41000)


def test_unregister_and_refresh() -> None:
    table = PresenceTable(keepalive_timeout=180)
    table.register(A, "udp", "10.0.0.1", 5060, 3600, now=0)
    assert table.register(A, "udp", "10.0.0.1", 5060, 3600, now=100) == []  # a refresh
    assert table.unregister(A, now=200) == [Transition(A, False, "unregistered", "10.0.0.1:5060")]
    assert table.unregister(A, now=201) == []
    assert table.next_deadline() is None


def test_keepalives_keep_the_heap_small_and_the_earliest_device_first() -> None:
    table = PresenceTable(keepalive_timeout=30)
    table.register(A, "udp", "10.0.0.1", 5060, 3600, now=0)
    table.register(B, "udp", "10.0.0.2", 5060, 3600, now=5)
    for second in range(10, 1000, 10):
        table.keepalive(A, now=second)
    assert table.expire(990) == [Transition(B, False, "keepalive_timeout", "10.0.0.2:5060")]
    assert table.next_deadline() == 1020
    assert len(table._heap) < 10  # superseded deadlines are dropped as they surface


def test_every_transition_into_offline_has_a_reason() -> None:
    reasons = {
        reason
        for (state, _), (to, reason) in TRANSITIONS.items()
        if to is not DeviceState.ONLINE and state is DeviceState.ONLINE
    }
    assert reasons == {"unregistered", "keepalive_timeout", "expired"}
    assert (DeviceState.GONE, PresenceEvent.KEEPALIVE) not in TRANSITIONS
