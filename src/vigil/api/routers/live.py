"""Live video: start a view, then fMP4 over WebSocket, HLS, or a JPEG snapshot.

``POST /channels/{id}/live`` checks the caller (``video:live``, channel scope), audits the view and
returns URLs carrying the view's token (see :mod:`vigil.media.views`): browsers cannot send a
bearer header from a WebSocket or an HLS player, so those routes check the token instead, and
with it the login session that opened the view, its user, permission and the channel's scope: at
the handshake, on every HLS request, and periodically while the WebSocket is open.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, WebSocket, status
from fastapi.responses import Response
from starlette.websockets import WebSocketDisconnect

from vigil.api.deps import CurrentCaller, Node
from vigil.api.schemas.common import IdPath
from vigil.api.schemas.live import (
    LiveOpen,
    LiveStart,
)
from vigil.api.services import Media
from vigil.api.stored_files import NO_STORE
from vigil.api.urls import api_url, ws_url
from vigil.api.view_socket import admit_view, while_allowed
from vigil.app import Vigil
from vigil.errors import VigilError
from vigil.media import ConsumerDropped, View, ViewKind

router = APIRouter(tags=["live"])

StreamQuery = Annotated[int, Query(ge=0, le=9, description="Stream type: 0 main, 1 sub…")]
SessionPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
TokenQuery = Annotated[str | None, Query(max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]
SequencePath = Annotated[int, Path(ge=0, le=2**31 - 1)]

_PLAYLIST = "application/vnd.apple.mpegurl"
_MP4 = "video/mp4"
# 4000: the stream ended (the reason says why); 4401/4403/4404: see vigil.api.view_socket.
_WS_STREAM_ENDED = 4000


@router.post("/channels/{channel_id}/live", response_model=LiveStart, status_code=201)
async def start_live(
    channel_id: IdPath,
    request: Request,
    caller: CurrentCaller,
    media: Media,
    stream: StreamQuery = 0,
    body: LiveOpen | None = None,
) -> LiveStart:
    asked = body or LiveOpen(unmask_approval=None)
    justified = caller.for_purpose(asked.purpose).for_case(asked.case)
    session = await media.open_live(justified, channel_id, stream, asked.unmask_approval)
    base = f"live/{session.id}"
    return LiveStart(
        session=session.id,
        ws_fmp4=ws_url(request, f"{base}/ws?token={session.token}"),
        hls=api_url(request, f"{base}/hls/index.m3u8?token={session.token}"),
        expires_at=datetime.fromtimestamp(session.expires, UTC),
        masks=len(session.view.key.masks),
        unmasked=session.view.unmasked,
    )


@router.get(
    "/channels/{channel_id}/snapshot",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
async def channel_snapshot(
    channel_id: IdPath, caller: CurrentCaller, media: Media, stream: StreamQuery = 0
) -> Response:
    jpeg = await media.snapshot(caller, channel_id, stream)
    return Response(jpeg, media_type="image/jpeg", headers=NO_STORE)


async def _session(node: Vigil, session_id: str, token: str | None) -> View:
    return await node.views.admit(session_id, token, ViewKind.live)


@router.get("/live/{session_id}/hls/index.m3u8", response_class=Response)
async def hls_playlist(session_id: SessionPath, node: Node, token: TokenQuery = None) -> Response:
    session = await _session(node, session_id, token)
    packager = await node.media.hls.get(session.key)
    body = packager.playlist(lambda name: f"{name}?token={token}")
    return Response(body, media_type=_PLAYLIST, headers={"Cache-Control": "no-cache"})


@router.get("/live/{session_id}/hls/init.mp4", response_class=Response)
async def hls_init(session_id: SessionPath, node: Node, token: TokenQuery = None) -> Response:
    session = await _session(node, session_id, token)
    packager = await node.media.hls.get(session.key)
    return Response(packager.init, media_type=_MP4)


@router.get("/live/{session_id}/hls/seg/{sequence}.m4s", response_class=Response)
async def hls_segment(
    session_id: SessionPath, sequence: SequencePath, node: Node, token: TokenQuery = None
) -> Response:
    session = await _session(node, session_id, token)
    packager = await node.media.hls.get(session.key)
    return Response(packager.segment(sequence), media_type=_MP4)


@router.websocket("/live/{session_id}/ws")
async def live_fmp4(websocket: WebSocket, session_id: str, token: str | None = None) -> None:
    """Init segment, then one binary message per fragment, starting at a keyframe.

    A refused view is refused at the handshake (HTTP 403); a stream that cannot start or ends is
    reported in the close frame (code 4000, the reason as text); a view that ends while open (its
    expiry, the login session's end, a lost permission or scope) closes with 4401/4403/4404.
    """
    node: Vigil = websocket.app.state.vigil
    view = await admit_view(websocket, _session(node, session_id, token))
    if view is None:
        return
    await websocket.accept()
    await while_allowed(
        websocket, node.views, view, _send_live(websocket, node, view), f"live.ws:{view.id}"
    )


async def _send_live(websocket: WebSocket, node: Vigil, view: View) -> None:
    try:
        viewer = await node.media.broadcasts.join(view.key)
    except (ConsumerDropped, VigilError) as exc:
        await websocket.close(_WS_STREAM_ENDED, str(exc)[:120])
        return
    try:
        await websocket.send_bytes(viewer.init)
        async for fragment in viewer.fragments:
            await websocket.send_bytes(fragment.data)
        await websocket.close(status.WS_1000_NORMAL_CLOSURE, "stream ended")
    except ConsumerDropped as exc:
        await websocket.close(_WS_STREAM_ENDED, exc.reason[:120])
    except (WebSocketDisconnect, RuntimeError):
        pass  # the viewer went away
    finally:
        viewer.close()
