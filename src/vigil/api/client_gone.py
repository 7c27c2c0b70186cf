"""A response to a client that has already gone is dropped quietly, not logged as a crash.

uvicorn closes a connection itself when the next bytes on it are not HTTP (it answers 400 and
closes), and a client may hang up while an answer is on its way. The handler of the request before
that is still running; when it sends its answer, uvloop's transport raises ``RuntimeError``
("unable to perform operation on <TCPTransport closed=True …>; the handler is closed") before
uvicorn has noticed the loss, and the asyncio transport raises ``OSError``. Either reached the
server-error middleware as an unhandled error with a traceback, although nothing was wrong with
the node. This middleware turns such a failed ``send`` into Starlette's :class:`ClientDisconnect`,
which ends the handler (a streaming body stops being produced) and is then swallowed here with one
debug line. Any other failure of ``send`` (an invalid header, a protocol error) is raised as before.

No library does this for us: uvicorn checks for a lost connection only after ``connection_lost``
has run, and Starlette converts ``OSError`` alone, and only for streaming responses.
"""

from __future__ import annotations

import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ClientGone", "is_closed_transport"]

log = logging.getLogger(__name__)

#: The words uvloop's handles use when asked to write after they were closed.
_UVLOOP_CLOSED = "the handler is closed"


def is_closed_transport(exc: BaseException) -> bool:
    """Whether a failure of ``send`` means the connection is gone (and nothing else is wrong)."""
    if isinstance(exc, OSError):
        return True
    return isinstance(exc, RuntimeError) and _UVLOOP_CLOSED in str(exc)


class ClientGone:
    """Pure ASGI middleware: a send on a lost connection ends the request without a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        gone = False

        async def guarded(message: Message) -> None:
            nonlocal gone
            if gone:
                raise ClientDisconnect()
            try:
                await send(message)
            except (OSError, RuntimeError) as exc:
                if not is_closed_transport(exc):
                    raise
                gone = True
                raise ClientDisconnect() from exc

        try:
            await self.app(scope, receive, guarded)
        except ClientDisconnect:
            if not gone:
                raise
            log.debug("client went away before its answer to %s %s", scope["method"], scope["path"])
