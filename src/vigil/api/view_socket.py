"""A video WebSocket stays open only while its view is allowed (see :mod:`vigil.media.views`).

:func:`admit_view` runs the handshake check: a refused view closes the socket before it is
accepted (the client sees HTTP 403). :func:`while_allowed` runs the stream beside a watcher that
asks :meth:`ViewAccess.check` every ``recheck`` seconds, and at the view's expiry; when the check
fails the stream stops and the socket closes with ``4000 + the error's status`` and the reason:
4401 the view expired or its login session ended (logout, revoked, user disabled), 4403 the user
lost the permission or the channel's scope, 4404 the channel is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Coroutine
from typing import Any, TypeVar

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect

from vigil.errors import VigilError
from vigil.media import View, ViewAccess

__all__ = ["admit_view", "close_code", "while_allowed"]

T = TypeVar("T")

# RFC 6455 §7.4: 1008 policy violation; before the handshake the client sees HTTP 403 anyway.
_WS_POLICY = 1008


def close_code(error: VigilError) -> int:
    return 4000 + error.status if 400 <= error.status < 500 else _WS_POLICY


async def admit_view(websocket: WebSocket, admit: Awaitable[T]) -> T | None:
    """``await admit``; on a refusal close the unaccepted socket and return None."""
    try:
        return await admit
    except VigilError as exc:
        await websocket.close(_WS_POLICY, str(exc)[:120])
        return None


async def _watch(views: ViewAccess, view: View) -> VigilError:
    while True:
        await asyncio.sleep(views.next_check_in(view))
        try:
            await views.check(view)
        except VigilError as exc:
            return exc


async def while_allowed(
    websocket: WebSocket,
    views: ViewAccess,
    view: View,
    stream: Coroutine[Any, Any, object],
    name: str,
) -> None:
    """Run ``stream`` (as the task ``name``) on the accepted socket while ``view`` is allowed.

    When the view stops being allowed, ``stream`` is cancelled and the socket closed with the
    reason; when ``stream`` ends first, the watcher is cancelled and what it raised propagates.
    """
    streaming = asyncio.create_task(stream, name=name)
    watching = asyncio.create_task(_watch(views, view), name=f"{name}:access")
    done: set[asyncio.Task[Any]] = set()
    try:
        done, _ = await asyncio.wait({streaming, watching}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (streaming, watching):
            task.cancel()
        await asyncio.gather(streaming, watching, return_exceptions=True)
    if streaming in done:
        streaming.result()  # ended on its own: re-raise what it raised
    elif watching in done:
        ended = watching.result()
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await websocket.close(close_code(ended), str(ended)[:120])
