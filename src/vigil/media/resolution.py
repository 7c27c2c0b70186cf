"""The picture size of each channel's main stream, as the stream itself says (its SPS).

The HD ratio asks what a camera delivers, not what its catalog entry claims. The hub hands
:meth:`ResolutionLog.first_keyframe` the first keyframe of every stream it starts; for a main
stream (stream type 0) the keyframe's in-band parameter sets (Annex B, as every source delivers
it) are probed with PyAV in a worker thread, and the size is written to ``stream_resolutions``.
Once per stream start, never per frame: a camera reconfigured while its stream runs is seen at
the stream's next start. A live view, a recording and a diagnosis round all start streams, so
any of them is enough.
"""

from __future__ import annotations

import asyncio
import io
import logging

import av
from sqlalchemy.exc import IntegrityError

from vigil.media.packet import Codec, MediaPacket, StreamKey
from vigil.store.database import Database
from vigil.store.models import StreamResolution
from vigil.store.types import utcnow

__all__ = ["ResolutionLog", "probe_size"]

log = logging.getLogger(__name__)

MAIN_STREAM = 0


def probe_size(codec: Codec, keyframe: bytes) -> tuple[int, int] | None:
    """Width and height from a keyframe's parameter sets; None when they cannot be read.

    Blocking (PyAV): run it in a worker thread.
    """
    try:
        with av.open(io.BytesIO(keyframe), format=codec.value) as probe:
            context = probe.streams.video[0].codec_context
            width, height = context.width, context.height
    except (av.error.FFmpegError, IndexError):
        return None
    return (width, height) if width > 0 and height > 0 else None


class ResolutionLog:
    """Records the size of each main stream the hub starts; ``stop`` ends what is in flight."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._tasks: set[asyncio.Task[None]] = set()

    def first_keyframe(self, key: StreamKey, packet: MediaPacket) -> None:
        """The hub's hook: a stream started and this is its first keyframe."""
        if key.stream != MAIN_STREAM or key.masks or not packet.codec.is_video:
            return
        task = asyncio.get_running_loop().create_task(
            self._record(key.channel_id, packet.codec, packet.data),
            name=f"media.resolution:{key}",
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def idle(self) -> None:
        """Wait until every size in flight is written (tests, and ``stop``)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await self.idle()

    async def _record(self, channel_id: str, codec: Codec, keyframe: bytes) -> None:
        size = await asyncio.to_thread(probe_size, codec, keyframe)
        if size is None:
            log.info("stream size unreadable", extra={"channel_id": channel_id})
            return
        width, height = size
        seen = StreamResolution(
            channel_id=channel_id, width=width, height=height, codec=codec.value, seen_at=utcnow()
        )
        try:
            async with self._db.session() as session, session.begin():
                await session.merge(seen)
        except IntegrityError:
            log.info("stream size not kept: no such channel", extra={"channel_id": channel_id})
            return
        log.info("stream size seen", extra={"channel_id": channel_id, "size": f"{width}x{height}"})
