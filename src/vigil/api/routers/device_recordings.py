"""Recordings kept on the device: playback (fMP4 over WebSocket) and download (an MP4 job).

The services (:mod:`vigil.gb28181.calls.device_playback`,
:mod:`vigil.gb28181.calls.device_download`) check
``video:playback`` / ``video:export`` and the channel's scope and write the audit records
(``video.playback``, ``video.export``, ``video.download``) for the request's caller. The WebSocket
carries its view's token instead of a bearer header, bound to the login session that opened it and
re-checked while it plays (:mod:`vigil.media.views`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, WebSocket, status
from fastapi.responses import FileResponse
from starlette.websockets import WebSocketDisconnect

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.schemas.common import IdPath
from vigil.api.schemas.device_recordings import (
    DeviceDownloadStart,
    DeviceDownloadStatus,
    DevicePlaybackOut,
    DevicePlaybackStart,
)
from vigil.api.schemas.recordings import JobPath
from vigil.api.urls import ws_url
from vigil.api.view_socket import admit_view, while_allowed
from vigil.api.ws_control import stream_with_controls
from vigil.app import Vigil
from vigil.gb28181.calls.device_download import DeviceDownloadJob
from vigil.gb28181.calls.device_playback import DevicePlaybackSession
from vigil.gb28181.calls.media_call import StreamFailed

router = APIRouter(tags=["device-recordings"])

# 4000: the stream failed (reason: its stage); 4401/4403/4404: see vigil.api.view_socket.
_WS_STREAM_FAILED = 4000


def _status(job: DeviceDownloadJob) -> DeviceDownloadStatus:
    return DeviceDownloadStatus.model_validate(job, from_attributes=True)


@router.post(
    "/channels/{channel_id}/device-playback", response_model=DevicePlaybackOut, status_code=201
)
async def start_device_playback(
    channel_id: IdPath,
    body: DevicePlaybackStart,
    request: Request,
    caller: CurrentCaller,
    node: Node,
) -> DevicePlaybackOut:
    justified = caller.for_purpose(body.purpose).for_case(body.case)
    session, token = await node.device_playback.open(
        justified, channel_id, body.start, body.end, body.speed, body.transport
    )
    return DevicePlaybackOut(
        session=session.id,
        ws_fmp4=ws_url(request, f"device-playback/{session.id}/ws?token={token}"),
        expires_at=datetime.fromtimestamp(session.view.expires, UTC),
    )


@router.websocket("/device-playback/{session_id}/ws")
async def device_playback_fmp4(
    websocket: WebSocket, session_id: str, token: str | None = None
) -> None:
    """fMP4 of the device's recording (see :mod:`vigil.gb28181.calls.device_playback`).

    The client may send ``{"type": "pause"}``, ``{"type": "resume"}``, ``{"type": "speed",
    "speed": 0.5-8}`` and ``{"type": "seek", "at": ISO time}``; a bad one or one the device
    refuses is answered with ``{"type": "error", "detail": ...}``. A failed stream closes with
    code 4000 and its stage as the reason; closing the socket ends the call. A view refused at
    the handshake gets HTTP 403; one that ends while open closes with 4401/4403/4404 (see
    :mod:`vigil.api.view_socket`), and the call ends with it.
    """
    node: Vigil = websocket.app.state.vigil
    session = await admit_view(websocket, node.device_playback.attach(session_id, token))
    if session is None:
        return
    await websocket.accept()
    try:
        name = f"gb.playback.ws:{session_id}"
        await while_allowed(websocket, node.views, session.view, _stream(websocket, session), name)
    finally:
        await node.device_playback.close(session)


async def _stream(websocket: WebSocket, session: DevicePlaybackSession) -> None:
    try:
        ended, failure = await stream_with_controls(
            websocket, session.run, session.control, f"gb.playback.ws:{session.id}:media"
        )
        if ended and failure is None:
            await websocket.close(status.WS_1000_NORMAL_CLOSURE, "end of range")
        elif isinstance(failure, StreamFailed):
            await websocket.close(_WS_STREAM_FAILED, str(failure)[:120])
    except (WebSocketDisconnect, RuntimeError):
        pass  # the viewer went away


@router.post(
    "/channels/{channel_id}/device-downloads",
    response_model=DeviceDownloadStatus,
    status_code=202,
)
async def start_device_download(
    channel_id: IdPath,
    body: DeviceDownloadStart,
    caller: CurrentCaller,
    node: Node,
) -> DeviceDownloadStatus:
    job = await node.device_downloads.start(
        caller.for_case(body.case), channel_id, body.start, body.end, body.speed, body.purpose
    )
    return _status(job)


@router.get("/device-downloads/{job_id}", response_model=DeviceDownloadStatus)
async def device_download_status(
    job_id: JobPath, principal: CurrentPrincipal, node: Node
) -> DeviceDownloadStatus:
    return _status(await node.device_downloads.job(principal, job_id))


@router.get(
    "/device-downloads/{job_id}/video",
    response_class=FileResponse,
    responses={200: {"content": {"video/mp4": {}}}},
)
async def device_download_video(job_id: JobPath, caller: CurrentCaller, node: Node) -> FileResponse:
    path = await node.device_downloads.video(caller, job_id)
    return FileResponse(path, media_type="video/mp4", filename=path.name)
