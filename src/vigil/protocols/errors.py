"""The one error hierarchy of the protocol core.

Every parser that faces the network raises only a subclass of :class:`ProtocolError`, never a bare
``ValueError``/``IndexError``/``KeyError``: the fuzz targets hold each codec to that invariant, and
the networked layers catch ``ProtocolError`` to answer the peer (a SIP 400, a dropped packet, a log
line naming the peer) while they keep serving everyone else.

``status_hint`` is the SIP status a server should answer with when the error came from a request
(h11's ``error_status_hint``): 400 for syntax, 488 for unacceptable SDP, 481 for unknown
transactions or dialogs, 413 for oversized messages.

    ProtocolError
     ├── SipError           SIP syntax, framing, digest, transactions, dialogs
     ├── SdpError           SDP and its GB/T 28181 extensions
     ├── ManscdpError       MANSCDP XML bodies (including refused entities and DTDs)
     ├── MansrtspError      MANSRTSP playback control bodies
     ├── GbIdError          20-digit GB/T 28181 identifiers
     ├── PtzError           PTZCmd byte strings
     ├── RtpError           RTP/RTCP packets and RFC 4571 framing
     └── PsError            MPEG-2 program streams
"""

from __future__ import annotations

__all__ = [
    "GbIdError",
    "ManscdpError",
    "MansrtspError",
    "ProtocolError",
    "PsError",
    "PtzError",
    "RtpError",
    "SdpError",
    "SipError",
]


class ProtocolError(Exception):
    """Input that the protocol rules do not allow; the message says which rule."""

    status_hint: int = 400

    def __init__(self, message: str, *, status_hint: int | None = None) -> None:
        super().__init__(message)
        if status_hint is not None:
            self.status_hint = status_hint


class SipError(ProtocolError):
    """Malformed SIP, a framing violation, a failed digest or an illegal transaction event."""


class SdpError(ProtocolError):
    """Malformed or unacceptable session description."""

    status_hint = 488


class ManscdpError(ProtocolError):
    """Malformed, oversized or unsafe MANSCDP XML."""


class MansrtspError(ProtocolError):
    """Malformed MANSRTSP playback control."""


class GbIdError(ProtocolError):
    """An identifier that breaks a GB/T 28181 coding rule; the message names the rule."""


class PtzError(ProtocolError):
    """A PTZCmd that is not 8 bytes of hex with a valid checksum."""


class RtpError(ProtocolError):
    """A truncated or inconsistent RTP/RTCP packet or RFC 4571 frame."""


class PsError(ProtocolError):
    """An MPEG-2 program stream structure that cannot be read."""
