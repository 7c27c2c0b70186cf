"""Which codec each PS stream id carries: the PSM's word first, else what the data shows.

GB/T 28181 devices often send no PSM. Video is then H.264 or H.265 by its NAL headers (decided
once per stream id, retried until a frame is unambiguous); audio on 0xC0 is G.711 A-law, the
format GB/T 28181 devices use when they announce nothing.
"""

from __future__ import annotations

from vigil.protocols.ps.constants import VIDEO_STREAM_IDS, StreamType
from vigil.protocols.ps.headers import ProgramStreamMap
from vigil.protocols.ps.nal import guess_video_type

__all__ = ["StreamTypes"]


class StreamTypes:
    """Stream id → stream type for one program stream."""

    __slots__ = ("_announced", "_guessed")

    def __init__(self) -> None:
        self._announced: dict[int, int] = {}
        self._guessed: dict[int, StreamType] = {}

    def announce(self, psm: ProgramStreamMap) -> None:
        self._announced.update(psm.stream_types())

    def announced(self) -> dict[int, int]:
        return dict(self._announced)

    def known(self, stream_id: int) -> int | None:
        """The type if the PSM named it or a frame already showed it, else None."""
        return self._announced.get(stream_id) or self._guessed.get(stream_id)

    def sniff(self, stream_id: int, head: bytes) -> int | None:
        """The known type, else a guess from the first bytes of a payload (not remembered)."""
        return self.known(stream_id) or guess_video_type(head)

    def resolve(self, stream_id: int, data: bytes) -> int:
        """The type of a complete frame of ``stream_id`` whose bytes are ``data``."""
        known = self.known(stream_id)
        if known is not None:
            return known
        if stream_id not in VIDEO_STREAM_IDS:
            return StreamType.G711A
        guessed = guess_video_type(data)
        if guessed is None:
            return StreamType.H264
        self._guessed[stream_id] = guessed
        return guessed
