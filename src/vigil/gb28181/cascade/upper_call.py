"""One video call an upper platform placed with Vigil: its dialog, media endpoint and feed.

Vigil is the device side here (the UAS of the INVITE, the sender of the media). What it sends the
upper platform inside the dialog — BYE when the feed stops on its own, MediaStatus 121 when a
playback or download is sent to its end — goes to the address the INVITE came from through the
transaction layer. :meth:`UpperCall.release` stops the feed and frees the endpoint and its port on
every path; it is idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from vigil.gb28181.cascade.feeds import Feed
from vigil.gb28181.service import GbService
from vigil.gb28181.sip.messages import MANSCDP
from vigil.gb28181.sip.transport import Peer
from vigil.media import MediaEndpoint, PacketSender
from vigil.protocols.errors import SipError
from vigil.protocols.manscdp import MEDIA_STATUS_END_OF_FILE, MediaStatusNotify, encode
from vigil.protocols.sdp.answer import MediaPlan
from vigil.protocols.sip import Dialog, DialogState, SipRequest, SipResponse, Via, new_branch

__all__ = ["UpperCall"]

log = logging.getLogger(__name__)

#: Seconds a BYE or a MediaStatus MESSAGE to the upper platform may take.
REQUEST_TIMEOUT = 5.0


@dataclass(eq=False)
class UpperCall:
    """See the module docstring; ``channel_id`` is local, ``outward_id`` the upper's name for it."""

    call_id: str
    platform_id: int
    platform_sip_id: str
    charset: str
    channel_id: str
    outward_id: str
    plan: MediaPlan
    dialog: Dialog
    #: The 200 OK, resent over UDP until the ACK.
    answer: SipResponse
    peer: Peer
    endpoint: MediaEndpoint
    feed: Feed
    release_port: Callable[[], None]
    acked: bool = False
    sender: PacketSender | None = None
    ack_timer: asyncio.TimerHandle | None = field(default=None, repr=False)
    _released: bool = False

    @property
    def extra(self) -> dict[str, object]:
        """Log fields naming the call."""
        return {
            "channel_id": self.channel_id,
            "platform": self.platform_sip_id,
            "kind": self.plan.kind.value,
        }

    def via(self, gb: GbService) -> Via:
        return Via(
            self.peer.transport.upper(), gb.settings.sip_host, gb.port, new_branch(), rport=True
        )

    async def bye(self, gb: GbService) -> None:
        """Hang up towards the upper platform (unless the dialog is over); never raises."""
        if self.dialog.state is DialogState.TERMINATED:
            return
        try:
            request = self.dialog.bye(via=self.via(gb))
            await asyncio.wait_for(gb.transactions.request(request, self.peer), REQUEST_TIMEOUT)
        # A cleanup path that must not raise: whatever went wrong, the call is freed regardless.
        except Exception as exc:  # noqa: BLE001
            log.info("BYE to the upper platform not answered", extra={**self.extra, "error": exc})

    async def end_of_file(self, gb: GbService, sn: int) -> None:
        """MediaStatus 121 in the dialog: the range is sent; the upper platform then BYEs."""
        status = MediaStatusNotify(
            sn=sn, device_id=self.outward_id, notify_type=MEDIA_STATUS_END_OF_FILE
        )
        with contextlib.suppress(SipError):
            message: SipRequest = self.dialog.request(
                "MESSAGE",
                via=self.via(gb),
                body=encode(status, self.charset),
                content_type=MANSCDP,
            )
            try:
                await asyncio.wait_for(gb.transactions.request(message, self.peer), REQUEST_TIMEOUT)
            # Best effort: the range is sent either way, and the upper platform BYEs anyway.
            except Exception as exc:  # noqa: BLE001
                log.info("MediaStatus not answered", extra={**self.extra, "error": exc})

    async def release(self) -> None:
        """Stop the feed, close the endpoint, give the port back (idempotent)."""
        if self._released:
            return
        self._released = True
        if self.ack_timer is not None:
            self.ack_timer.cancel()
        try:
            await self.feed.stop()
        finally:
            self.endpoint.close()
            self.release_port()
