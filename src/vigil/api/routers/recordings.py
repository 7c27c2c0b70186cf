"""Recordings: list a range's segments and gaps, plans, evidence locks, playback and export.

Playback and export are video access: the services check ``video:playback`` / ``video:export`` and
the channel's scope and write the audit record (``video.playback``, ``video.export``,
``video.download``, ``recording.lock``) for the request's caller. An export also needs the
caller's approved export request (``approval_id``); its signed package is served as a download.
An export may be anonymised (``anonymise``: faces found in every picture and blurred).
The playback WebSocket carries its view's token instead of a bearer header (browsers cannot send
one), bound to the login session that opened it and re-checked while it plays
(:mod:`vigil.media.views`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, WebSocket
from fastapi.responses import FileResponse

from vigil.api.deps import CurrentCaller, CurrentPrincipal, Node
from vigil.api.schemas.common import IdPath, Instant
from vigil.api.schemas.recordings import (
    ExportRequest,
    ExportStatus,
    Gap,
    JobPath,
    LockRequest,
    LockResult,
    Plan,
    PlaybackSession,
    PlaybackStart,
    RecordingList,
    RetentionClassBody,
    Segment,
    Verification,
    Window,
)
from vigil.api.services import Playback, Recording
from vigil.api.urls import ws_url
from vigil.api.view_socket import admit_view, while_allowed
from vigil.api.ws_control import stream_with_controls
from vigil.app import Vigil
from vigil.errors import Conflict, Invalid
from vigil.media import ExportJob, Player, RecordingSchedule

router = APIRouter(tags=["recordings"])


def _status(job: ExportJob) -> ExportStatus:
    return ExportStatus.model_validate(job, from_attributes=True)


def _plan(schedule: RecordingSchedule) -> Plan:
    return Plan(mode=schedule.mode.value, windows=[Window(**w.as_dict()) for w in schedule.windows])


@router.get("/channels/{channel_id}/recordings", response_model=RecordingList)
async def list_recordings(
    channel_id: IdPath,
    principal: CurrentPrincipal,
    recording: Recording,
    start: Annotated[Instant, Query()],
    end: Annotated[Instant, Query()],
) -> RecordingList:
    segments, gaps = await recording.ranges(principal, channel_id, start, end)
    return RecordingList(
        segments=[Segment.model_validate(s) for s in segments],
        gaps=[Gap.model_validate(g) for g in gaps],
    )


@router.get("/channels/{channel_id}/recording-plan", response_model=Plan)
async def get_plan(channel_id: IdPath, principal: CurrentPrincipal, node: Node) -> Plan:
    return _plan(await node.recording.get_plan(principal, channel_id))


@router.put("/channels/{channel_id}/recording-plan", response_model=Plan)
async def put_plan(channel_id: IdPath, body: Plan, principal: CurrentPrincipal, node: Node) -> Plan:
    schedule = RecordingSchedule.parse(body.mode, [w.model_dump() for w in body.windows])
    return _plan(await node.recording.put_plan(principal, channel_id, schedule))


@router.post("/channels/{channel_id}/recordings/lock", response_model=LockResult)
async def lock_recordings(
    channel_id: IdPath,
    body: LockRequest,
    caller: CurrentCaller,
    recording: Recording,
) -> LockResult:
    ids = await recording.lock(
        caller,
        channel_id,
        body.start,
        body.end,
        body.locked,
        body.reason,
        body.case,
        body.expires_at,
    )
    return LockResult(segments=ids)


@router.put("/channels/{channel_id}/retention-class", response_model=RetentionClassBody)
async def put_retention_class(
    channel_id: IdPath, body: RetentionClassBody, caller: CurrentCaller, node: Node
) -> RetentionClassBody:
    """Put the channel in a retention class (``catalog:write``; audited)."""
    keep = await node.recording.set_retention_class(caller, channel_id, body.retention_class)
    return RetentionClassBody(
        retention_class=body.retention_class, days=keep.days if keep else None
    )


@router.post("/channels/{channel_id}/playback", response_model=PlaybackSession, status_code=201)
async def start_playback(
    channel_id: IdPath,
    body: PlaybackStart,
    request: Request,
    caller: CurrentCaller,
    node: Node,
) -> PlaybackSession:
    justified = caller.for_purpose(body.purpose).for_case(body.case)
    opened, session = await node.playback.open_playback(
        justified, channel_id, body.start, body.end, body.speed, body.unmask_approval
    )
    return PlaybackSession(
        session=session.id,
        ws_fmp4=ws_url(request, f"playback/{session.id}/ws?token={session.token}"),
        expires_at=datetime.fromtimestamp(session.expires, UTC),
        segments=len(opened.segments),
        masks=len(opened.masks),
        unmasked=session.view.unmasked,
    )


@router.post("/channels/{channel_id}/exports", response_model=ExportStatus, status_code=202)
async def start_export(
    channel_id: IdPath,
    body: ExportRequest,
    caller: CurrentCaller,
    playback: Playback,
) -> ExportStatus:
    justified = caller.for_case(body.case)
    job = await playback.export(
        justified,
        channel_id,
        body.start,
        body.end,
        body.purpose,
        body.approval_id,
        body.unmask_approval,
        body.anonymise,
    )
    return _status(job)


@router.get("/exports/{job_id}", response_model=ExportStatus)
async def export_status(
    job_id: JobPath, principal: CurrentPrincipal, playback: Playback
) -> ExportStatus:
    return _status(await playback.job(principal, job_id))


@router.get("/exports/{job_id}/manifest")
async def export_manifest(
    job_id: JobPath, principal: CurrentPrincipal, playback: Playback
) -> dict[str, Any]:
    job = await playback.job(principal, job_id)
    if job.manifest is None:
        raise Conflict(
            f"export {job_id} is {job.state}", code="job.state", id=job_id, state=job.state
        )
    return job.manifest


@router.get(
    "/exports/{job_id}/video",
    response_class=FileResponse,
    responses={200: {"content": {"video/mp4": {}}}},
)
async def export_video(job_id: JobPath, caller: CurrentCaller, playback: Playback) -> FileResponse:
    path = await playback.download(caller, job_id)
    return FileResponse(path, media_type="video/mp4", filename=path.name)


@router.get(
    "/exports/{job_id}/package",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {}}}},
)
async def export_package(
    job_id: JobPath, caller: CurrentCaller, playback: Playback
) -> FileResponse:
    """The signed package: the MP4, manifest.json, manifest.sig (Ed25519 over the manifest's
    bytes) and public_key (32 raw bytes); check it with ``vigil export verify``."""
    path = await playback.package(caller, job_id)
    return FileResponse(path, media_type="application/zip", filename=path.name)


@router.get("/exports/{job_id}/verify", response_model=Verification)
async def verify_export(
    job_id: JobPath, principal: CurrentPrincipal, playback: Playback
) -> Verification:
    problems = await playback.verify(principal, job_id)
    return Verification(ok=not problems, problems=problems)


@router.websocket("/playback/{session_id}/ws")
async def playback_fmp4(websocket: WebSocket, session_id: str, token: str | None = None) -> None:
    """fMP4 of the session's range (see :mod:`vigil.media.playback.player` for the messages).

    The client may send JSON: ``{"type": "seek", "at": ISO time}``, ``{"type": "speed",
    "speed": 0.5-8}``, ``{"type": "pause"}``, ``{"type": "resume"}``; a bad one is answered with
    ``{"type": "error", "detail": ...}``. A view refused at the handshake gets HTTP 403; one that
    ends while open closes with 4401/4403/4404 (see :mod:`vigil.api.view_socket`).
    """
    node: Vigil = websocket.app.state.vigil
    opened = await admit_view(websocket, node.playback.playback(session_id, token))
    if opened is None:
        return
    await websocket.accept()
    player = Player(
        opened.segments,
        opened.start.timestamp(),
        opened.end.timestamp(),
        opened.speed,
        masks=opened.masks,
    )

    async def control(message: dict[str, Any]) -> None:
        _control(player, message)

    name = f"playback.ws:{session_id}"
    stream = stream_with_controls(websocket, player.run, control, f"{name}:media")
    await while_allowed(websocket, node.views, opened.view, stream, name)


def _control(player: Player, message: dict[str, Any]) -> None:
    kind = message["type"]
    if kind == "seek":
        at = datetime.fromisoformat(message["at"])
        if at.tzinfo is None:
            raise Invalid("seek time needs a UTC offset", code="time.offset")
        player.seek(at.timestamp())
    elif kind == "speed":
        player.set_speed(float(message["speed"]))
    elif kind == "pause":
        player.pause()
    elif kind == "resume":
        player.resume()
    else:
        raise ValueError(f"unknown control message type {kind!r}")
