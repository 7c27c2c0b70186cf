"""Online status of registered devices: a state table, one deadline per device, one heap.

Theory of operation. A device is in one of three states:

* ``ONLINE``: registered and heard from within ``interval × missed`` seconds;
* ``LOST``: still registered, but its keepalives stopped (offline; a keepalive brings it back);
* ``GONE``: not registered (never, unregistered or expired); only a REGISTER brings it back.

Transitions are the table :data:`TRANSITIONS`, keyed by ``(state, event)``; a pair missing from it
raises :class:`PresenceError`. Each entry names the new state and, when the device's online flag
changes, the reason stored with the change (registered, keepalive, keepalive_timeout, unregistered,
expired). Only a REGISTER (digest-authenticated) sets the address: a keepalive proves presence
and nothing more (see :mod:`..sip.origin`). A REGISTER from a new address while online is not a
transition: the contact is updated and an ``address_changed`` record is emitted instead (NAT
rebinding, 4G handover).

Deadlines: each device has one, the earlier of its registration expiry and last-heard +
interval × missed. They sit in one heap with lazy deletion (a device's newer deadline supersedes
the entries before it), so 10,000 devices cost 10,000 small tuples and the caller arms a single
timer at :meth:`PresenceTable.next_deadline`. Nothing here reads a clock: ``now`` is passed in
(monotonic seconds), which keeps the table a pure, testable state machine.
"""

from __future__ import annotations

import enum
import heapq
from dataclasses import dataclass

__all__ = [
    "TRANSITIONS",
    "DeviceState",
    "Presence",
    "PresenceError",
    "PresenceEvent",
    "PresenceTable",
    "Transition",
]


class DeviceState(enum.Enum):
    """A registered device's state: online, lost (keepalives missed) or gone."""

    ONLINE = "online"
    LOST = "lost"
    GONE = "gone"


class PresenceEvent(enum.Enum):
    """What happened to a device's presence: the inputs of the state table."""

    REGISTER = "register"
    KEEPALIVE = "keepalive"
    UNREGISTER = "unregister"
    KEEPALIVE_TIMEOUT = "keepalive_timeout"
    EXPIRE = "expire"


class PresenceError(Exception):
    """An event the device's state does not allow (a keepalive from an unregistered device)."""


S, E = DeviceState, PresenceEvent

#: (state, event) → (next state, reason recorded if the online flag changes).
TRANSITIONS: dict[tuple[DeviceState, PresenceEvent], tuple[DeviceState, str]] = {
    (S.GONE, E.REGISTER): (S.ONLINE, "registered"),
    (S.ONLINE, E.REGISTER): (S.ONLINE, "registered"),
    (S.LOST, E.REGISTER): (S.ONLINE, "registered"),
    (S.ONLINE, E.KEEPALIVE): (S.ONLINE, "keepalive"),
    (S.LOST, E.KEEPALIVE): (S.ONLINE, "keepalive"),
    (S.ONLINE, E.UNREGISTER): (S.GONE, "unregistered"),
    (S.LOST, E.UNREGISTER): (S.GONE, "unregistered"),
    (S.GONE, E.UNREGISTER): (S.GONE, "unregistered"),
    (S.ONLINE, E.KEEPALIVE_TIMEOUT): (S.LOST, "keepalive_timeout"),
    (S.ONLINE, E.EXPIRE): (S.GONE, "expired"),
    (S.LOST, E.EXPIRE): (S.GONE, "expired"),
}


@dataclass(slots=True)
class Presence:
    """What the table knows of one device."""

    device_id: str
    state: DeviceState
    transport: str
    host: str
    port: int
    expires_at: float
    heard_at: float
    generation: int = 0

    @property
    def online(self) -> bool:
        return self.state is DeviceState.ONLINE

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Transition:
    """A change to report and store: the online flag after it, why, and the address then."""

    device_id: str
    online: bool
    reason: str
    address: str


class PresenceTable:
    """Every device's :class:`Presence`, and the heap of their deadlines."""

    def __init__(self, keepalive_timeout: float) -> None:
        self.keepalive_timeout = keepalive_timeout
        self._devices: dict[str, Presence] = {}
        self._heap: list[tuple[float, int, str]] = []

    def get(self, device_id: str) -> Presence | None:
        return self._devices.get(device_id)

    def __len__(self) -> int:
        return len(self._devices)

    @property
    def online_count(self) -> int:
        return sum(1 for p in self._devices.values() if p.online)

    def register(
        self, device_id: str, transport: str, host: str, port: int, expires: float, now: float
    ) -> list[Transition]:
        """A successful REGISTER with ``expires`` > 0 seconds."""
        presence = self._devices.get(device_id)
        if presence is None:
            presence = Presence(device_id, S.GONE, transport, host, port, now, now)
            self._devices[device_id] = presence
        out = self._move(presence, E.REGISTER, transport, host, port, now)
        presence.expires_at = now + expires
        self._schedule(presence)
        return out

    def keepalive(self, device_id: str, now: float) -> list[Transition]:
        """A keepalive (already checked to come from the registered address); raises
        :class:`PresenceError` if the device is not registered."""
        presence = self._devices.get(device_id)
        if presence is None:
            raise PresenceError(f"device {device_id} is not registered")
        out = self._fire(presence, E.KEEPALIVE, now)
        presence.heard_at = now
        self._schedule(presence)
        return out

    def unregister(self, device_id: str, now: float) -> list[Transition]:
        """REGISTER with Expires: 0; the device is forgotten."""
        presence = self._devices.pop(device_id, None)
        if presence is None:
            return []
        return self._fire(presence, E.UNREGISTER, now)

    def next_deadline(self) -> float | None:
        """When :meth:`expire` has something to do, or None."""
        while self._heap:
            deadline, generation, device_id = self._heap[0]
            presence = self._devices.get(device_id)
            if presence is not None and presence.generation == generation:
                return deadline
            heapq.heappop(self._heap)
        return None

    def expire(self, now: float) -> list[Transition]:
        """Apply every deadline due at ``now``: keepalive timeouts and registration expiries."""
        out: list[Transition] = []
        while (deadline := self.next_deadline()) is not None and deadline <= now:
            _, _, device_id = heapq.heappop(self._heap)
            presence = self._devices[device_id]
            if presence.expires_at <= now:
                del self._devices[device_id]
                out += self._fire(presence, E.EXPIRE, now)
            else:
                out += self._fire(presence, E.KEEPALIVE_TIMEOUT, now)
                self._schedule(presence)
        return out

    def _move(
        self,
        presence: Presence,
        event: PresenceEvent,
        transport: str,
        host: str,
        port: int,
        now: float,
    ) -> list[Transition]:
        moved = (presence.transport, presence.host, presence.port) != (transport, host, port)
        was_online = presence.online
        out = self._fire(presence, event, now)
        presence.transport, presence.host, presence.port = transport, host, port
        presence.heard_at = now
        if moved and was_online:
            out.append(Transition(presence.device_id, True, "address_changed", presence.address))
        elif out:
            out = [Transition(presence.device_id, True, out[0].reason, presence.address)]
        return out

    def _fire(self, presence: Presence, event: PresenceEvent, now: float) -> list[Transition]:
        step = TRANSITIONS.get((presence.state, event))
        if step is None:
            raise PresenceError(
                f"device {presence.device_id} in state {presence.state.value} "
                f"cannot take {event.value}"
            )
        state, reason = step
        was_online = presence.online
        presence.state = state
        if presence.online == was_online:
            return []
        return [Transition(presence.device_id, presence.online, reason, presence.address)]

    def _schedule(self, presence: Presence) -> None:
        """Push the device's next deadline; earlier entries for it become stale."""
        presence.generation += 1
        if presence.state is S.ONLINE:
            deadline = min(presence.expires_at, presence.heard_at + self.keepalive_timeout)
        else:
            deadline = presence.expires_at
        heapq.heappush(self._heap, (deadline, presence.generation, presence.device_id))
