"""Every state-changing request leaves an audit record, whatever its outcome.

Pure ASGI (no response buffering): it notes the status as the response starts and appends the
record after it is sent. A request whose service recorded the action itself (login, account
changes, video access: see :func:`vigil.governance.audited.audited`) has a ``Caller`` on its
state that says so, and gets no second record here. A view's renewal writes none: opening the
view was the audited access, and the renewal only extends it.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note

__all__ = ["AuditMiddleware"]

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_NOT_RECORDED = re.compile(r"^/api/v1/views/[^/]+/renew$")


class AuditMiddleware:
    """The ASGI layer that records the state-changing requests no service recorded."""

    def __init__(self, app: ASGIApp, audit: AuditLog) -> None:
        self.app = app
        self.audit = audit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in STATE_CHANGING:
            await self.app(scope, receive, send)
            return
        status = 500

        async def note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, note_status)
        finally:
            await self._record(scope, status)

    async def _record(self, scope: Scope, status: int) -> None:
        state: dict[str, Any] = scope.get("state", {})
        caller: Caller | None = state.get("caller")
        if (caller is not None and caller.recorded) or _NOT_RECORDED.match(scope["path"]):
            return
        client = scope.get("client")
        source = client[0] if client else None
        principal = state.get("principal")
        await note(
            self.audit,
            Caller(principal, source) if principal else Caller.anonymous(source),
            f"http.{scope['method'].lower()}",
            scope["path"],
            outcome="ok" if status < 400 else f"http-{status}",
            detail={"status": status},
        )
