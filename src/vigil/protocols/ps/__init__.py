"""MPEG-2 program stream (ISO/IEC 13818-1 §2.5) as GB/T 28181 devices send it, and over RTP.

Everything in ``__all__`` is re-exported from the submodules, one idea each: ``headers`` (pack,
system header, PSM), ``pes``, ``nal`` (codec and keyframe sniffing), ``stream_types``, ``demux``,
``mux`` and ``over_rtp``.
"""

from __future__ import annotations

from vigil.protocols.ps.access_unit import AccessUnit
from vigil.protocols.ps.constants import StreamType
from vigil.protocols.ps.demux import PsDemuxer
from vigil.protocols.ps.headers import (
    PackHeader,
    ProgramStreamMap,
    PsmEntry,
    SystemHeader,
    SystemHeaderStream,
)
from vigil.protocols.ps.mux import PsMuxer
from vigil.protocols.ps.nal import guess_video_type, is_keyframe
from vigil.protocols.ps.over_rtp import PsFromRtp, packetize_rtp
from vigil.protocols.ps.pes import PesPacket

__all__ = [
    "AccessUnit",
    "PackHeader",
    "PesPacket",
    "ProgramStreamMap",
    "PsDemuxer",
    "PsFromRtp",
    "PsMuxer",
    "PsmEntry",
    "StreamType",
    "SystemHeader",
    "SystemHeaderStream",
    "guess_video_type",
    "is_keyframe",
    "packetize_rtp",
]
