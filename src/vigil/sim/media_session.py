"""The media half of one call: the socket the SDP answer names, and the stream sent on it.

:meth:`MediaSession.open` takes the local port before the 200 OK (the answer must name it) and
:meth:`MediaSession.start` runs at the ACK: it connects or accepts and starts the
:class:`~vigil.sim.streamer.Streamer`. The sockets are a
:class:`~vigil.media.outbound.endpoint.MediaEndpoint` (shared with the cascade's sender); every
path closes them: :meth:`close` is safe to call at any point, more than once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

from vigil.media import MediaEndpoint
from vigil.protocols.mansrtsp import MansrtspRequest, steer
from vigil.sim.sdp_answer import MediaPlan
from vigil.sim.streamer import Streamer, pts_for
from vigil.sim.video import GopLoop

__all__ = ["MediaSession"]

log = logging.getLogger(__name__)


class MediaSession:
    """Sockets and stream of one INVITE; ``on_end(complete)`` fires when the stream stops."""

    def __init__(
        self,
        plan: MediaPlan,
        gop: GopLoop,
        *,
        host: str,
        name: str,
        on_end: Callable[[bool], None],
    ) -> None:
        self.plan = plan
        self.gop = gop
        self.host = host
        self.name = name
        self.streamer: Streamer | None = None
        self._on_end = on_end
        self.endpoint = MediaEndpoint(plan.transport, plan.peer, host, name=f"sim.stream:{name}")

    @property
    def port(self) -> int:
        return self.endpoint.port

    async def open(self) -> int:
        """Take the local media port named in the answer."""
        return await self.endpoint.open()

    async def start(self) -> None:
        """Connect or accept, then stream; raises ``OSError``/``TimeoutError`` if neither works."""
        sink = await self.endpoint.connect()
        plan = self.plan
        base = pts_for(plan.start) if plan.history else random.getrandbits(32)
        self.streamer = Streamer(
            self.gop,
            sink,
            ssrc=int(plan.ssrc),
            pts_base=base,
            duration=plan.duration,
            speed=plan.speed,
            name=f"sim.stream:{self.name}",
            on_end=self._on_end,
        )
        self.streamer.start()

    def control(self, request: MansrtspRequest) -> bool:
        """Apply a MANSRTSP PLAY/PAUSE/TEARDOWN; False if there is no stream to control."""
        streamer = self.streamer
        if streamer is None:
            return False
        if not steer(request, streamer):
            asyncio.get_running_loop().create_task(self.close(), name=f"sim.teardown:{self.name}")
        log.info(
            "playback control",
            extra={"stream": self.name, "method": request.method.value, "scale": request.scale},
        )
        return True

    async def close(self) -> None:
        """Stop the stream and release every socket (idempotent)."""
        if self.streamer is not None:
            await self.streamer.stop()
        self.endpoint.close()
