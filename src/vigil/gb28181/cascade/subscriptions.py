"""Subscriptions an upper platform holds on Vigil: Catalog, Alarm and MobilePosition (RFC 6665).

The upper platform SUBSCRIBEs with a MANSCDP Query naming what it wants; Vigil answers 200 with
the granted ``Expires`` and keeps one subscription per platform and kind (a new one replaces the
old, an in-dialog SUBSCRIBE refreshes it, ``Expires: 0`` ends it). NOTIFYs go inside the
subscription's dialog through the platform's link; an expired subscription is dropped when the
next NOTIFY would be due. What is notified is decided in :mod:`.notifier`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from vigil.gb28181.cascade.links import LinkDown, UpperLink
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.gb28181.sip.messages import LIMITS, MANSCDP
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.errors import ProtocolError
from vigil.protocols.manscdp import Message, Query, command_of, decode, encode
from vigil.protocols.sip import (
    SipRequest,
    SipResponse,
    Subscription,
    Via,
    make_response,
    new_branch,
    new_tag,
)
from vigil.store.models.platforms import Platform

__all__ = ["KINDS", "Subscribed", "UpperSubscriptions"]

log = logging.getLogger(__name__)

#: The MANSCDP CmdTypes a platform may subscribe to, lower-cased.
KINDS = frozenset({"catalog", "alarm", "mobileposition"})
#: Lifetime granted when the SUBSCRIBE names none, and the most granted.
DEFAULT_EXPIRES = 3600
MAX_EXPIRES = 86400


Subscribed = Callable[[int, str], Awaitable[None]]
"""Told ``(platform_id, kind)`` when a platform starts a new subscription."""


@dataclass(slots=True)
class _Held:
    platform_id: int
    kind: str
    subscription: Subscription


class UpperSubscriptions:
    """The subscriptions of every upper platform; see the module docstring."""

    def __init__(self, links: UpperLinks, on_subscribed: Subscribed) -> None:
        self._links = links
        self._on_subscribed = on_subscribed
        self._held: dict[tuple[int, str], _Held] = {}

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def holds(self, platform_id: int, kind: str) -> bool:
        """Whether ``platform_id`` has a live subscription of ``kind``."""
        held = self._held.get((platform_id, kind))
        if held is None:
            return False
        if held.subscription.expired(self._now()):
            del self._held[(platform_id, kind)]
            return False
        return True

    def platforms(self, kind: str) -> list[int]:
        """Platforms holding a live subscription of ``kind``."""
        return [pid for (pid, k) in list(self._held) if k == kind and self.holds(pid, k)]

    async def handle(self, platform: Platform, request: SipRequest, peer: Peer) -> SipResponse:
        """A SUBSCRIBE from ``platform`` (new, refresh or end)."""
        link = self._links.link(platform.id)
        if link is None:
            return make_response(request, 403, "No link to this platform")
        expires = _expires(request)
        if request.to.tag is not None:
            return self._refresh(platform, request, expires)
        message = decode(request.body, LIMITS) if request.body else None
        if not isinstance(message, Query):
            return make_response(request, 489, "Bad Event")
        kind = command_of(message)[1].lower()
        if kind not in KINDS:
            return make_response(request, 489, "Bad Event")
        if expires == 0:
            self._held.pop((platform.id, kind), None)
            return make_response(request, 200, headers=[("Expires", "0")])
        response = make_response(
            request,
            200,
            to_tag=new_tag(),
            headers=[("Expires", str(expires)), ("Contact", _contact(link))],
        )
        subscription = Subscription.notifier(request, response, self._now())
        self._held[(platform.id, kind)] = _Held(platform.id, kind, subscription)
        await self._on_subscribed(platform.id, kind)
        log.info(
            "upper platform subscribed",
            extra={"sip_id": platform.sip_id, "kind": kind, "expires": expires},
        )
        return response

    def _refresh(self, platform: Platform, request: SipRequest, expires: int) -> SipResponse:
        for key, held in list(self._held.items()):
            if held.platform_id == platform.id and held.subscription.dialog.matches(request):
                granted = held.subscription.on_subscribe(request, self._now(), expires)
                if granted == 0:
                    del self._held[key]
                return make_response(request, 200, headers=[("Expires", str(granted))])
        return make_response(request, 481)

    async def notify(self, platform_id: int, kind: str, message: Message) -> bool:
        """Send ``message`` in a NOTIFY of the platform's ``kind`` subscription; False when there
        is none, the link is down or the platform refused it."""
        link = self._links.link(platform_id)
        held = self._held.get((platform_id, kind))
        if link is None or held is None or not self.holds(platform_id, kind):
            return False
        transport = "TCP" if link.platform.transport == "tcp" else "UDP"
        settings = link.gb_settings
        via = Via(transport, settings.sip_host, link.sip_port, new_branch(), rport=True)
        try:
            request = held.subscription.notify(
                via=via,
                now=self._now(),
                body=encode(message, link.charset),
                content_type=MANSCDP,
            )
            response = await link.send(request)
        except (LinkDown, ProtocolError) as exc:
            log.warning(
                "NOTIFY to upper platform lost",
                extra={"platform_id": platform_id, "kind": kind, "error": str(exc)},
            )
            return False
        if response.status == 481:
            self._held.pop((platform_id, kind), None)
        return 200 <= response.status < 300

    def clear(self) -> None:
        self._held.clear()


def _expires(request: SipRequest) -> int:
    value = (request.headers.get("Expires") or "").strip()
    if not value:
        return DEFAULT_EXPIRES
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        raise ProtocolError(f"Expires {value[:20]!r} is not a number of seconds")
    return min(int(value), MAX_EXPIRES)


def _contact(link: UpperLink) -> str:
    return f"<sip:{link.local_id}@{link.gb_settings.sip_host}:{link.sip_port}>"
