"""GB/T 28181 live sources: the seam between the SIP side (issue 4) and the media plane.

The GB/T 28181 server plugs in as the :class:`~vigil.media.sources.base.SourceProvider` for
devices whose ``source`` is ``"gb28181"``, registered with
``MediaService.register_provider("gb28181", provider)``. Its ``open(key, device)`` does:

1. ``receiver = await media.open_rtp_receiver(key, transport)`` where ``transport`` is ``"udp"``,
   ``"tcp_passive"`` or ``"tcp_active"``. The receiver already holds ``receiver.port`` (listening
   for UDP and TCP passive) and ``receiver.ssrc`` (10 digits, unique on this node while in use):
   put them in the offer's ``m=`` and ``y=`` lines, with ``media.media_ip`` in ``c=``.
2. Send the INVITE. On failure, ``await receiver.close()`` (gives back port and SSRC) and raise.
3. For ``tcp_active``, set ``receiver.remote = (host, port)`` from the device's answer.
4. ``return GbSource(receiver, on_stop=send_bye)``. The hub starts it; a while after the last
   viewer leaves, the hub stops it: ``send_bye`` runs first, then the receiver is closed, whatever
   BYE did. A device that sends nothing for ``no_media_timeout`` seconds ends the stream (the hub
   tells the viewers and stops the source, so BYE is sent then too).

Nothing here imports the SIP code; the dependency points from gb28181 to media.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from vigil.media.sources.base import PacketSink, SourceStats
from vigil.media.sources.rtp_receiver import RtpReceiver
from vigil.tasks import cancel_and_wait

__all__ = ["GbSource"]

log = logging.getLogger(__name__)

_WATCH_INTERVAL = 1.0


class GbSource:
    """A source over an opened :class:`RtpReceiver`; ``stop`` sends BYE then frees the receiver."""

    def __init__(
        self,
        receiver: RtpReceiver,
        on_stop: Callable[[], Awaitable[None]] | None = None,
        *,
        no_media_timeout: float = 15.0,
    ) -> None:
        self.receiver = receiver
        self._on_stop = on_stop
        self._no_media_timeout = no_media_timeout
        self._watchdog: asyncio.Task[None] | None = None
        self._stopped = False

    @property
    def stats(self) -> SourceStats:
        return self.receiver.stats

    async def start(self, sink: PacketSink) -> None:
        try:
            await self.receiver.start(sink)
            self._watchdog = asyncio.create_task(
                self._watch(sink), name=f"media.gb.watchdog:{self.receiver.key}"
            )
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        await cancel_and_wait(self._watchdog)
        try:
            if self._on_stop is not None:
                await self._on_stop()
        except Exception:
            log.exception("BYE failed", extra={"stream": str(self.receiver.key)})
        finally:
            await self.receiver.close()

    async def _watch(self, sink: PacketSink) -> None:
        started = time.time()
        while True:
            await asyncio.sleep(_WATCH_INTERVAL)
            last = self.receiver.stats.last_arrival or started
            if time.time() - last > self._no_media_timeout:
                sink.end(f"no media for {self._no_media_timeout:g} s")
                return
