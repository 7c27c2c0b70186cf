"""Subscriptions to a device's Catalog, Alarm and MobilePosition, refreshed before they expire.

Each is a SUBSCRIBE dialog (the protocol core's :class:`Subscription`). Refreshes are scheduled
with one ``loop.call_at`` handle per subscription — no task per device — and run through the
``send`` coroutine the service gives, so they share its transactions. A device that refuses or
ignores a subscription is left unsubscribed (many cameras support none); a refused refresh ends
it. Everything of a device is dropped when it unregisters or expires, and all of it on stop.

Catalog and Alarm are subscribed for every device; MobilePosition only for the device types that
move (``position_types``, type codes from ID digits 11-13; None is every device; by default 138,
the mobile transmission device, and 200, a lower platform relaying its own): a fixed camera
reporting its position every 5 s costs the node a write per report and tells nothing new.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass

from vigil.gb28181.sip.messages import MANSCDP
from vigil.protocols.errors import ProtocolError
from vigil.protocols.manscdp import (
    AlarmQuery,
    CatalogQuery,
    MobilePositionQuery,
    Query,
    encode,
)
from vigil.protocols.sip import SipRequest, SipResponse, Subscription, SubscriptionState, Via

__all__ = ["EVENTS", "Subscriptions"]

log = logging.getLogger(__name__)

#: Seconds between position reports asked for in the MobilePosition subscription.
POSITION_INTERVAL = 5


def _catalog(sn: int, device_id: str) -> Query:
    return CatalogQuery(sn=sn, device_id=device_id)


def _alarm(sn: int, device_id: str) -> Query:
    return AlarmQuery(sn=sn, device_id=device_id)


def _position(sn: int, device_id: str) -> Query:
    return MobilePositionQuery(sn=sn, device_id=device_id, interval=POSITION_INTERVAL)


#: event name → (Event header, query body builder).
EVENTS: dict[str, tuple[str, Callable[[int, str], Query]]] = {
    "Catalog": ("Catalog", _catalog),
    "Alarm": ("presence", _alarm),
    "MobilePosition": ("presence", _position),
}


@dataclass(eq=False, slots=True)
class _Entry:
    device_id: str
    name: str
    subscription: Subscription
    timer: asyncio.TimerHandle | None = None


class Subscriptions:
    """Builds, sends and refreshes subscriptions; see the module docstring."""

    def __init__(
        self,
        *,
        expires: int,
        build: Callable[..., SipRequest],
        send: Callable[[str, SipRequest], Awaitable[SipResponse]],
        via: Callable[[str], Via],
        next_sn: Callable[[], int],
        spawn: Callable[[Coroutine[object, object, None], str], None],
        position_types: frozenset[str] | None = frozenset({"138", "200"}),
    ) -> None:
        self.expires = expires
        self.position_types = position_types
        self._build = build
        self._send = send
        self._via = via
        self._next_sn = next_sn
        self._spawn = spawn
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._by_call: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def events_for(self, device_id: str) -> list[str]:
        """The events :meth:`subscribe_all` asks ``device_id`` for (none when expires is 0)."""
        if self.expires <= 0:
            return []
        types = self.position_types
        moves = types is None or device_id[10:13] in types
        return [name for name in EVENTS if name != "MobilePosition" or moves]

    async def subscribe_all(self, device_id: str) -> None:
        """Subscribe to each of :meth:`events_for` the device accepts."""
        for name in self.events_for(device_id):
            if (device_id, name) not in self._entries:
                await self._subscribe(device_id, name)

    async def _subscribe(self, device_id: str, name: str) -> None:
        event, make = EVENTS[name]
        sn = self._next_sn()
        header = f"{event};id={sn}"
        request = self._build(
            device_id,
            "SUBSCRIBE",
            body=encode(make(sn, device_id)),
            content_type=MANSCDP,
            headers=[("Event", header), ("Expires", str(self.expires))],
        )
        try:
            response = await self._send(device_id, request)
            if not 200 <= response.status < 300:
                log.info(
                    "subscription refused",
                    extra={"device_id": device_id, "event": name, "status": response.status},
                )
                return
            now = asyncio.get_running_loop().time()
            subscription = Subscription.subscriber(request, response, now)
        except (TimeoutError, ProtocolError) as exc:
            log.info(
                "subscription failed",
                extra={"device_id": device_id, "event": name, "error": str(exc)},
            )
            return
        entry = _Entry(device_id, name, subscription)
        self._entries[(device_id, name)] = entry
        self._by_call[subscription.dialog.call_id] = entry
        self._schedule(entry)

    def _schedule(self, entry: _Entry) -> None:
        loop = asyncio.get_running_loop()
        entry.timer = loop.call_at(entry.subscription.refresh_at, self._due, entry)

    def _due(self, entry: _Entry) -> None:
        entry.timer = None
        self._spawn(self._refresh(entry), f"gb.subscribe-refresh:{entry.device_id}:{entry.name}")

    async def _refresh(self, entry: _Entry) -> None:
        subscription = entry.subscription
        request = subscription.refresh(via=self._via(entry.device_id), expires=self.expires)
        try:
            response = await self._send(entry.device_id, request)
        except (TimeoutError, ProtocolError) as exc:
            log.info(
                "subscription refresh failed",
                extra={"device_id": entry.device_id, "error": str(exc)},
            )
            self._drop(entry)
            return
        subscription.on_refresh_response(response, asyncio.get_running_loop().time())
        if subscription.state is SubscriptionState.TERMINATED:
            self._drop(entry)
        else:
            self._schedule(entry)

    def on_notify(self, request: SipRequest) -> None:
        """Record a NOTIFY's Subscription-State against its subscription (matched by Call-ID)."""
        entry = self._by_call.get(request.call_id)
        if entry is None:
            return
        try:
            entry.subscription.on_notify(request, asyncio.get_running_loop().time())
        except ProtocolError as exc:
            log.info("NOTIFY not applied", extra={"device_id": entry.device_id, "error": str(exc)})
            return
        if entry.subscription.state is SubscriptionState.TERMINATED:
            self._drop(entry)

    def forget(self, device_id: str) -> None:
        """Drop the device's subscriptions (it unregistered or expired)."""
        for name in EVENTS:
            entry = self._entries.get((device_id, name))
            if entry is not None:
                self._drop(entry)

    def _drop(self, entry: _Entry) -> None:
        if entry.timer is not None:
            entry.timer.cancel()
        self._entries.pop((entry.device_id, entry.name), None)
        self._by_call.pop(entry.subscription.dialog.call_id, None)

    def clear(self) -> None:
        for entry in list(self._entries.values()):
            self._drop(entry)
