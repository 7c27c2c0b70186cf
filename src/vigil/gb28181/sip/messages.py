"""MANSCDP bodies of MESSAGE and NOTIFY requests, routed by (root, CmdType).

Handlers are bound per (root, CmdType) to the rows of :mod:`.routes` (a command not declared there
cannot be routed), so a new command is one row and one ``route`` call. A Response
nobody routes is matched to whoever awaits it by :meth:`MessageRouter.expect` — keyed by the device
that sent it, its CmdType and its SN — which is how ``GbService.query`` gets its answer. A body
that is not MANSCDP raises :class:`ManscdpError` in :func:`decode_body`; the transaction layer
answers it with a 400.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from vigil.errors import Conflict
from vigil.gb28181.sip.routes import Bindings, Route
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.errors import ManscdpError
from vigil.protocols.manscdp import Limits as ManscdpLimits
from vigil.protocols.manscdp import Message, Response, command_of, decode
from vigil.protocols.sip import SipRequest, SipResponse, make_response

__all__ = [
    "LIMITS",
    "MANSCDP",
    "MANSRTSP",
    "MessageHandler",
    "MessageRouter",
    "decode_body",
    "decode_request",
    "require_accepted",
]

M = TypeVar("M", bound=Message)

MessageHandler = Callable[[Message, str, Peer], Awaitable[None]]
"""``(message, device_id, peer)``: the device is the SIP From user, already known registered."""

#: The Content-Types of a MANSCDP body (MESSAGE, NOTIFY, SUBSCRIBE) and a MANSRTSP one (INFO).
MANSCDP = "Application/MANSCDP+xml"
MANSRTSP = "Application/MANSRTSP"

#: A MANSCDP body can be no bigger than the SIP message carrying it.
LIMITS = ManscdpLimits(max_bytes=64 * 1024, max_depth=16, max_elements=20_000)


def decode_body(body: bytes) -> Message:
    """The MANSCDP message in a MESSAGE or NOTIFY body; ManscdpError if unreadable."""
    return decode(body, LIMITS)


def decode_request(request: SipRequest, kind: type[M], wrong: str) -> M | SipResponse:
    """The ``kind`` in ``request``'s MANSCDP body, else the 400 refusing it (``wrong``: why)."""
    try:
        message = decode_body(request.body)
    except ManscdpError:
        return make_response(request, 400, "Bad MANSCDP")
    if not isinstance(message, kind):
        return make_response(request, 400, wrong)
    return message


def require_accepted(response: SipResponse, device_id: str, what: str) -> None:
    """Raise Conflict ``device.refused`` unless the device's final answer to ``what`` is 2xx."""
    if not 200 <= response.status < 300:
        raise Conflict(
            f"device {device_id} refused {what}: {response.status}",
            code="device.refused",
            id=device_id,
            status=response.status,
        )


class MessageRouter:
    """Devices' MANSCDP bodies to their handlers (declared in :mod:`.routes`) or waiters."""

    def __init__(self) -> None:
        #: The handlers, by declared command (see :func:`vigil.gb28181.sip.routes.bind_all`).
        self.bindings: Bindings[MessageHandler] = Bindings("device")
        self._waiters: dict[tuple[str, str, int], asyncio.Future[Response]] = {}

    def route(self, root: str, cmd_type: str, handler: MessageHandler) -> None:
        """Answer the declared command ``root/cmd_type`` with ``handler``."""
        self.bindings.bind("MESSAGE", f"{root}/{cmd_type}", handler)

    @property
    def routes(self) -> list[Route]:
        """The declared commands that have a handler."""
        return self.bindings.bound

    def expect(self, device_id: str, cmd_type: str, sn: int) -> asyncio.Future[Response]:
        """A future for the Response ``cmd_type`` with ``sn`` from ``device_id``."""
        key = (device_id, cmd_type.lower(), sn)
        future: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self._waiters[key] = future
        future.add_done_callback(lambda _: self._waiters.pop(key, None))
        return future

    async def dispatch(self, message: Message, device_id: str, peer: Peer) -> None:
        """Hand ``message`` (see :func:`decode_body`) to its handler or waiter."""
        root, cmd_type = command_of(message)
        handler = self.bindings.get("MESSAGE", f"{root}/{cmd_type}")
        if handler is not None:
            await handler(message, device_id, peer)
            return
        if isinstance(message, Response):
            future = self._waiters.get((device_id, cmd_type.lower(), message.sn))
            if future is not None and not future.done():
                future.set_result(message)
