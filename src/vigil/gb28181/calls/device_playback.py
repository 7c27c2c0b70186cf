"""Playback of a device's own recordings (GB/T 28181 clause 9.8) as fMP4 over a WebSocket.

:meth:`DevicePlayback.open` asks the access policy (playback: permission, scope, clearance, time
window, purpose and case number; :mod:`vigil.governance.access_policy`), INVITEs the
device with ``s=Playback`` for the range (a history SSRC, see :mod:`.media_call`), starts the
receiver at once (the device streams from the ACK on), audits ``video.playback`` with
``"source": "device"``, and returns a session that is a view (:mod:`vigil.media.views`): its URL
carries a token bound to the login session that opened it, re-checked while it plays.

The device's PS stream is remuxed, never transcoded, by the live fMP4 muxer
(:class:`~vigil.media.live.fmp4.Fmp4Muxer`), which starts at the first keyframe. Fragments wait
in the session (up to :data:`BACKLOG`) until its WebSocket takes them. The device paces the
stream (``Scale``), so they go out as they come. What goes out, in order:

* ``{"type": "init", "at": <range start>, "codec": ..., "speed": ...}`` then the init segment;
* one ``moof`` + ``mdat`` per frame;
* ``{"type": "end"}`` when the device reports the range sent (MediaStatus 121).

Client messages become MANSRTSP requests in an INFO inside the call's dialog: ``pause`` (PAUSE),
``resume`` (PLAY ``Range: npt=now-``), ``speed`` (PLAY ``Scale``), ``seek`` (PLAY ``Range:
npt=<seconds from start>-``). A stream that stops fails with its stage (:class:`StreamFailed`);
so does one that sends nothing for ``no_media_timeout`` seconds while not paused. Closing the
session, whatever the path, BYEs and frees the port and SSRC; a session whose WebSocket never
comes is closed after ``attach_timeout`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from vigil.errors import Conflict, Invalid, Unauthorized, VigilError
from vigil.gb28181.calls.media_call import END_OF_FILE, GbCall, Stage, StreamFailed
from vigil.gb28181.calls.media_sessions import GbStreamProvider
from vigil.gb28181.channel_audit import channel_audited
from vigil.gb28181.sip.messages import MANSRTSP
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller
from vigil.governance.permissions import Principal
from vigil.media import (
    Fmp4Muxer,
    Fragment,
    MediaPacket,
    RtpTransport,
    StreamKey,
    View,
    ViewAccess,
    ViewKind,
    check_range,
    check_speed,
)
from vigil.protocols.errors import ProtocolError
from vigil.protocols.mansrtsp import MansrtspRequest, Method, NptRange

__all__ = ["BACKLOG", "DevicePlayback", "DevicePlaybackSession"]

log = logging.getLogger(__name__)

Send = Callable[[str | bytes], Awaitable[None]]

#: Messages a session holds for a WebSocket that is late or slow before it gives up on it.
BACKLOG = 4096
_END = object()
_POLL = 0.5


class DevicePlaybackSession:
    """One device playback: the call, the muxer, and what waits for the WebSocket.

    It is the call's :class:`~vigil.media.sources.base.PacketSink`; :meth:`run` sends what
    arrives, :meth:`control` steers the device.
    """

    def __init__(
        self,
        view: View,
        call: GbCall,
        start: datetime,
        end: datetime,
        speed: float,
        no_media_timeout: float,
    ) -> None:
        self.view = view
        self.call = call
        self.start_at, self.end_at, self.speed = start, end, speed
        self.no_media_timeout = no_media_timeout
        self.paused = False
        self.attached = False
        self.closed = False
        self.muxer = Fmp4Muxer()
        self._queue: asyncio.Queue[str | bytes | StreamFailed | object] = asyncio.Queue()
        self._done = False  # ended or failed: nothing more is queued
        self._announced = False
        self._quiet_since = time.time()
        self._cseq = itertools.count(1)
        self._control_lock = asyncio.Lock()
        self.media_arrived = asyncio.Event()
        self.expiry: asyncio.TimerHandle | None = None

    @property
    def id(self) -> str:
        return self.view.id

    @property
    def channel_id(self) -> str:
        return self.call.key.channel_id

    # -- the call's sink ---------------------------------------------------------------------

    def publish(self, packet: MediaPacket) -> None:
        self.media_arrived.set()
        if not self._done:
            self._put_fragments(self.muxer.feed(packet))

    def end(self, reason: str) -> None:
        """The receiver stopped on its own (TCP closed, no media)."""
        stage: Stage = "media stopped" if self.call.receiver.stats.packets else "no media arrived"
        self._fail(StreamFailed(stage, reason))

    def call_ended(self, reason: str) -> None:
        """The call's ``on_end``: MediaStatus 121 ends the session, a device BYE fails it."""
        if reason != END_OF_FILE:
            self._fail(StreamFailed("media stopped", reason))
        elif not self._done:
            self._put_fragments(self.muxer.close())
            self._done = True
            self._queue.put_nowait(_END)

    def _put_fragments(self, fragments: list[Fragment]) -> None:
        if not fragments:
            return
        if not self._announced and self.muxer.init is not None:
            codec = self.muxer.codec.value if self.muxer.codec else None
            at = self.start_at.astimezone(UTC).isoformat()
            init = {"type": "init", "at": at, "codec": codec, "speed": self.speed}
            self._queue.put_nowait(json.dumps(init))
            self._queue.put_nowait(self.muxer.init)
            self._announced = True
        for fragment in fragments:
            self._queue.put_nowait(fragment.data)
        if self._queue.qsize() > BACKLOG:
            self._fail(StreamFailed("media stopped", "the viewer fell behind"))

    def _fail(self, failure: StreamFailed) -> None:
        if self._done:
            return
        self._done = True
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(failure)

    # -- towards the WebSocket ---------------------------------------------------------------

    async def run(self, send: Send) -> None:
        """Send what arrives until the device reports the end; raises StreamFailed on failure."""
        while True:
            item = await self._next()
            if item is _END:
                await send(json.dumps({"type": "end"}))
                return
            if isinstance(item, StreamFailed):
                raise item
            assert isinstance(item, str | bytes)
            await send(item)

    async def _next(self) -> object:
        while True:
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(self._queue.get(), _POLL)
            last = max(self.call.receiver.stats.last_arrival, self._quiet_since)
            if not self.paused and time.time() - last > self.no_media_timeout:
                self.end(f"no media for {self.no_media_timeout:g} s")

    async def control(self, message: dict[str, Any]) -> None:
        """Apply one client message as MANSRTSP in an INFO; Invalid or Conflict when it cannot."""
        kind = message.get("type")
        if kind == "pause":
            request = MansrtspRequest(Method.PAUSE, next(self._cseq))
        elif kind == "resume":
            request = MansrtspRequest(Method.PLAY, next(self._cseq), range=NptRange())
        elif kind == "speed":
            speed = float(message["speed"])
            check_speed(speed)
            request = MansrtspRequest(Method.PLAY, next(self._cseq), scale=speed)
        elif kind == "seek":
            offset = self._offset(datetime.fromisoformat(message["at"]))
            request = MansrtspRequest(Method.PLAY, next(self._cseq), range=NptRange(offset))
        else:
            raise Invalid(f"unknown control message type {kind!r}")
        async with self._control_lock:
            await self._info(request)
        if kind == "pause":
            self.paused = True
        else:
            self.paused, self._quiet_since = False, time.time()
        if kind == "speed":
            self.speed = speed

    def _offset(self, at: datetime) -> float:
        if at.tzinfo is None:
            raise Invalid("seek time needs a UTC offset")
        if not self.start_at <= at < self.end_at:
            raise Invalid("seek target is outside the session's range")
        return (at - self.start_at).total_seconds()

    async def _info(self, request: MansrtspRequest) -> None:
        extra = {"device_id": self.call.device_id, "channel_id": self.channel_id}
        try:
            answer = await self.call.send_in_dialog("INFO", bytes(request), MANSRTSP)
        except (TimeoutError, OSError, VigilError, ProtocolError) as exc:  # silent, offline, gone
            log.info("playback control not answered", extra={**extra, "error": str(exc)})
            raise Conflict(f"the device did not answer {request.method.value}") from None
        if not 200 <= answer.status < 300:
            raise Conflict(f"the device refused {request.method.value}: {answer.status}")
        log.info("playback control", extra={**extra, "method": request.method.value})


class DevicePlayback:
    """Device playback sessions of one node; built by :class:`vigil.app.Vigil`."""

    def __init__(
        self,
        gb_media: GbStreamProvider,
        audit: AuditLog,
        views: ViewAccess,
        *,
        attach_timeout: float = 30.0,
        no_media_timeout: float = 15.0,
    ) -> None:
        self._gb_media = gb_media
        self._audit = audit
        self._views = views
        self.attach_timeout = attach_timeout
        self.no_media_timeout = no_media_timeout
        self.sessions: dict[str, DevicePlaybackSession] = {}
        self._closing: set[asyncio.Task[None]] = set()

    async def open(
        self,
        who: Principal | Caller,
        channel_id: str,
        start: datetime,
        end: datetime,
        speed: float,
        transport: RtpTransport | None,
    ) -> tuple[DevicePlaybackSession, str]:
        """INVITE the channel's device for ``[start, end)`` and start receiving; audited.
        Returns the session and its view's token (for the URL; it is not kept)."""
        caller = as_caller(who)
        channel = await self._views.authorise(caller, ViewKind.device_playback, channel_id)
        check_range(start, end)
        check_speed(speed)
        device_id = channel.device_id
        detail = {
            "source": "device",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "device_id": device_id,
            "speed": speed,
        }
        async with channel_audited(
            self._audit, caller, "video.playback", channel_id, detail
        ) as entry:
            session, token = await self._start(
                caller, channel_id, device_id, start, end, speed, transport
            )
            entry.detail |= {"session": session.id, "transport": session.call.transport}
            if speed != 1:
                try:
                    await self._first_speed(session, speed)
                except BaseException:
                    await self.close(session)
                    raise
        return session, token

    async def _start(
        self,
        caller: Caller,
        channel_id: str,
        device_id: str,
        start: datetime,
        end: datetime,
        speed: float,
        transport: RtpTransport | None,
    ) -> tuple[DevicePlaybackSession, str]:
        key = StreamKey(channel_id)
        issued = self._views.open(caller, ViewKind.device_playback, key)
        try:
            call = await self._gb_media.call(
                key,
                device_id,
                kind="playback",
                start=math.floor(start.timestamp()),
                stop=math.ceil(end.timestamp()),
                transport=transport,
                no_media_timeout=math.inf,  # the session watches, knowing when it is paused
            )
        except BaseException:
            self._views.end(issued.id)
            raise
        session = DevicePlaybackSession(issued.view, call, start, end, speed, self.no_media_timeout)
        call.on_end = session.call_ended
        self.sessions[session.id] = session
        try:
            await call.start(session)
        except BaseException:
            await self.close(session)
            raise
        session.expiry = asyncio.get_running_loop().call_later(
            self.attach_timeout, self._expire, session
        )
        log.info(
            "device playback started",
            extra={"device_id": device_id, "channel_id": channel_id, "session": session.id},
        )
        return session, issued.token

    async def _first_speed(self, session: DevicePlaybackSession, speed: float) -> None:
        """A device takes playback control once its stream runs (before, it may answer 481):
        wait for the first packet, then ask for ``speed``."""
        try:
            await asyncio.wait_for(session.media_arrived.wait(), self.no_media_timeout)
        except TimeoutError:
            detail = f"no media for {self.no_media_timeout:g} s"
            raise StreamFailed("no media arrived", detail) from None
        await session.control({"type": "speed", "speed": speed})

    async def attach(self, session_id: str, token: str | None) -> DevicePlaybackSession:
        """The session a WebSocket asks for, if its view admits ``token`` (see
        :meth:`ViewAccess.admit`) and no other socket took it."""
        await self._views.admit(session_id, token, ViewKind.device_playback)
        session = self.sessions.get(session_id)
        if session is None or session.attached:
            raise Unauthorized("unknown, ended or already watched device playback session")
        session.attached = True
        if session.expiry is not None:
            session.expiry.cancel()
        return session

    def _expire(self, session: DevicePlaybackSession) -> None:
        if session.attached:
            return
        log.info("device playback never watched", extra={"channel_id": session.channel_id})
        task = asyncio.get_running_loop().create_task(
            self.close(session), name=f"gb.playback.expire:{session.id}"
        )
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def close(self, session: DevicePlaybackSession) -> None:
        """BYE (unless the device hung up) and free the receiver, port and SSRC; idempotent."""
        if session.closed:
            return
        session.closed = True
        if session.expiry is not None:
            session.expiry.cancel()
        self.sessions.pop(session.id, None)
        self._views.end(session.id)
        try:
            await session.call.close()
        finally:
            session.muxer.close()
        log.info(
            "device playback closed",
            extra={"device_id": session.call.device_id, "channel_id": session.channel_id},
        )

    async def stop(self) -> None:
        for session in list(self.sessions.values()):
            await self.close(session)
        await asyncio.gather(*self._closing, return_exceptions=True)
