"""What a registration, a keepalive or a missed deadline does to a device's presence.

The registrar decides whether a REGISTER passes and returns a :class:`Registration`; the service
hands it to :meth:`PresenceKeeper.registered`, keepalives to :meth:`PresenceKeeper.keepalive`.
Each change of state is written behind (:class:`StatusWriter`), ends the device's subscriptions
when it goes offline, and, for a lower platform, reaches the devices behind it. A device coming
online is queued for its setup (DeviceInfo, catalog, subscriptions: :mod:`.device_setup`).

One loop timer is armed at the earliest presence deadline; when it fires, the expired devices go
offline.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime, timedelta

from vigil.gb28181.devices.device_setup import DeviceSetup
from vigil.gb28181.devices.device_subscriptions import Subscriptions
from vigil.gb28181.devices.presence import PresenceTable, Transition
from vigil.gb28181.devices.registrar import Registration
from vigil.gb28181.devices.status_writer import StatusWriter
from vigil.gb28181.lower.lower_platforms import LowerPlatforms, is_platform_id
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.manscdp import Message
from vigil.store.types import utcnow

__all__ = ["PresenceKeeper"]

Spawn = Callable[[Coroutine[object, object, None], str], None]


class PresenceKeeper:
    """Applies registrations, keepalives and expiries to the presence table; see the module."""

    def __init__(
        self,
        presence: PresenceTable,
        writer: StatusWriter,
        subscriptions: Subscriptions,
        lower: LowerPlatforms,
        setup: DeviceSetup,
        spawn: Spawn,
    ) -> None:
        self._presence = presence
        self._writer = writer
        self._subscriptions = subscriptions
        self._lower = lower
        self._setup = setup
        self._spawn = spawn
        #: The GB/T 28181 edition each device registered with (X-GB-Ver), for its charset.
        self.versions: dict[str, str | None] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._timer_at = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Keep time on ``loop`` (the service's, set when it starts)."""
        self._loop = loop

    def stop(self) -> None:
        """Cancel the presence timer."""
        if self._timer is not None:
            self._timer.cancel()
        self._loop = None

    def _now(self) -> float:
        assert self._loop is not None, "GbService is not started"
        return self._loop.time()

    async def registered(self, registration: Registration) -> None:
        """A REGISTER that passed: online (or offline for Expires 0), written behind."""
        peer, device_id = registration.peer, registration.device_id
        now, at = self._now(), utcnow()
        if registration.expires == 0:
            self._record(self._presence.unregister(device_id, now), at)
            self._subscriptions.forget(device_id)
            self._writer.registered(
                device_id, gb_version=registration.gb_version, contact=None, at=at, expires_at=None
            )
            return
        was_online = (p := self._presence.get(device_id)) is not None and p.online
        transitions = self._presence.register(
            device_id, peer.transport, peer.host, peer.port, registration.expires, now
        )
        self.versions[device_id] = registration.gb_version
        self._writer.address(device_id, peer.transport, peer.host, peer.port)
        self._writer.registered(
            device_id,
            gb_version=registration.gb_version,
            contact=registration.contact,
            at=at,
            expires_at=at + timedelta(seconds=registration.expires),
        )
        self._record(transitions, at)
        if is_platform_id(device_id):
            await self._lower.registered(device_id, peer, at)
        if not was_online:
            self._setup.enqueue(device_id)

    async def keepalive(self, message: Message, device_id: str, peer: Peer) -> None:
        """The MANSCDP route for Notify/Keepalive: the device's deadline moves on."""
        at = utcnow()
        transitions = self._presence.keepalive(device_id, self._now())
        self._writer.heard(device_id, at)
        self._record(transitions, at)

    def _record(self, transitions: Iterable[Transition], at: datetime) -> None:
        for transition in transitions:
            self._writer.transition(transition, at)
            presence = self._presence.get(transition.device_id)
            if transition.online and presence is not None:
                self._writer.address(
                    transition.device_id, presence.transport, presence.host, presence.port
                )
            if not transition.online:
                self._subscriptions.forget(transition.device_id)
            if self._lower.holds(transition.device_id):
                self._lower_reached(transition)
        self._arm()

    def _lower_reached(self, transition: Transition) -> None:
        """A lower platform lost: the devices behind it are out of reach too. Back by keepalive
        (no REGISTER, so no setup ran): read its catalog and subscribe again, as after one."""
        device_id = transition.device_id
        if not transition.online:
            self._spawn(self._lower.unreachable(device_id), f"gb.lower-offline:{device_id}")
        elif transition.reason == "keepalive":
            self._setup.enqueue(device_id)

    def _arm(self) -> None:
        deadline = self._presence.next_deadline()
        if deadline is None or self._loop is None:
            return
        if self._timer is not None and self._timer_at <= deadline:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = deadline
        self._timer = self._loop.call_at(deadline, self._due)

    def _due(self) -> None:
        self._timer = None
        self._record(self._presence.expire(self._now()), utcnow())
