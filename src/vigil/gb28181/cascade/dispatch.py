"""Requests from a configured upper platform, routed away from the device code in ``GbService``.

An upper platform is not a registered device: its requests (Catalog and DeviceInfo queries,
SUBSCRIBE, INVITE for a shared channel, DeviceControl…) come From its SIP ID, which the dispatcher
recognises among the enabled upper platforms it was given (:meth:`CascadeDispatch.set_platforms`,
refreshed by the links service whenever the configuration changes). ``GbService`` asks
:meth:`CascadeDispatch.platform_for` first and hands a match to :meth:`CascadeDispatch.handle`.

Handlers are bound per SIP method and, for MESSAGE, per MANSCDP CmdType, each to an ``upper`` row of
:mod:`vigil.gb28181.sip.routes` (a route not declared there cannot be bound); each receives
``(platform, request, peer)`` and returns the SIP response (or None when it answers later through
the transaction layer). Every request is audited here with its outcome, and counted in the
platform's :class:`PlatformCounters`.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from vigil.gb28181.sip.routes import ANSWERS, ROUTES, Bindings, Route, UndeclaredRoute
from vigil.gb28181.sip.transport import Peer
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note
from vigil.protocols.errors import ProtocolError
from vigil.protocols.manscdp import peek_cmd
from vigil.protocols.sip import SipRequest, SipResponse, make_response
from vigil.store.models.platforms import Platform

__all__ = ["CascadeDispatch", "CascadeHandler", "PlatformCounters"]

log = logging.getLogger(__name__)

CascadeHandler = Callable[[Platform, SipRequest, Peer], Awaitable[SipResponse | None]]
"""``(platform, request, peer)``: the upper platform the request came from, already recognised."""

#: MANSCDP roots a platform asks with; Responses and Notifies it sends are acknowledged only.
_ASKING_ROOTS = frozenset({"query", "control"})


@dataclass(slots=True)
class PlatformCounters:
    """A platform's request counters, upper or lower, kept in memory (reset when Vigil restarts)."""

    requests: int = 0
    streams: int = 0
    failures: int = 0


class CascadeDispatch:
    """See the module docstring."""

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit
        self._platforms: dict[str, Platform] = {}
        #: The handlers, by declared route (see :func:`vigil.gb28181.sip.routes.bind_all`).
        self.bindings: Bindings[CascadeHandler] = Bindings("upper")
        self._counters: dict[int, PlatformCounters] = {}

    # configuration ----------------------------------------------------------------------------

    def set_platforms(self, platforms: Iterable[Platform]) -> None:
        """The enabled upper platforms, replacing the previous set (rows detached from their
        session; the links service passes them after every change)."""
        self._platforms = {p.sip_id: p for p in platforms}

    @property
    def platforms(self) -> list[Platform]:
        return list(self._platforms.values())

    def on_method(self, method: str, handler: CascadeHandler) -> None:
        """Answer the declared ``method`` (SUBSCRIBE, INVITE, BYE, INFO, ACK…) with ``handler``."""
        self.bindings.bind(method, None, handler)

    def on_message(self, cmd_type: str, handler: CascadeHandler) -> None:
        """Answer MESSAGEs whose declared Query/Control is ``cmd_type`` with ``handler``."""
        route = next((r for r in ROUTES if _is_upper_cmd(r, cmd_type)), None)
        if route is None:
            raise UndeclaredRoute(f"upper MESSAGE {cmd_type} is not in vigil.gb28181.sip.routes")
        self.bindings.bind(route.method, route.command, handler)

    @property
    def routes(self) -> list[Route]:
        """The declared upper-platform routes that have a handler."""
        return self.bindings.bound

    def counters(self, platform_id: int) -> PlatformCounters:
        """The live counters of one platform (created on first use)."""
        return self._counters.setdefault(platform_id, PlatformCounters())

    # routing ----------------------------------------------------------------------------------

    def platform_for(self, request: SipRequest, peer: Peer) -> Platform | None:
        """The enabled upper platform ``request`` comes from: its From user, sent from the
        platform's configured address when that is an IP address (a From header alone is
        trivially forged)."""
        if not self._platforms:
            return None
        platform = self._platforms.get(request.from_.uri.user or "")
        if platform is None or not _address_matches(platform.host, peer.host):
            return None
        return platform

    async def handle_ack(self, platform: Platform, request: SipRequest, peer: Peer) -> None:
        """An ACK outside any transaction (the ACK of a 2xx to an INVITE)."""
        handler = self.bindings.get("ACK")
        if handler is not None:
            await handler(platform, request, peer)

    async def handle(
        self, platform: Platform, request: SipRequest, peer: Peer
    ) -> SipResponse | None:
        """Route ``request`` to its handler; audit and count it."""
        counters = self.counters(platform.id)
        counters.requests += 1
        command = device_id = None
        try:
            handler, command, device_id = self._handler_for(request)
            if handler is None:
                response: SipResponse | None = make_response(request, 405 if not command else 501)
            else:
                response = await handler(platform, request, peer)
        except ProtocolError:
            counters.failures += 1
            await self._record(platform, request, (command, device_id), "bad_request", peer)
            raise
        except Exception:
            counters.failures += 1
            await self._record(platform, request, (command, device_id), "error", peer)
            raise
        status = response.status if response is not None else None
        if status is not None and status >= 300:
            counters.failures += 1
        await self._record(platform, request, (command, device_id), str(status or "pending"), peer)
        return response

    def _handler_for(
        self, request: SipRequest
    ) -> tuple[CascadeHandler | None, str | None, str | None]:
        """The handler, the MANSCDP command (root/CmdType) and the body's DeviceID."""
        if request.method != "MESSAGE":
            return self.bindings.get(request.method), None, None
        if not request.body:
            return None, "(empty)", None
        peek = peek_cmd(request.body)
        command = f"{peek.root}/{peek.cmd_type}"
        if peek.root.lower() not in _ASKING_ROOTS:
            return self.bindings.get("MESSAGE", ANSWERS), command, peek.device_id
        return self.bindings.by_cmd_type("MESSAGE", peek.cmd_type), command, peek.device_id

    async def _record(
        self,
        platform: Platform,
        request: SipRequest,
        about: tuple[str | None, str | None],
        outcome: str,
        peer: Peer,
    ) -> None:
        command, device_id = about
        detail: dict[str, object] = {"method": request.method, "target": _target(request)}
        if command is not None:
            detail["command"] = command
        if device_id is not None:
            detail["device_id"] = device_id
        await note(
            self._audit,
            Caller.peer(f"platform:{platform.sip_id}", peer.host),
            f"cascade.{request.method.lower()}",
            f"upper-platform/{platform.id}",
            outcome=outcome,
            detail=detail,
        )


def _is_upper_cmd(route: Route, cmd_type: str) -> bool:
    return route.source == "upper" and (route.cmd_type or "").lower() == cmd_type.lower()


def _address_matches(configured: str | None, actual: str) -> bool:
    """Whether a request from ``actual`` may be the platform at ``configured`` (a host name
    cannot be compared without resolving it, so it is not)."""
    if not configured:
        return True
    try:
        return ipaddress.ip_address(configured) == ipaddress.ip_address(actual)
    except ValueError:
        return True


def _target(request: SipRequest) -> str | None:
    """The Request-URI user: the channel (or Vigil itself) the request addresses."""
    try:
        return request.request_uri.user
    except ProtocolError:
        return None


async def _acknowledge(_platform: Platform, request: SipRequest, _peer: Peer) -> SipResponse:
    """A Response or Notify MESSAGE from the upper platform (an answer to an Alarm we sent)."""
    return make_response(request, 200)
