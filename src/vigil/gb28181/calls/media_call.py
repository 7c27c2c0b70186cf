"""One GB/T 28181 media call: a receiver, the INVITE that points a device at it, ACK and BYE.

:func:`place_call` is the whole client side of clause 9.2 (live), 9.8 (playback) and 9.9
(download): open an RTP receiver (port and SSRC taken), offer it in SDP with the Subject header,
await the final answer, ACK a 2xx through the dialog, read where the device sends from (TCP active
connects there). Every failure raises :class:`StreamFailed` naming the stage that failed, and
every failure path gives the receiver, its port and its SSRC back before raising.

A :class:`GbCall` is what a successful INVITE leaves: the dialog (for BYE and INFO) and the
receiver. :meth:`GbCall.close` sends BYE unless the device already did, then frees the receiver;
it is safe to call more than once.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from vigil.errors import Conflict
from vigil.gb28181.service import GbService, TransactionTimeout
from vigil.media import (
    GbSource,
    MediaService,
    PacketSink,
    RtpReceiver,
    RtpTransport,
    SourceError,
    StreamKey,
)
from vigil.protocols.errors import ProtocolError
from vigil.protocols.sdp import SessionKind, Transport, build_offer, parse_sdp, read_answer
from vigil.protocols.sip import Dialog, DialogState, SipRequest, SipResponse, Via, new_branch

__all__ = ["END_OF_FILE", "CallKind", "GbCall", "Stage", "StreamFailed", "place_call"]

log = logging.getLogger(__name__)

Stage = Literal["no answer", "SDP rejected", "no media arrived", "media stopped"]
CallKind = Literal["live", "playback", "download"]

#: The ``on_end`` reason of a playback or download the device reports complete (MediaStatus 121).
END_OF_FILE = "end of file (MediaStatus 121)"
#: Seconds to wait for the INVITE's final answer (shorter than Timer B's 32 s: a viewer waits).
INVITE_TIMEOUT = 10.0
#: Seconds a BYE may take before the receiver is freed anyway.
BYE_TIMEOUT = 5.0
_SDP_TRANSPORT: dict[str, Transport] = {
    "udp": Transport.UDP,
    "tcp_passive": Transport.TCP_PASSIVE,
    "tcp_active": Transport.TCP_ACTIVE,
}
_SESSION_KIND = {
    "live": SessionKind.PLAY,
    "playback": SessionKind.PLAYBACK,
    "download": SessionKind.DOWNLOAD,
}


class StreamFailed(SourceError):
    """A GB/T 28181 stream failed; ``stage`` says where (the message starts with it too)."""

    status, type, title = 502, "stream-failed", "Stream failed"

    def __init__(self, stage: Stage, detail: str) -> None:
        super().__init__(f"{stage}: {detail}")
        self.stage: Stage = stage
        self.detail = detail


@dataclass(eq=False)
class GbCall:
    """An answered INVITE: its dialog and receiver; ``source`` (its ``on_stop`` is our BYE) feeds
    the hub or a playback session."""

    id: str
    key: StreamKey
    device_id: str
    kind: CallKind
    transport: RtpTransport
    receiver: RtpReceiver
    dialog: Dialog
    source: GbSource = field(init=False)
    started: float = field(default_factory=time.time)
    #: Called once when the call ends on its own (device BYE, MediaStatus 121); the reason.
    on_end: Callable[[str], None] | None = None
    #: Called once when :meth:`close` has freed everything (the registry forgets the call).
    on_closed: Callable[[], object] | None = None
    _gb: GbService | None = field(default=None, repr=False)
    _release_ssrc: Callable[[], None] | None = field(default=None, repr=False)
    _closed: bool = False

    @property
    def ssrc(self) -> str:
        return self.receiver.ssrc

    @property
    def port(self) -> int:
        return self.receiver.port

    @property
    def call_id(self) -> str:
        return self.dialog.call_id

    def ended_by_device(self, reason: str) -> None:
        """The device hung up (its BYE is answered already): no BYE of ours, tell the owner."""
        self.dialog.state = DialogState.TERMINATED
        if self.on_end is not None:
            self.on_end(reason)

    async def start(self, sink: PacketSink) -> None:
        """Start receiving into ``sink``; a receiver that cannot start (a TCP connection that
        fails) raises :class:`StreamFailed` "no media arrived". Close the call either way."""
        try:
            await self.source.start(sink)
        except StreamFailed:
            raise
        except (OSError, TimeoutError, SourceError) as exc:
            raise StreamFailed("no media arrived", str(exc) or type(exc).__name__) from exc

    def end_of_file(self) -> None:
        """The device sent the whole range (MediaStatus 121): tell the owner, who BYEs."""
        if self.on_end is not None:
            self.on_end(END_OF_FILE)

    def in_dialog(self, method: str, body: bytes, content_type: str) -> SipRequest:
        """An INFO (MANSRTSP) or MESSAGE inside this call's dialog."""
        assert self._gb is not None
        return self.dialog.request(
            method, via=_via(self._gb, self.device_id), body=body, content_type=content_type
        )

    async def send_in_dialog(
        self, method: str, body: bytes, content_type: str, timeout: float = INVITE_TIMEOUT
    ) -> SipResponse:
        """Send :meth:`in_dialog`'s request to the device; its final answer.

        Raises :class:`TimeoutError` (or the transaction's timeout) when the device is silent.
        """
        assert self._gb is not None
        request = self.in_dialog(method, body, content_type)
        return await asyncio.wait_for(self._gb.send(self.device_id, request), timeout)

    async def bye(self) -> None:
        """Send BYE unless the dialog is already over; never raises for an unreachable device."""
        if self._gb is not None:
            await _bye(self._gb, self.device_id, self.dialog)

    async def close(self) -> None:
        """BYE (via the source's ``on_stop``) and free the receiver, port and SSRC."""
        if self._closed:
            return
        self._closed = True
        try:
            await self.source.stop()
        finally:
            if self._release_ssrc is not None:
                self._release_ssrc()
            if self.on_closed is not None:
                self.on_closed()


async def _bye(gb: GbService, device_id: str, dialog: Dialog) -> None:
    if dialog.state is DialogState.TERMINATED:
        return
    try:
        request = dialog.bye(via=_via(gb, device_id))
        await asyncio.wait_for(gb.send(device_id, request), BYE_TIMEOUT)
    # A cleanup path that must not raise: whatever went wrong, the receiver is freed regardless.
    except Exception as exc:  # noqa: BLE001
        log.info("BYE not answered", extra={"device_id": device_id, "error": str(exc)})


def _via(gb: GbService, device_id: str) -> Via:
    presence = gb.device(device_id)
    transport = presence.transport if presence is not None else "udp"
    return Via(transport.upper(), gb.settings.sip_host, gb.port, new_branch(), rport=True)


async def place_call(
    gb: GbService,
    media: MediaService,
    key: StreamKey,
    device_id: str,
    transport: RtpTransport,
    *,
    kind: CallKind = "live",
    start: int = 0,
    stop: int = 0,
    download_speed: int | None = None,
    no_media_timeout: float = 15.0,
    invite_timeout: float = INVITE_TIMEOUT,
) -> GbCall:
    """INVITE ``key.channel_id`` on ``device_id`` and return the answered call (not started).

    Raises :class:`StreamFailed` ("no answer" or "SDP rejected") with everything released.
    """
    history = kind != "live"
    ssrc = media.ssrcs.acquire(history) if history else None
    release_ssrc = (lambda: media.ssrcs.release(ssrc)) if ssrc is not None else None
    try:
        receiver = await media.open_rtp_receiver(key, transport, ssrc=ssrc)
    except BaseException:
        if release_ssrc is not None:
            release_ssrc()
        raise
    try:
        dialog = await _invite(
            gb, media, key, device_id, receiver, kind, start, stop, download_speed, invite_timeout
        )
    except BaseException:
        await receiver.close()
        if release_ssrc is not None:
            release_ssrc()
        raise
    call = GbCall(
        id=secrets.token_urlsafe(9),
        key=key,
        device_id=device_id,
        kind=kind,
        transport=receiver.transport,
        receiver=receiver,
        dialog=dialog,
        _gb=gb,
        _release_ssrc=release_ssrc,
    )
    call.source = GbSource(receiver, on_stop=call.bye, no_media_timeout=no_media_timeout)
    return call


async def _invite(
    gb: GbService,
    media: MediaService,
    key: StreamKey,
    device_id: str,
    receiver: RtpReceiver,
    kind: CallKind,
    start: int,
    stop: int,
    download_speed: int | None,
    invite_timeout: float,
) -> Dialog:
    channel_id = key.channel_id
    offer = build_offer(
        kind=_SESSION_KIND[kind],
        sender_id=gb.settings.sip_id,
        address=media.media_ip,
        port=receiver.port,
        ssrc=receiver.ssrc,
        transport=_SDP_TRANSPORT[receiver.transport],
        channel_id=channel_id,
        start=start,
        stop=stop,
        download_speed=download_speed,
    )
    subject = f"{channel_id}:{receiver.ssrc},{gb.settings.sip_id}:0"
    try:
        invite = gb.build_request(
            device_id,
            "INVITE",
            target_id=channel_id,
            body=bytes(offer),
            content_type="application/sdp",
            headers=[("Subject", subject)],
        )
        response = await asyncio.wait_for(gb.send(device_id, invite), invite_timeout)
    except (TimeoutError, TransactionTimeout) as exc:
        raise StreamFailed("no answer", f"device {device_id} did not answer the INVITE") from exc
    except SourceError:
        raise
    except Exception as exc:  # Conflict: the device is not online
        raise StreamFailed("no answer", str(exc)) from exc
    if not 200 <= response.status < 300:
        raise StreamFailed("SDP rejected", f"INVITE answered {response.status} {response.reason}")
    dialog = Dialog.from_uac(invite, response)
    try:
        gb.transmit(device_id, dialog.ack(via=_via(gb, device_id)))
    except Conflict as exc:  # answered, then taken offline before the ACK could go
        raise StreamFailed("no answer", str(exc)) from exc
    try:
        _read_answer(response, receiver)
    except StreamFailed:
        await _bye(gb, device_id, dialog)
        raise
    return dialog


def _read_answer(response: SipResponse, receiver: RtpReceiver) -> None:
    try:
        answer = read_answer(parse_sdp(response.body))
    except ProtocolError as exc:
        raise StreamFailed("SDP rejected", f"unusable SDP answer: {exc}") from exc
    if receiver.transport == "tcp_active":
        receiver.remote = (answer.address, answer.port)
