"""Program stream muxer: access units in, GB/T 28181-style PS bytes out.

The layout is what GB/T 28181 cameras send and what platforms expect (strict in what we send):
every frame opens with a pack header whose SCR is the frame's decode time; keyframes also carry a
system header and a PSM so a receiver joining mid-stream learns the codecs at the next GOP; a
video frame goes into PES packets of at most ``max_pes_size`` bytes, the first with PTS/DTS and
the data alignment flag, the rest plain continuations.
"""

from __future__ import annotations

from vigil.protocols.errors import PsError
from vigil.protocols.ps.access_unit import AccessUnit
from vigil.protocols.ps.constants import VIDEO_STREAM_IDS, StreamType
from vigil.protocols.ps.headers import (
    PackHeader,
    ProgramStreamMap,
    PsmEntry,
    SystemHeader,
    SystemHeaderStream,
)
from vigil.protocols.ps.nal import is_keyframe
from vigil.protocols.ps.pes import PesPacket

__all__ = ["DEFAULT_MUX_RATE", "MAX_PES_SIZE", "PsMuxer"]

# GB/T 28181 practice: PES packets well under the 65535-byte limit of PES_packet_length.
MAX_PES_SIZE = 65400
# Start code, length, flags, header length and PTS + DTS: the most a PES header here takes.
_PES_OVERHEAD = 6 + 3 + 10
# program_mux_rate is in units of 50 bytes/s (§2.5.3.4); 20000 is 8 Mbit/s.
DEFAULT_MUX_RATE = 20000
# P-STD buffer bounds (§2.5.3.6): video in 1024-byte units, audio in 128-byte units.
_VIDEO_BUFFER_KB = 1024
_AUDIO_BUFFER_128 = 32
_TIMESTAMP_MASK = (1 << 33) - 1


class PsMuxer:
    """Mux one video stream and an optional audio stream into a program stream."""

    __slots__ = (
        "_audio_id",
        "_keyframe_headers",
        "_max_payload",
        "_mux_rate",
        "_video_id",
        "audio_type",
        "video_type",
    )

    def __init__(
        self,
        video_type: int = StreamType.H264,
        audio_type: int | None = None,
        *,
        video_id: int = 0xE0,
        audio_id: int = 0xC0,
        mux_rate: int = DEFAULT_MUX_RATE,
        max_pes_size: int = MAX_PES_SIZE,
    ) -> None:
        if not _PES_OVERHEAD < max_pes_size <= MAX_PES_SIZE:
            raise PsError(f"max PES size must be {_PES_OVERHEAD + 1}..{MAX_PES_SIZE} bytes")
        self.video_type = video_type
        self.audio_type = audio_type
        self._video_id = video_id
        self._audio_id = audio_id
        self._mux_rate = mux_rate
        self._max_payload = max_pes_size - _PES_OVERHEAD
        streams = [SystemHeaderStream(video_id, 1, _VIDEO_BUFFER_KB)]
        entries = [PsmEntry(video_type, video_id)]
        if audio_type is not None:
            streams.append(SystemHeaderStream(audio_id, 0, _AUDIO_BUFFER_128))
            entries.append(PsmEntry(audio_type, audio_id))
        system = SystemHeader(
            rate_bound=mux_rate,
            audio_bound=int(audio_type is not None),
            video_bound=1,
            streams=tuple(streams),
        )
        self._keyframe_headers = bytes(system) + bytes(ProgramStreamMap(tuple(entries)))

    def mux_video(
        self, data: bytes, pts: int, dts: int | None = None, keyframe: bool | None = None
    ) -> bytes:
        """One video frame (Annex B) as a pack; ``keyframe`` is read from the NALs when None."""
        if keyframe is None:
            keyframe = is_keyframe(self.video_type, data)
        pts &= _TIMESTAMP_MASK
        dts = None if dts is None or dts == pts else dts & _TIMESTAMP_MASK
        parts = [self._pack_header(pts if dts is None else dts)]
        if keyframe:
            parts.append(self._keyframe_headers)
        step = self._max_payload
        view = memoryview(data)
        for at in range(0, max(len(data), 1), step):
            chunk = bytes(view[at : at + step])
            first = at == 0
            pes = PesPacket(
                self._video_id,
                chunk,
                pts if first else None,
                dts if first else None,
                data_alignment=first,
            )
            parts.append(bytes(pes))
        return b"".join(parts)

    def mux_audio(self, data: bytes, pts: int) -> bytes:
        """One audio frame as a pack with a single PES."""
        if self.audio_type is None:
            raise PsError("this muxer was created without an audio stream")
        if len(data) > self._max_payload:
            raise PsError(f"audio frame of {len(data)} bytes exceeds one PES")
        pts &= _TIMESTAMP_MASK
        pes = PesPacket(self._audio_id, data, pts, data_alignment=True)
        return self._pack_header(pts) + bytes(pes)

    def mux(self, unit: AccessUnit) -> bytes:
        """Mux a demuxed access unit (video or audio by its stream id): remux without decoding."""
        if unit.pts is None:
            raise PsError("an access unit needs a PTS to be muxed")
        if unit.stream_id in VIDEO_STREAM_IDS:
            return self.mux_video(unit.data, unit.pts, unit.dts, unit.keyframe)
        return self.mux_audio(unit.data, unit.pts)

    def _pack_header(self, scr: int) -> bytes:
        return bytes(PackHeader(scr, mux_rate=self._mux_rate))
