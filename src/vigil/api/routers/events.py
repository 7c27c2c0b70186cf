"""Live events for the console over WebSocket: catalog changes and device state, scope-checked.

Protocol (``GET /api/v1/events``, WebSocket):

1. The client sends its access token as the first text message, ``{"token": "<access_token>"}``,
   within ``AUTH_TIMEOUT`` seconds. The token travels in a message rather than in the URL so it
   never lands in proxy or access logs. A bad or missing token closes with code 4401; a principal
   without ``catalog:read`` with 4403.
2. The server answers ``{"subject": "ready"}`` and from then on sends one JSON object per bus
   event, ``{"subject": "catalog.channel.updated", "at": ..., <the event's fields>}``, only for
   objects the caller may see (the services' own scope checks decide). A deleted object can no
   longer be looked up, so deletions reach only unscoped callers; scoped consoles see them on
   their next load.
3. The token is checked again every ``RECHECK_SECONDS`` and whenever the client sends a message
   (any message, text or binary, is a keep-alive); when it has expired or was revoked (logout)
   the socket closes with 4401, so a console never outlives its session.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic_core import to_jsonable_python

from vigil.app import Vigil
from vigil.bus import CatalogChanged, Event, Subscription
from vigil.errors import Forbidden, NotFound, VigilError
from vigil.governance.permissions import Permission, Principal

__all__ = ["router"]

log = logging.getLogger(__name__)

router = APIRouter(tags=["events"])

SUBJECTS = ("catalog.>", "device.>", "channel.>", "alarm.>")
"""Catalog changes, device and channel state, alarms raised and handled (seen by the callers whose
scope holds the alarm's channel, or its device when it names no channel)."""
AUTH_TIMEOUT = 10.0
RECHECK_SECONDS = 30.0
CLOSE_UNAUTHORIZED, CLOSE_FORBIDDEN = 4401, 4403


async def _authenticate(websocket: WebSocket, node: Vigil) -> Principal | None:
    """Read the first message as ``{"token": ...}``; close the socket and return None if bad."""
    try:
        first = await asyncio.wait_for(websocket.receive_text(), AUTH_TIMEOUT)
        token = json.loads(first)["token"]
        if not isinstance(token, str):
            raise TypeError("token must be a string")
        principal = await node.auth.authenticate(token)
        principal.require(Permission.catalog_read)
    except Forbidden as exc:
        await websocket.close(CLOSE_FORBIDDEN, str(exc)[:120])
        return None
    except WebSocketDisconnect:
        return None  # gone before it said who it is
    except (TimeoutError, ValueError, KeyError, TypeError, VigilError):
        # KeyError: a binary first message has no text
        await websocket.close(CLOSE_UNAUTHORIZED, 'send {"token": ...} first')
        return None
    websocket.state.token = token
    return principal


def _about(event: Event) -> tuple[str, str] | None:
    """Which catalog object an event concerns, as (entity, id); None when it cannot be told."""
    if isinstance(event, CatalogChanged):
        return None if event.op == "deleted" else (event.entity, event.id)
    for entity in ("channel", "device"):
        id_ = getattr(event, f"{entity}_id", None)
        if isinstance(id_, str):
            return entity, id_
    return None


async def _visible(node: Vigil, principal: Principal, event: Event) -> bool:
    """Whether the caller may see what ``event`` is about, by asking the owning service."""
    if principal.scope_paths is None:
        return True
    about = _about(event)
    if about is None:
        return False
    entity, id_ = about
    try:
        if entity == "organisation":
            await node.organisations.get(principal, id_)
        elif entity == "device":
            await node.devices.get(principal, id_)
        else:
            await node.channels.get(principal, id_)
    except (Forbidden, NotFound):
        return False
    return True


def _message(event: Event) -> str:
    fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
    return json.dumps({"subject": event.subject, **to_jsonable_python(fields)}, ensure_ascii=False)


async def _hold(websocket: WebSocket, node: Vigil) -> None:
    """Drain client messages until it leaves; re-check the token on each and periodically."""
    while True:
        with contextlib.suppress(TimeoutError):
            message = await asyncio.wait_for(websocket.receive(), RECHECK_SECONDS)
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000))
        try:
            await node.auth.authenticate(websocket.state.token)
        except VigilError:
            await websocket.close(CLOSE_UNAUTHORIZED, "session ended")
            return


@router.websocket("/events")
async def events(websocket: WebSocket) -> None:
    node: Vigil = websocket.app.state.vigil
    await websocket.accept()
    principal = await _authenticate(websocket, node)
    if principal is None:
        return

    async def forward(event: Event) -> None:
        if await _visible(node, principal, event):
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):
                await websocket.send_text(_message(event))

    subscriptions: list[Subscription] = []
    try:
        subscriptions = [node.bus.subscribe(subject, forward) for subject in SUBJECTS]
        await websocket.send_text(json.dumps({"subject": "ready"}))
        await _hold(websocket, node)
    except WebSocketDisconnect:
        pass
    finally:
        for subscription in subscriptions:
            node.bus.unsubscribe(subscription)
        log.debug("events socket closed", extra={"user": principal.username})
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close()
