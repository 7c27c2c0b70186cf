"""A video WebSocket the client steers: media goes out while JSON control messages come in.

Recorded playback and device playback share this shape: a stream task sends text (JSON) and
binary (fMP4) messages, while every text message from the client is parsed as JSON and handed to
``control``; a message that is bad or refused is answered with ``{"type": "error", "detail":
..., "code": ..., "params": {...}}`` (the English, and the reason as ``vigil.errors`` codes it;
``control.invalid`` for a message that is not a control) and the stream goes on.
:func:`stream_with_controls` returns when the stream ends or the client goes away, with both
tasks finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import WebSocket
from starlette.websockets import WebSocketDisconnect

from vigil.errors import VigilError

__all__ = ["Control", "Send", "stream_with_controls"]

Send = Callable[[str | bytes], Awaitable[None]]
Control = Callable[[dict[str, Any]], Awaitable[None]]


def _error(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, VigilError):
        code, params = exc.code, dict(exc.params)
    else:
        code, params = "control.invalid", {}
    return {"type": "error", "detail": str(exc)[:200], "code": code, "params": params}


async def stream_with_controls(
    websocket: WebSocket,
    run: Callable[[Send], Coroutine[Any, Any, None]],
    control: Control,
    name: str,
) -> tuple[bool, BaseException | None]:
    """Run ``run(send)`` as the task ``name`` beside the control loop on an accepted socket.

    Returns ``(ended, failure)``: ``ended`` when the stream finished first (then ``failure`` is
    what it raised, None for a normal end); ``(False, None)`` when the client left first.
    """

    async def send(message: str | bytes) -> None:
        if isinstance(message, bytes):
            await websocket.send_bytes(message)
        else:
            await websocket.send_text(message)

    async def controls() -> None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            while True:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                try:
                    if message.get("text") is None:
                        raise ValueError("controls are JSON text messages, not binary")
                    await control(json.loads(message["text"]))
                except (VigilError, ValueError, KeyError, TypeError) as exc:
                    await send(json.dumps(_error(exc)))

    streaming = asyncio.create_task(run(send), name=name)
    listening = asyncio.create_task(controls(), name=f"{name}:controls")
    try:
        await asyncio.wait({streaming, listening}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (streaming, listening):
            task.cancel()
        await asyncio.gather(streaming, listening, return_exceptions=True)
    if streaming.cancelled():
        return False, None
    return True, streaming.exception()
