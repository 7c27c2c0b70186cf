"""GB/T 28181 live video for the stream hub, and the table of every media call in progress.

:class:`GbStreamProvider` is the media plane's ``"gb28181"`` provider (see
:mod:`vigil.media.sources.gb`). ``open`` places the first call (:func:`.media_call.place_call`),
so a refused or unanswered INVITE fails the viewer's subscription at once with its stage. The hub
then runs a :class:`LiveSource`, which keeps the stream alive across device hiccups: when the
device hangs up (BYE) or its media stops, the call is ended and re-INVITEd with back-off
(``retries`` times, 1 s, 2 s, 4 s…) while the hub still has the stream — viewers keep their
subscription and see a gap. Only when every retry failed are the viewers told, with the stage of
the last failure ("media stopped", "no media arrived", "no answer", "SDP rejected"). When the
last viewer leaves, the hub stops the source: BYE, then the receiver, port and SSRC are freed.

Every answered call, live or history, is in :attr:`GbStreamProvider.calls` until it is closed; a
BYE from a device is matched there by Call-ID, and so is the MediaStatus 121 MESSAGE a device sends
inside a playback or download dialog when the range is sent (the call's ``on_end`` hears
:data:`~.media_call.END_OF_FILE`; its owner then BYEs). Both come From the channel, not the
device, so each must come from the registered address of the device the call went to (its lower
platform's for a device behind one): anything else gets 403 (:mod:`..sip.origin`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from vigil.gb28181.calls.media_call import INVITE_TIMEOUT, GbCall, Stage, StreamFailed, place_call
from vigil.gb28181.service import GbService
from vigil.gb28181.sip.messages import LIMITS
from vigil.gb28181.sip.transport import Peer
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.permissions import Permission, Principal
from vigil.media import (
    MediaPacket,
    MediaService,
    PacketSink,
    RtpTransport,
    SourceStats,
    StreamKey,
)
from vigil.protocols.errors import ManscdpError, SipError
from vigil.protocols.manscdp import MEDIA_STATUS_END_OF_FILE, MediaStatusNotify, decode
from vigil.protocols.sip import SipRequest, SipResponse, make_response
from vigil.store.models import Device
from vigil.tasks import cancel_and_wait

__all__ = ["GbStreamProvider", "LiveSource", "SessionInfo"]

log = logging.getLogger(__name__)

#: Re-INVITEs after a live stream stopped while viewers remain, and the first back-off delay.
RETRIES = 3
BACKOFF = 1.0
_TRANSPORTS: frozenset[str] = frozenset({"udp", "tcp_passive", "tcp_active"})


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One media call as ``GET /sessions`` shows it."""

    id: str
    channel_id: str
    device_id: str
    kind: str
    transport: str
    ssrc: str
    port: int
    started: datetime
    viewers: int
    packets: int
    bytes: int
    lost: int


class _StagedSink:
    """Passes frames straight through; turns a source's end into a staged failure."""

    def __init__(self, owner: LiveSource, call: GbCall, sink: PacketSink) -> None:
        self.publish: Callable[[MediaPacket], None] = sink.publish
        self._owner = owner
        self._call = call

    def end(self, reason: str) -> None:
        stage: Stage = "media stopped" if self._call.receiver.stats.packets else "no media arrived"
        self._owner.call_ended(self._call, StreamFailed(stage, reason))


class LiveSource:
    """The hub's source for one GB channel: one call at a time, re-INVITEd when it stops."""

    def __init__(
        self,
        first: GbCall,
        redial: Callable[[], Awaitable[GbCall]],
        *,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
    ) -> None:
        self.call: GbCall | None = first
        self._redial = redial
        self._retries = retries
        self._backoff = backoff
        self._sink: PacketSink | None = None
        self._recovery: asyncio.Task[None] | None = None
        self._stopped = False
        self._reconnects = 0
        self._totals = SourceStats()

    @property
    def stats(self) -> SourceStats:
        current = self.call.receiver.stats if self.call is not None else SourceStats()
        totals = self._totals
        return SourceStats(
            packets=totals.packets + current.packets,
            lost=totals.lost + current.lost,
            bytes=totals.bytes + current.bytes,
            frames=totals.frames + current.frames,
            last_arrival=current.last_arrival or totals.last_arrival,
            reconnects=self._reconnects,
        )

    async def start(self, sink: PacketSink) -> None:
        self._sink = sink
        assert self.call is not None
        await self._run(self.call)

    async def _run(self, call: GbCall) -> None:
        assert self._sink is not None
        call.on_end = lambda reason: self.call_ended(call, StreamFailed("media stopped", reason))
        await call.source.start(_StagedSink(self, call, self._sink))

    def call_ended(self, call: GbCall, failure: StreamFailed) -> None:
        """The current call stopped on its own: replace it, or end the stream with the stage."""
        if self._stopped or call is not self.call or self._recovery is not None:
            return
        log.warning("live call ended", extra={"stream": str(call.key), "reason": str(failure)})
        self._recovery = asyncio.get_running_loop().create_task(
            self._recover(call, failure), name=f"gb.live.recover:{call.key}"
        )

    async def _recover(self, call: GbCall, failure: StreamFailed) -> None:
        self._retire(call)
        await call.close()
        delay = self._backoff
        for _ in range(self._retries):
            await asyncio.sleep(delay)
            delay *= 2
            try:
                replacement = await self._redial()
            except StreamFailed as exc:
                failure = exc
                continue
            # Whatever else a redial fails with (the device went offline meanwhile) is one more
            # failed try: the recovery must end, in a replacement or in the stream's end.
            except Exception as exc:  # noqa: BLE001
                log.warning(
                    "live redial failed", extra={"stream": str(call.key), "error": str(exc)}
                )
                failure = StreamFailed("no answer", str(exc))
                continue
            self.call = replacement
            try:
                await self._run(replacement)
            # Any failure of a redialled call is a reason to try the next one, not to stop.
            except Exception as exc:  # noqa: BLE001
                failure = StreamFailed("no media arrived", str(exc))
                self._retire(replacement)
                await replacement.close()
                continue
            self._reconnects += 1
            self._recovery = None
            log.info("live call replaced", extra={"stream": str(call.key)})
            return
        self._recovery = None
        if self._sink is not None and not self._stopped:
            self._sink.end(str(failure))

    def _retire(self, call: GbCall) -> None:
        stats = call.receiver.stats
        totals = self._totals
        totals.packets += stats.packets
        totals.lost += stats.lost
        totals.bytes += stats.bytes
        totals.frames += stats.frames
        totals.last_arrival = stats.last_arrival or totals.last_arrival
        if self.call is call:
            self.call = None

    async def stop(self) -> None:
        self._stopped = True
        await cancel_and_wait(self._recovery)
        call, self.call = self.call, None
        if call is not None:
            await call.close()


class GbStreamProvider:
    """See the module docstring. Registered by :class:`vigil.app.Vigil` for ``"gb28181"``."""

    def __init__(
        self,
        gb: GbService,
        media: MediaService,
        policy: AccessPolicy,
        *,
        transport: RtpTransport = "udp",
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        no_media_timeout: float = 15.0,
        invite_timeout: float = INVITE_TIMEOUT,
    ) -> None:
        self._gb = gb
        self._media = media
        self._policy = policy
        self.transport: RtpTransport = transport
        self.retries = retries
        self.backoff = backoff
        self.no_media_timeout = no_media_timeout
        self.invite_timeout = invite_timeout
        #: Media transport per device, where it differs from :attr:`transport` (NAT, firewalls).
        self.preferred: dict[str, RtpTransport] = {}
        #: Every answered call not yet closed, by Call-ID.
        self.calls: dict[str, GbCall] = {}

    def transport_for(self, device_id: str) -> RtpTransport:
        return self.preferred.get(device_id, self.transport)

    def prefer(self, device_id: str, transport: str) -> None:
        """Use ``transport`` (udp, tcp_passive, tcp_active) for this device's next calls."""
        if transport not in _TRANSPORTS:
            raise ValueError(f"unknown media transport {transport!r}")
        self.preferred[device_id] = transport  # type: ignore[assignment]

    async def call(
        self,
        key: StreamKey,
        device_id: str,
        *,
        kind: str = "live",
        start: int = 0,
        stop: int = 0,
        download_speed: int | None = None,
        transport: RtpTransport | None = None,
        no_media_timeout: float | None = None,
    ) -> GbCall:
        """Place a call (over ``transport``, by default the device's) and keep it in
        :attr:`calls` until it is closed; ``no_media_timeout`` None is this provider's."""
        call = await place_call(
            self._gb,
            self._media,
            key,
            device_id,
            transport or self.transport_for(device_id),
            kind=kind,  # type: ignore[arg-type]
            start=start,
            stop=stop,
            download_speed=download_speed,
            no_media_timeout=no_media_timeout or self.no_media_timeout,
            invite_timeout=self.invite_timeout,
        )
        self.calls[call.call_id] = call
        call.on_closed = lambda: self.calls.pop(call.call_id, None)
        return call

    async def open(self, key: StreamKey, device: Device) -> LiveSource:
        """The hub's provider call: INVITE now (failures raise with their stage)."""
        device_id = device.id
        first = await self.call(key, device_id)
        return LiveSource(
            first,
            lambda: self.call(key, device_id),
            retries=self.retries,
            backoff=self.backoff,
        )

    async def sessions(self, principal: Principal) -> list[SessionInfo]:
        """Calls in progress on channels the access policy lets the caller watch live now."""
        principal.require(Permission.video_live)
        viewers = {info.key: info.consumers for info in self._media.hub.streams()}
        out: list[SessionInfo] = []
        for call in sorted(self.calls.values(), key=lambda c: c.started):
            if not await self._policy.allows(principal, call.key.channel_id, AccessAction.live):
                continue  # out of scope, above the caller's clearance, outside its hours, gone
            stats = call.receiver.stats
            out.append(
                SessionInfo(
                    id=call.id,
                    channel_id=call.key.channel_id,
                    device_id=call.device_id,
                    kind=call.kind,
                    transport=call.transport,
                    ssrc=call.ssrc,
                    port=call.port,
                    started=datetime.fromtimestamp(call.started, UTC),
                    viewers=viewers.get(call.key, 0) if call.kind == "live" else 0,
                    packets=stats.packets,
                    bytes=stats.bytes,
                    lost=stats.lost,
                )
            )
        return out

    async def _device_bye(self, request: SipRequest, peer: Peer) -> SipResponse:
        call = self.calls.get(request.call_id)
        if call is None:
            return make_response(request, 481)
        refused = await self._gb.origin.from_dialog_device(request, peer, call.device_id)
        if refused is not None:
            return refused
        try:
            call.dialog.on_request(request)
        except SipError as exc:
            return make_response(request, exc.status_hint)
        log.info("device hung up", extra={"stream": str(call.key), "device_id": call.device_id})
        call.ended_by_device("the device sent BYE")
        return make_response(request, 200)

    async def _dialog_message(self, request: SipRequest, peer: Peer) -> SipResponse | None:
        """A MESSAGE inside one of our calls (MediaStatus); None for a dialog not ours."""
        call = self.calls.get(request.call_id)
        if call is None:
            return None
        refused = await self._gb.origin.from_dialog_device(request, peer, call.device_id)
        if refused is not None:
            return refused
        try:
            call.dialog.on_request(request)
            message = decode(request.body, LIMITS)
        except SipError as exc:
            return make_response(request, exc.status_hint)
        except ManscdpError as exc:
            extra = {"device_id": call.device_id, "error": str(exc)}
            log.info("bad in-dialog MESSAGE", extra=extra)
            return make_response(request, 400, "Bad MANSCDP")
        if (
            isinstance(message, MediaStatusNotify)
            and message.notify_type == MEDIA_STATUS_END_OF_FILE
        ):
            log.info(
                "device reached end of file",
                extra={"stream": str(call.key), "device_id": call.device_id, "kind": call.kind},
            )
            call.end_of_file()
        return make_response(request, 200)
