"""Video for upper platforms: INVITE, ACK, INFO and BYE from a configured upper platform.

Bound to the cascade dispatcher's routes (:mod:`.dispatch`), so only requests From a configured
upper platform reach it, and only for channels shared with that platform
(:func:`.shares.shared_channel`: anything else is 404, as if it did not exist). Vigil answers as
a device would (GB/T 28181 clauses 9.2, 9.8, 9.9):

* ``s=Play`` — the channel's live stream from the stream hub (:class:`.feeds.LiveFeed`): one
  source shared with local viewers, started on demand, released when the call ends;
* ``s=Playback`` / ``s=Download`` with ``t=`` — Vigil's own recording of the range
  (:class:`.feeds.RecordedFeed`, Download at ``a=downloadspeed``), or, when Vigil has none and the
  channel's device is a GB/T 28181 one, the device's own (:class:`.feeds.DeviceFeed`); which one
  is chosen in :mod:`.feed_opener`.

The 200 OK's SDP names Vigil's media address and a port from the RTP pool, echoes the offer's
SSRC in ``y=`` and, for TCP, the ``a=setup`` that complements the offer's. Media flows from the
ACK on, as PS over RTP with that SSRC, never transcoded. Over UDP the 200 is resent until the
ACK; a call never ACKed is dropped after 64·T1. A playback sent to its end sends MediaStatus 121
in the dialog; any other end of the feed (source gone, hub consumer dropped, media connection
closed) sends BYE to the upper platform. The upper platform's BYE stops the feed, and with it
the hub consumer or the device's call. INFO carries MANSRTSP (PAUSE, PLAY with Scale and Range)
to the playback. Every call is audited as a video access by ``platform:<SIP ID>``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from vigil.errors import VigilError
from vigil.gb28181.calls.media_sessions import GbStreamProvider
from vigil.gb28181.cascade.feed_opener import FeedOpener, Refused
from vigil.gb28181.cascade.feeds import Feed
from vigil.gb28181.cascade.targets import Target, resolve_target
from vigil.gb28181.cascade.upper_call import UpperCall
from vigil.gb28181.channel_audit import channel_audited
from vigil.gb28181.service import GbService
from vigil.gb28181.sip.transport import Peer
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note
from vigil.media import (
    MediaEndpoint,
    MediaService,
    PacketSender,
    PlaybackService,
    RecordingService,
)
from vigil.protocols.errors import MansrtspError, SdpError, SipError
from vigil.protocols.mansrtsp import parse_mansrtsp
from vigil.protocols.sdp import SessionKind, make_ssrc, parse_sdp
from vigil.protocols.sdp.answer import MediaPlan, answer_offer, plan_media
from vigil.protocols.sip import (
    Dialog,
    NameAddr,
    SipRequest,
    SipResponse,
    SipUri,
    make_response,
    new_tag,
)
from vigil.store.database import Database
from vigil.store.models.platforms import Platform
from vigil.tasks import OwnedTasks

__all__ = ["CascadeMedia"]

log = logging.getLogger(__name__)

#: 64·T1: how long a 200 OK waits for its ACK before the call is dropped.
ACK_TIMEOUT = 32.0
T1, T2 = 0.5, 4.0
_ACTIONS = {
    SessionKind.PLAY: "video.live",
    SessionKind.PLAYBACK: "video.playback",
    SessionKind.DOWNLOAD: "video.download",
}
_SSRC_INDEXES = 10_000


@dataclass(frozen=True, slots=True)
class _Invite:
    """An INVITE being answered: from which platform and where, for what, with which plan."""

    platform: Platform
    request: SipRequest
    peer: Peer
    plan: MediaPlan
    target: Target


class CascadeMedia:
    """Calls from upper platforms in progress, by Call-ID; built by :class:`vigil.app.Vigil`."""

    def __init__(
        self,
        gb: GbService,
        media: MediaService,
        gb_media: GbStreamProvider,
        recording: RecordingService,
        playback: PlaybackService,
        db: Database,
        audit: AuditLog,
    ) -> None:
        self._gb = gb
        self._media = media
        self._feeds = FeedOpener(media, gb_media, recording, playback)
        self._db = db
        self._audit = audit
        self.calls: dict[str, UpperCall] = {}
        self._ssrc_index = itertools.count(1)
        self._tasks = OwnedTasks()

    async def stop(self) -> None:
        """Hang up every call (BYE to the upper platforms, all at once: each may wait its full
        time limit on a platform that does not answer) and free everything."""
        await asyncio.gather(*(self.hangup(call_id) for call_id in list(self.calls)))
        await self._tasks.stop()

    # INVITE -----------------------------------------------------------------------------------

    async def _invite(self, platform: Platform, request: SipRequest, peer: Peer) -> SipResponse:
        if request.to.tag is not None:
            return make_response(request, 488, "Re-INVITE Not Supported")
        outward_id = request.request_uri.user or ""
        target = await resolve_target(self._db, platform, outward_id)
        if target is None:
            log.info(
                "INVITE for a channel not shared",
                extra={"platform": platform.sip_id, "channel_id": outward_id},
            )
            await note(
                self._audit,
                Caller.peer(f"platform:{platform.sip_id}", peer.host),
                "video.invite",
                f"channel:{outward_id}",
                outcome="not_shared",
                detail={"platform_id": platform.id, "outward_id": outward_id},
            )
            return make_response(request, 404, "Not Shared")
        channel_id = target.channel_id
        try:
            offer = parse_sdp(request.body)
            plan = plan_media(offer, self._fallback_ssrc(offer.kind is not SessionKind.PLAY))
        except SdpError as exc:
            log.info("INVITE refused", extra={"channel_id": channel_id, "error": str(exc)})
            return make_response(request, 488, "Not Acceptable Here")
        caller = Caller.peer(f"platform:{platform.sip_id}", peer.host)
        detail = self._detail(platform, outward_id, plan)
        async with channel_audited(
            self._audit, caller, _ACTIONS[plan.kind], channel_id, detail
        ) as entry:
            try:
                response = await self._answer(_Invite(platform, request, peer, plan, target))
            except Refused as exc:
                entry.outcome = f"refused {exc.status}"
                entry.detail["error"] = exc.reason
                return make_response(request, exc.status, exc.reason)
        self._gb.cascade.counters(platform.id).streams += 1
        return response

    def _fallback_ssrc(self, history: bool) -> str:
        index = next(self._ssrc_index) % _SSRC_INDEXES
        return make_ssrc(self._gb.settings.sip_domain, history, index)

    @staticmethod
    def _detail(platform: Platform, outward_id: str, plan: MediaPlan) -> dict[str, object]:
        detail: dict[str, object] = {
            "platform_id": platform.id,
            "outward_id": outward_id,
            "transport": plan.transport.value,
            "ssrc": plan.ssrc,
        }
        if plan.history:
            detail |= {"start": plan.start, "stop": plan.stop, "speed": plan.speed}
        return detail

    async def _answer(self, invite: _Invite) -> SipResponse:
        plan, peer = invite.plan, invite.peer
        name = f"{invite.target.channel_id}:{plan.ssrc}"
        feed = await self._feeds.open(plan, invite.target, name)
        endpoint = MediaEndpoint(
            plan.transport, plan.peer, self._media.media_ip, name=f"cascade.media:{name}"
        )
        ports = self._media.ports
        try:
            port, _ = await ports.bind(endpoint.open)
        except VigilError as exc:
            endpoint.close()
            await feed.stop()
            raise Refused(503, "No Media Port") from exc
        try:
            call = self._new_call(invite, endpoint, feed, port)
        except BaseException:  # a request too broken for a dialog: give everything back
            endpoint.close()
            ports.release(port)
            await feed.stop()
            raise
        call.ack_timer = asyncio.get_running_loop().call_later(
            ACK_TIMEOUT, lambda: self._spawn(self._drop(call), call.call_id)
        )
        self.calls[call.call_id] = call
        if not peer.reliable:
            self._spawn(self._retransmit(call, call.answer), call.call_id)
        log.info("upper platform call answered", extra={**call.extra, "port": port})
        return call.answer

    def _new_call(
        self, invite: _Invite, endpoint: MediaEndpoint, feed: Feed, port: int
    ) -> UpperCall:
        """The 200 OK (Vigil's media address and port, the SSRC echoed) and the call it opens."""
        platform, request, target = invite.platform, invite.request, invite.target
        local_id = platform.local_sip_id or self._gb.settings.sip_id
        answer = answer_offer(
            invite.plan, origin_id=local_id, address=self._media.media_ip, port=port
        )
        contact = NameAddr(SipUri(self._gb.settings.sip_host, local_id, self._gb.port))
        response = make_response(
            request,
            200,
            to_tag=new_tag(),
            headers=[("Contact", str(contact))],
            body=bytes(answer),
            content_type="application/sdp",
        )
        ports = self._media.ports
        return UpperCall(
            call_id=request.call_id,
            platform_id=platform.id,
            platform_sip_id=platform.sip_id,
            charset=platform.charset,
            channel_id=target.channel_id,
            outward_id=target.outward_id,
            plan=invite.plan,
            dialog=Dialog.from_uas(request, response),
            answer=response,
            peer=invite.peer,
            endpoint=endpoint,
            feed=feed,
            release_port=lambda: ports.release(port),
        )

    async def _retransmit(self, call: UpperCall, response: SipResponse) -> None:
        """RFC 3261 §13.3.1.4: over UDP the 2xx is resent (T1 doubling to T2) until the ACK."""
        interval = T1
        while True:
            await asyncio.sleep(interval)
            if call.acked or self.calls.get(call.call_id) is not call:
                return
            self._gb.transactions.transmit(response, call.peer)
            interval = min(2 * interval, T2)

    # ACK, INFO, BYE ---------------------------------------------------------------------------

    async def _ack(self, platform: Platform, request: SipRequest, peer: Peer) -> None:
        call = self.calls.get(request.call_id)
        if call is None or call.acked:
            return None
        call.acked = True
        if call.ack_timer is not None:
            call.ack_timer.cancel()
        try:
            sink = await call.endpoint.connect()
        except (OSError, TimeoutError) as exc:
            log.warning("media connection failed", extra={**call.extra, "error": str(exc)})
            await self.hangup(call.call_id)
            return None
        call.sender = PacketSender(sink, int(call.plan.ssrc))
        await call.feed.start(
            call.sender,
            lambda complete: self._spawn(self._feed_ended(call, complete), call.call_id),
        )
        log.info("upper platform call streaming", extra=call.extra)
        return None

    def _in_dialog(self, request: SipRequest) -> UpperCall | SipResponse:
        """The call ``request`` comes in, its dialog told of it; else the answer refusing it."""
        call = self.calls.get(request.call_id)
        if call is None:
            return make_response(request, 481)
        try:
            call.dialog.on_request(request)
        except SipError as exc:
            return make_response(request, exc.status_hint)
        return call

    async def _info(self, platform: Platform, request: SipRequest, peer: Peer) -> SipResponse:
        call = self._in_dialog(request)
        if isinstance(call, SipResponse):
            return call
        try:
            control = parse_mansrtsp(request.body)
        except MansrtspError:
            return make_response(request, 400, "Bad MANSRTSP")
        if not await call.feed.control(control, request.body):
            return make_response(request, 481, "No Stream To Control")
        log.info(
            "playback control from upper platform",
            extra={**call.extra, "method": control.method.value, "scale": control.scale},
        )
        return make_response(request, 200)

    async def _bye(self, platform: Platform, request: SipRequest, peer: Peer) -> SipResponse:
        call = self._in_dialog(request)
        if isinstance(call, SipResponse):
            return call
        del self.calls[call.call_id]
        self._spawn(call.release(), call.call_id)
        log.info("upper platform hung up", extra=call.extra)
        return make_response(request, 200)

    # ending -----------------------------------------------------------------------------------

    async def hangup(self, call_id: str) -> bool:
        """End a call from Vigil's side: free it, then BYE; False if there is no such call."""
        call = self.calls.pop(call_id, None)
        if call is None:
            return False
        await call.release()
        await call.bye(self._gb)
        log.info("call to upper platform ended by Vigil", extra=call.extra)
        return True

    async def _feed_ended(self, call: UpperCall, complete: bool) -> None:
        if self.calls.get(call.call_id) is not call:
            return
        if complete and call.plan.history:
            log.info("end of file sent to upper platform", extra=call.extra)
            await call.end_of_file(self._gb, self._gb.next_sn())
            return
        await self.hangup(call.call_id)

    async def _drop(self, call: UpperCall) -> None:
        if self.calls.get(call.call_id) is call and not call.acked:
            del self.calls[call.call_id]
            log.warning("no ACK from upper platform: call dropped", extra=call.extra)
            await call.release()

    def _spawn(self, coro: Coroutine[Any, Any, None], call_id: str) -> None:
        self._tasks.spawn(coro, f"cascade.call:{call_id}")
