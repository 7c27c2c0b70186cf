"""Request bodies are bounded, and refused before they are buffered, parsed or authenticated.

Every route takes at most ``DEFAULT_LIMIT`` bytes of body unless :data:`vigil.api.server` names
a bigger limit for it (a GIS layer import). A ``Content-Length`` above the limit is answered at
once, before the application runs. A body without one (chunked) is counted as the application
reads it, and the read that passes the limit raises :class:`BodyTooLarge`; FastAPI reads a body
before it resolves dependencies, so that is before authentication too. Either way the answer is
413 problem+json (type ``content-too-large``) with ``Connection: close``, so the server stops
reading the connection instead of draining the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.api.problems import problem

__all__ = ["DEFAULT_LIMIT", "MIB", "BodyLimit", "BodyTooLarge", "RouteLimit"]

MIB = 1024 * 1024
DEFAULT_LIMIT = MIB


@dataclass(frozen=True, slots=True)
class RouteLimit:
    """A route (method and path template, e.g. ``/api/v1/gis/layers/{kind}``) and its limit."""

    method: str
    path: str
    limit: int


class BodyTooLarge(HTTPException):
    """The body passed its route's limit while it was read (the problem handlers answer 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _detail(limit))


def _detail(limit: int) -> str:
    return f"the request body is larger than this route's limit of {limit} bytes"


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    return int(value) if value is not None and value.isdigit() else None


class BodyLimit:
    """Pure ASGI middleware enforcing the limits; WebSockets and lifespan pass through."""

    def __init__(
        self, app: ASGIApp, default: int = DEFAULT_LIMIT, routes: Iterable[RouteLimit] = ()
    ) -> None:
        self.app = app
        self.default = default
        self._routes: list[tuple[str, re.Pattern[str], int]] = [
            (r.method, compile_path(r.path)[0], r.limit) for r in routes
        ]

    def limit_for(self, method: str, path: str) -> int:
        for route_method, pattern, limit in self._routes:
            if method == route_method and pattern.match(path):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["method"], scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, receive, send, limit)
            return
        counted = _Counted(receive, send, limit)
        try:
            await self.app(scope, counted.receive, counted.send)
        except BodyTooLarge:
            if counted.started:
                raise
            await _refuse(scope, receive, send, limit)


class _Counted:
    """One request's ``receive`` and ``send``: the body counted against the limit as it is read,
    and ``Connection: close`` on the answer once the limit tripped."""

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive, self._send, self._limit = receive, send, limit
        self.received = 0
        self.tripped = self.started = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self._limit:
                self.tripped = True
                raise BodyTooLarge(self._limit)
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
            if self.tripped:
                headers = [*message.get("headers", []), (b"connection", b"close")]
                message = {**message, "headers": headers}
        await self._send(message)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = problem(413, "content-too-large", "Content too large", _detail(limit))
    response.headers["connection"] = "close"
    await response(scope, receive, send)
