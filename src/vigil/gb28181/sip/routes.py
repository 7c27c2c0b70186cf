"""Every SIP request and MANSCDP command the node answers, declared in one table.

:data:`ROUTES` is the whole list: who sends it (a registered ``device`` or a configured ``upper``
platform, see :mod:`vigil.gb28181.cascade.dispatch`), the SIP method, the MANSCDP command
(``Root/CmdType``) for a MESSAGE, and the code that answers it. Print it with
``python -m vigil.gb28181.sip``.

The ``handler`` column is what runs: :func:`bind_all` (called by the composition root through
``GbService.bind_routes``) resolves each row to that method of the one object of its class it is
given, or to that module function, and binds it. The dispatchers hold their handlers in
:class:`Bindings`, which accept a handler only for a row of this table and look handlers up through
it, so a route that is not declared here can neither be bound nor reached. What no row names is
answered as before: 405 (with ``Allow``) for a method, 501 for an upper platform's Query or Control,
and a device's MANSCDP body nobody routes goes to whoever awaits that Response
(:meth:`vigil.gb28181.sip.messages.MessageRouter.expect`).

A device's NOTIFY carries MANSCDP bodies too (a subscription's Catalog, Alarm or MobilePosition):
its body is routed by the same ``MESSAGE`` command rows.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

__all__ = [
    "ANSWERS",
    "IN_DIALOG",
    "ROUTES",
    "Bindings",
    "Route",
    "UndeclaredRoute",
    "bind_all",
    "find",
    "table",
]

Source = Literal["device", "upper"]

#: The command of a MESSAGE sent inside one of our calls (a device's MediaStatus): its body is
#: read by the call, not routed by CmdType.
IN_DIALOG = "(in dialog)"
#: The command of an upper platform's MESSAGE whose root is neither Query nor Control (a Response
#: or Notify answering what Vigil sent): acknowledged with 200 only.
ANSWERS = "(not Query or Control)"


@dataclass(frozen=True, slots=True)
class Route:
    """One row of the table: sender, SIP method, MANSCDP command (or None), who answers."""

    source: Source
    method: str
    command: str | None
    handler: str

    @property
    def cmd_type(self) -> str | None:
        """The CmdType of :attr:`command` (``Root/CmdType``), None for a method row."""
        if self.command is None or "/" not in self.command:
            return None
        return self.command.split("/", 1)[1]


def _device(method: str, command: str | None, handler: str) -> Route:
    return Route("device", method, command, handler)


def _upper(method: str, command: str | None, handler: str) -> Route:
    return Route("upper", method, command, handler)


ROUTES: tuple[Route, ...] = (
    # Registered devices (and lower platforms): GbService answers (vigil.gb28181.service).
    _device("REGISTER", None, "service:GbService._register"),  # Registrar.handle decides
    _device("OPTIONS", None, "service:GbService._options"),
    _device("MESSAGE", None, "service:GbService._message"),
    _device("NOTIFY", None, "service:GbService._message"),
    _device("BYE", None, "calls.media_sessions:GbStreamProvider._device_bye"),
    _device("MESSAGE", IN_DIALOG, "calls.media_sessions:GbStreamProvider._dialog_message"),
    _device("MESSAGE", "Notify/Keepalive", "devices.presence_keeper:PresenceKeeper.keepalive"),
    _device("MESSAGE", "Response/Catalog", "devices.device_catalogs:DeviceCatalogs.part"),
    _device("MESSAGE", "Notify/Catalog", "devices.device_catalogs:DeviceCatalogs.notified"),
    _device("MESSAGE", "Notify/Alarm", "devices.report_routes:ReportRoutes.alarm"),
    _device("MESSAGE", "Notify/MobilePosition", "devices.report_routes:ReportRoutes.position"),
    _device("MESSAGE", "Response/RecordInfo", "devices.device_control:RecordSearches._part"),
    # Configured upper platforms (cascade): CascadeDispatch audits and counts each request.
    _upper("SUBSCRIBE", None, "cascade.subscriptions:UpperSubscriptions.handle"),
    _upper("INVITE", None, "cascade.media:CascadeMedia._invite"),
    _upper("ACK", None, "cascade.media:CascadeMedia._ack"),
    _upper("INFO", None, "cascade.media:CascadeMedia._info"),
    _upper("BYE", None, "cascade.media:CascadeMedia._bye"),
    _upper("MESSAGE", "Query/Catalog", "cascade.responder:CascadeResponder._catalog"),
    _upper("MESSAGE", "Query/DeviceInfo", "cascade.responder:CascadeResponder._device_info"),
    _upper("MESSAGE", "Query/DeviceStatus", "cascade.responder:CascadeResponder._device_status"),
    _upper("MESSAGE", "Query/RecordInfo", "cascade.records:CascadeRecords._query"),
    _upper("MESSAGE", "Control/DeviceControl", "cascade.control:CascadeControl._control"),
    _upper("MESSAGE", ANSWERS, "cascade.dispatch:_acknowledge"),
)
"""The routes; ``handler`` is ``module:qualname`` under :mod:`vigil.gb28181`."""


class UndeclaredRoute(LookupError):
    """A handler was offered for a route that :data:`ROUTES` does not declare."""


def find(source: Source, method: str, command: str | None = None) -> Route | None:
    """The row for ``method`` (and ``command``, case-insensitive) from ``source``, if declared."""
    method, wanted = method.upper(), command.lower() if command is not None else None
    for route in ROUTES:
        if route.source != source or route.method != method:
            continue
        if (route.command.lower() if route.command is not None else None) == wanted:
            return route
    return None


H = TypeVar("H")


class Bindings(Generic[H]):
    """The handlers of one dispatcher, each bound to a declared row of :data:`ROUTES`."""

    def __init__(self, source: Source) -> None:
        self._source: Source = source
        self._handlers: dict[Route, H] = {}

    def bind(self, method: str, command: str | None, handler: H) -> Route:
        """Answer the declared route with ``handler``; :class:`UndeclaredRoute` if none is."""
        route = find(self._source, method, command)
        if route is None:
            where = f"{method} {command}" if command is not None else method
            raise UndeclaredRoute(f"{self._source} {where} is not in vigil.gb28181.sip.routes")
        self._handlers[route] = handler
        return route

    def get(self, method: str, command: str | None = None) -> H | None:
        """The handler bound to the declared route, None when undeclared or not bound."""
        route = find(self._source, method, command)
        return self._handlers.get(route) if route is not None else None

    def by_cmd_type(self, method: str, cmd_type: str) -> H | None:
        """The handler bound to a row whose command has ``cmd_type``, whatever its root."""
        wanted = cmd_type.lower()
        for route, handler in self._handlers.items():
            if route.method == method.upper() and (route.cmd_type or "").lower() == wanted:
                return handler
        return None

    def methods(self) -> list[str]:
        """The methods bound without a command, sorted (what ``Allow`` lists)."""
        return sorted({r.method for r in self._handlers if r.command is None})

    @property
    def bound(self) -> list[Route]:
        """The rows that have a handler, in the table's order."""
        return [route for route in ROUTES if route in self._handlers]


def resolve(route: Route, objects: Iterable[object]) -> Callable[..., Any] | None:
    """The callable ``route.handler`` names: a function of its module, or the method of the
    object among ``objects`` whose class it names; None when no such object was given."""
    module_name, qualname = route.handler.split(":")
    module = f"vigil.gb28181.{module_name}"
    if "." not in qualname:
        function: Callable[..., Any] = getattr(importlib.import_module(module), qualname)
        return function
    class_name, method = qualname.rsplit(".", 1)
    for obj in objects:
        kind = type(obj)
        if kind.__module__ == module and kind.__qualname__ == class_name:
            bound: Callable[..., Any] = getattr(obj, method)
            return bound
    return None


def bind_all(
    objects: Iterable[object],
    methods: Bindings[Any],
    messages: Bindings[Any],
    upper: Bindings[Any],
) -> list[Route]:
    """Bind each row whose handler :func:`resolve` finds among ``objects``: a device's request
    into ``methods``, a device's MANSCDP command into ``messages``, an upper platform's request
    into ``upper``. The rows bound."""
    objects = list(objects)
    bound: list[Route] = []
    for route in ROUTES:
        handler = resolve(route, objects)
        if handler is None:
            continue
        if route.source == "upper":
            target = upper
        elif route.command is None or route.command == IN_DIALOG:
            target = methods
        else:
            target = messages
        target.bind(route.method, route.command, handler)
        bound.append(route)
    return bound


def table() -> list[tuple[str, str, str, str]]:
    """The rows as text: ``(source, method, command, handler)``, ``-`` for no command."""
    return [(r.source, r.method, r.command or "-", r.handler) for r in ROUTES]


def render() -> str:
    """:data:`ROUTES` as aligned text columns under a header line."""
    rows = [("SOURCE", "METHOD", "COMMAND", "HANDLER"), *table()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join([*(row[i].ljust(widths[i]) for i in range(3)), row[3]]) for row in rows]
    return "\n".join(lines)
