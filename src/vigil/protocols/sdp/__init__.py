"""SDP (RFC 4566) with the GB/T 28181 extensions: parse what devices send, write it strictly.

``parse_sdp`` turns bytes into a :class:`SessionDescription`; ``bytes(sdp)`` writes it back in the
canonical order. ``build_offer``/``read_answer`` are the two things the INVITE path needs, and
``make_ssrc``/``parse_ssrc`` implement the SSRC allocation rule of DESIGN.md.
"""

from __future__ import annotations

from vigil.protocols.sdp.gb import (
    AUDIO_CODECS,
    RESOLUTIONS,
    SAMPLE_RATES,
    VIDEO_CODECS,
    AudioFormat,
    MediaFormat,
    Ssrc,
    VideoFormat,
    make_ssrc,
    parse_ssrc,
)
from vigil.protocols.sdp.model import (
    Attribute,
    Connection,
    Line,
    MediaDescription,
    Origin,
    RtpMap,
    SessionDescription,
    SessionKind,
    Timing,
)
from vigil.protocols.sdp.offer import (
    DEFAULT_PAYLOADS,
    MediaAnswer,
    Transport,
    build_offer,
    read_answer,
)
from vigil.protocols.sdp.parser import MAX_SDP_BYTES, parse_sdp

# Everything in __all__ is the public API of vigil.protocols.sdp.
__all__ = [
    "AUDIO_CODECS",
    "DEFAULT_PAYLOADS",
    "MAX_SDP_BYTES",
    "RESOLUTIONS",
    "SAMPLE_RATES",
    "VIDEO_CODECS",
    "Attribute",
    "AudioFormat",
    "Connection",
    "Line",
    "MediaAnswer",
    "MediaDescription",
    "MediaFormat",
    "Origin",
    "RtpMap",
    "SessionDescription",
    "SessionKind",
    "Ssrc",
    "Timing",
    "Transport",
    "VideoFormat",
    "build_offer",
    "make_ssrc",
    "parse_sdp",
    "parse_ssrc",
    "read_answer",
]
