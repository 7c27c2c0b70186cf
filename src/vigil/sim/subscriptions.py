"""The notifier side of a device's subscriptions: Catalog, Alarm and MobilePosition (GB/T 28181
§9.11, RFC 6665).

The platform SUBSCRIBEs with ``Event: Catalog`` (or Alarm, MobilePosition) and a MANSCDP Query
body; the device answers 200 with the granted Expires and afterwards NOTIFYs inside the
subscription's dialog: Catalog on a channel change, Alarm when an alarm is raised, MobilePosition
every ``Interval`` seconds. A refresh (SUBSCRIBE inside the dialog) extends the lifetime;
``Expires: 0`` ends it. ``Event: presence`` (what 2016 platforms send for alarms and positions)
is accepted, the body's CmdType naming the package. Expired subscriptions are dropped when the
next NOTIFY would go out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from datetime import datetime
from zoneinfo import ZoneInfo

from vigil.protocols.errors import ManscdpError, SipError
from vigil.protocols.manscdp import (
    Message,
    MobilePositionNotify,
    MobilePositionQuery,
    command_of,
    decode,
    encode,
)
from vigil.protocols.sip import SipRequest, Subscription, make_response, new_tag
from vigil.sim.calls import MANSCDP, CallHost
from vigil.sim.sip_link import Respond

__all__ = ["EVENTS", "Subscriptions"]

log = logging.getLogger(__name__)

#: Event package names the device accepts, lower-cased.
EVENTS = frozenset({"catalog", "alarm", "mobileposition"})
#: GB/T 28181-2016 subscribes to alarms and positions with ``Event: presence``; the body's
#: CmdType then names the package.
PRESENCE = "presence"
DEFAULT_EXPIRES = 3600
DEFAULT_POSITION_INTERVAL = 5


def _package(event: str | None) -> str:
    return (event or "").partition(";")[0].strip().lower()


class Subscriptions:
    """Active subscriptions of one device, by event package."""

    def __init__(self, host: CallHost) -> None:
        self.host = host
        self.active: list[Subscription] = []
        self._packages: dict[int, str] = {}
        self._position_tasks: dict[int, asyncio.Task[None]] = {}

    def of(self, package: str) -> list[Subscription]:
        """Live subscriptions to ``package`` (``catalog``, ``alarm``, ``mobileposition``)."""
        now = asyncio.get_running_loop().time()
        self.active = [s for s in self.active if not s.expired(now)]
        return [s for s in self.active if self._packages.get(id(s)) == package]

    async def on_subscribe(self, request: SipRequest, respond: Respond) -> None:
        now = asyncio.get_running_loop().time()
        if request.to.tag is not None:
            self._refresh(request, respond, now)
            return
        try:
            query = decode(request.body) if request.body else None
            expires = int(request.headers.get("Expires") or DEFAULT_EXPIRES)
        except (ManscdpError, ValueError):
            respond(make_response(request, 400))
            return
        package = _package(request.headers.get("Event"))
        if package == PRESENCE and query is not None:
            package = command_of(query)[1].lower()
        if package not in EVENTS:
            respond(make_response(request, 489))
            return
        response = make_response(
            request,
            200,
            to_tag=new_tag(),
            headers=[("Expires", str(expires)), ("Contact", str(self.host.contact()))],
        )
        try:
            subscription = Subscription.notifier(request, response, now)
        except SipError as exc:
            respond(make_response(request, exc.status_hint))
            return
        respond(response)
        if expires == 0:
            return
        self.active.append(subscription)
        self._packages[id(subscription)] = package
        log.info("subscribed", extra={"event": package, "expires": expires})
        if isinstance(query, MobilePositionQuery):
            interval = query.interval or DEFAULT_POSITION_INTERVAL
            self._position_tasks[id(subscription)] = asyncio.create_task(
                self._positions(subscription, interval),
                name=f"sim.position:{self.host.config.device_id}",
            )

    def _refresh(self, request: SipRequest, respond: Respond, now: float) -> None:
        for subscription in self.active:
            if subscription.dialog.matches(request):
                try:
                    granted = subscription.on_subscribe(request, now)
                except SipError as exc:
                    respond(make_response(request, exc.status_hint))
                    return
                respond(make_response(request, 200, headers=[("Expires", str(granted))]))
                if granted == 0:
                    self._end(subscription)
                return
        respond(make_response(request, 481))

    def _end(self, subscription: Subscription) -> None:
        with contextlib.suppress(ValueError):
            self.active.remove(subscription)
        self._packages.pop(id(subscription), None)
        task = self._position_tasks.pop(id(subscription), None)
        if task is not None:
            task.cancel()

    async def notify(self, package: str, message: Message) -> int:
        """NOTIFY ``message`` to every subscriber of ``package``; how many accepted it."""
        accepted = 0
        for subscription in self.of(package):
            if await self._send(subscription, message):
                accepted += 1
        return accepted

    async def _send(self, subscription: Subscription, message: Message) -> bool:
        link = self.host.link
        now = asyncio.get_running_loop().time()
        request = subscription.notify(
            via=link.via(),
            now=now,
            body=encode(message, self.host.config.charset),
            content_type=MANSCDP,
        )
        try:
            response = await link.request(request)
        except (TimeoutError, ConnectionError):
            return False
        if response.status == 481:
            self._end(subscription)
        return 200 <= response.status < 300

    async def _positions(self, subscription: Subscription, interval: int) -> None:
        """A device on patrol: one fix per ``interval`` on a ~500 m circle round the centre."""
        config = self.host.config
        lon0, lat0 = config.centre
        step = 0
        while subscription in self.active:
            angle = step * 0.05
            report = MobilePositionNotify(
                sn=self.host.next_sn(),
                device_id=config.device_id,
                time=datetime.now(ZoneInfo(config.timezone)).replace(tzinfo=None, microsecond=0),
                longitude=round(lon0 + 0.005 * math.cos(angle), 6),
                latitude=round(lat0 + 0.004 * math.sin(angle), 6),
                speed=30.0,
                direction=round(math.degrees(angle + math.pi / 2) % 360, 1),
                altitude=30.0,
            )
            await self._send(subscription, report)
            step += 1
            await asyncio.sleep(interval)

    def close(self) -> None:
        for task in self._position_tasks.values():
            task.cancel()
        self._position_tasks.clear()
        self.active.clear()
        self._packages.clear()
