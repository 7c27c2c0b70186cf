"""Every state-changing request leaves an audit record, whatever its outcome.

Pure ASGI (no response buffering): it notes the status as the response starts and appends the
record after it is sent. Handlers whose service writes a richer record itself (login, account
changes, video access) set ``request.state.audited`` and are skipped here.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vigil.governance.audit import AuditEvent, AuditLog

__all__ = ["AuditMiddleware"]

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AuditMiddleware:
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
            state: dict[str, Any] = scope.get("state", {})
            if not state.get("audited"):
                principal = state.get("principal")
                client = scope.get("client")
                await self.audit.append(
                    AuditEvent(
                        actor=principal.username if principal else "anonymous",
                        action=f"http.{scope['method'].lower()}",
                        resource=scope["path"],
                        outcome="ok" if status < 400 else f"http-{status}",
                        source=client[0] if client else None,
                        detail={"status": status},
                    )
                )
