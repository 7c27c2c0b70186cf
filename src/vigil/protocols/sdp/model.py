"""The session description as frozen values, and its strict serialisation (RFC 4566 §5).

Everything a device sent is kept: attributes in their order, and lines Vigil does not interpret
(``i=``, ``b=``, ``k=``, vendor letters) as :class:`Line`, so a description relayed to an upper
platform says what the device said. Serialisation writes the canonical RFC order with CRLF, puts
the GB/T 28181 ``y=``/``f=`` lines after the media sections as the standard's examples do, and
refuses any value that would break a line or a space-separated field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp._fields import decimal
from vigil.protocols.sdp.gb import MediaFormat, check_ssrc

__all__ = [
    "Attribute",
    "Connection",
    "Line",
    "MediaDescription",
    "Origin",
    "RtpMap",
    "SessionDescription",
    "SessionKind",
    "Timing",
    "canonical_lines",
]

# RFC 4566 §5: the order of session-level and media-level lines; GB/T 28181 y= and f= follow the
# media sections. A letter outside these (a vendor extension) sits with k=, before the attributes.
SESSION_ORDER = "vosiuepcbtrzkamyf"
MEDIA_ORDER = "micbka"
CRLF = "\r\n"
MAX_PAYLOAD_TYPE = 127  # RFC 3551: seven bits
_RESERVED_KINDS = "vma=\r\n"
DIRECTIONS = frozenset({"sendrecv", "sendonly", "recvonly", "inactive"})


class SessionKind(StrEnum):
    """The ``s=`` values GB/T 28181 gives meaning to (clause 9.2 / 9.8 / 9.9 / 9.12)."""

    PLAY = "Play"
    PLAYBACK = "Playback"
    DOWNLOAD = "Download"
    TALK = "Talk"


def _tokens(what: str, *values: str) -> str:
    """Join space-separated fields, refusing a field that would split or break the line."""
    for value in values:
        if not value or value.split() != [value]:
            raise SdpError(f"{what} field {value!r} must be one non-empty token")
    return " ".join(values)


def _text(what: str, value: str) -> str:
    if "\r" in value or "\n" in value or value != value.rstrip():
        raise SdpError(f"{what} value {value!r} has a line break or trailing space")
    return value


@dataclass(frozen=True, slots=True)
class Origin:
    """``o=``; GB/T 28181 puts the sender's 20-digit ID in ``username``."""

    username: str
    session_id: str
    session_version: str
    address: str
    net_type: str = "IN"
    addr_type: str = "IP4"

    def __str__(self) -> str:
        return _tokens(
            "o=",
            self.username,
            self.session_id,
            self.session_version,
            self.net_type,
            self.addr_type,
            self.address,
        )


@dataclass(frozen=True, slots=True)
class Connection:
    """``c=``; the address may carry a multicast ``/ttl`` suffix, kept as written."""

    address: str
    net_type: str = "IN"
    addr_type: str = "IP4"

    def __str__(self) -> str:
        return _tokens("c=", self.net_type, self.addr_type, self.address)


@dataclass(frozen=True, slots=True)
class Timing:
    """``t=``; playback and download carry the recording's start and stop (Unix seconds)."""

    start: int = 0
    stop: int = 0

    def __str__(self) -> str:
        if self.start < 0 or self.stop < 0:
            raise SdpError(f"t= times must not be negative, got {self.start} {self.stop}")
        return f"{self.start} {self.stop}"


@dataclass(frozen=True, slots=True)
class Attribute:
    """``a=name`` (a flag, value None) or ``a=name:value``."""

    name: str
    value: str | None = None

    def __str__(self) -> str:
        name = _tokens("a=", self.name)
        if ":" in name:
            raise SdpError(f"a= name {name!r} must not contain ':'")
        return name if self.value is None else f"{name}:{_text('a=', self.value)}"


@dataclass(frozen=True, slots=True)
class Line:
    """A line Vigil does not interpret, kept verbatim so it can be relayed."""

    kind: str
    value: str

    def __str__(self) -> str:
        if len(self.kind) != 1 or self.kind.isspace() or self.kind in _RESERVED_KINDS:
            raise SdpError(f"line type {self.kind!r} must be one visible character not in v/m/a")
        return f"{self.kind}={_text(self.kind + '=', self.value)}"


@dataclass(frozen=True, slots=True)
class RtpMap:
    """``a=rtpmap:<pt> <encoding>/<clock>[/<params>]`` (RFC 4566 §6)."""

    payload_type: int
    encoding: str
    clock_rate: int
    parameters: str | None = None

    @classmethod
    def parse(cls, value: str) -> RtpMap:
        payload, _, spec = value.strip().partition(" ")
        parts = spec.strip().split("/", 2)
        if len(parts) < 2 or not parts[0]:
            raise SdpError(f"rtpmap {value!r} is not '<pt> <encoding>/<clock rate>'")
        payload_type = decimal(payload, "rtpmap payload type", 3)
        if payload_type > MAX_PAYLOAD_TYPE:
            raise SdpError(f"rtpmap payload type must be 0 to 127, got {payload_type}")
        clock_rate = decimal(parts[1], "rtpmap clock rate", 10)
        return cls(payload_type, parts[0], clock_rate, parts[2] if len(parts) > 2 else None)

    def __str__(self) -> str:
        tail = "" if self.parameters is None else f"/{self.parameters}"
        return f"{self.payload_type} {self.encoding}/{self.clock_rate}{tail}"


def _attribute(attributes: tuple[Attribute, ...], name: str) -> str | None:
    """The first value of an attribute, its name compared case-insensitively (devices vary)."""
    lowered = name.lower()
    for attribute in attributes:
        if attribute.name.lower() == lowered:
            return attribute.value
    return None


def _optional_int(value: str | None, name: str) -> int | None:
    return None if value is None else decimal(value.strip(), f"a={name}", 20)


def _rank(kind: str, order: str) -> int:
    """Position of a line type in the RFC order; unknown types sit with ``k=``."""
    return order.index(kind) if kind in order else order.index("k")


def _ordered(lines: list[tuple[str, str]], order: str) -> list[str]:
    """Stable-sort (type, text) pairs by the RFC order."""
    return [text for _, text in sorted(lines, key=lambda line: _rank(line[0], order))]


def canonical_lines(lines: list[Line], *, media: bool) -> tuple[Line, ...]:
    """Uninterpreted lines in the order serialisation writes them, so parsing is idempotent."""
    order = MEDIA_ORDER if media else SESSION_ORDER
    return tuple(sorted(lines, key=lambda line: _rank(line.kind, order)))


@dataclass(frozen=True, slots=True)
class MediaDescription:
    """One ``m=`` section with its connection, attributes (in order) and other lines."""

    media: str
    port: int
    proto: str
    formats: tuple[str, ...]
    port_count: int | None = None
    connection: Connection | None = None
    attributes: tuple[Attribute, ...] = ()
    other: tuple[Line, ...] = ()

    def attribute(self, name: str) -> str | None:
        """The first ``a=name:value`` value; for a flag attribute (no value) None as well."""
        return _attribute(self.attributes, name)

    def has_attribute(self, name: str) -> bool:
        lowered = name.lower()
        return any(a.name.lower() == lowered for a in self.attributes)

    @property
    def rtpmaps(self) -> tuple[RtpMap, ...]:
        return tuple(RtpMap.parse(a.value or "") for a in self.attributes if a.name == "rtpmap")

    @property
    def direction(self) -> str | None:
        """recvonly/sendonly/sendrecv/inactive; None when the section does not say."""
        return next((a.name for a in self.attributes if a.name in DIRECTIONS), None)

    @property
    def is_tcp(self) -> bool:
        """``TCP/RTP/AVP`` by GB/T 28181; some vendors write ``RTP/AVP/TCP``."""
        return "TCP" in self.proto.upper()

    @property
    def setup(self) -> str | None:
        return self.attribute("setup")

    @property
    def connection_mode(self) -> str | None:
        return self.attribute("connection")

    @property
    def download_speed(self) -> int | None:
        return _optional_int(self.attribute("downloadspeed"), "downloadspeed")

    @property
    def filesize(self) -> int | None:
        return _optional_int(self.attribute("filesize"), "filesize")

    def lines(self) -> list[str]:
        if not 0 <= self.port <= 0xFFFF:
            raise SdpError(f"m= port must be 0 to 65535, got {self.port}")
        port = str(self.port) if self.port_count is None else f"{self.port}/{self.port_count}"
        head = _tokens("m=", self.media, port, self.proto, *self.formats)
        body: list[tuple[str, str]] = []
        if self.connection is not None:
            body.append(("c", f"c={self.connection}"))
        body += [(line.kind, str(line)) for line in self.other]
        body += [("a", f"a={attribute}") for attribute in self.attributes]
        return [f"m={head}", *_ordered(body, MEDIA_ORDER)]


@dataclass(frozen=True, slots=True)
class SessionDescription:
    """A whole description; ``bytes()`` gives the strict wire form."""

    origin: Origin
    session_name: str
    connection: Connection | None = None
    uri: str | None = None
    timing: Timing = field(default_factory=Timing)
    media: tuple[MediaDescription, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    ssrc: str | None = None
    media_format: MediaFormat | None = None
    other: tuple[Line, ...] = ()

    @property
    def kind(self) -> SessionKind | None:
        """The GB/T 28181 session kind, matched case-insensitively; None for anything else."""
        lowered = self.session_name.lower()
        return next((k for k in SessionKind if k.value.lower() == lowered), None)

    @property
    def channel_id(self) -> str | None:
        """The channel of ``u=<channel-id>:<type>`` (history requests)."""
        return None if self.uri is None else self.uri.partition(":")[0]

    def attribute(self, name: str) -> str | None:
        return _attribute(self.attributes, name)

    def video(self) -> MediaDescription | None:
        return next((m for m in self.media if m.media.lower() == "video"), None)

    def serialize(self) -> str:
        lines: list[tuple[str, str]] = [
            ("v", "v=0"),
            ("o", f"o={self.origin}"),
            ("s", f"s={_text('s=', self.session_name) or ' '}"),
        ]
        if self.uri is not None:
            lines.append(("u", f"u={_text('u=', self.uri)}"))
        if self.connection is not None:
            lines.append(("c", f"c={self.connection}"))
        lines.append(("t", f"t={self.timing}"))
        lines += [("a", f"a={attribute}") for attribute in self.attributes]
        lines += [("m", CRLF.join(m.lines())) for m in self.media]
        if self.ssrc is not None:
            lines.append(("y", f"y={check_ssrc(self.ssrc)}"))
        if self.media_format is not None:
            lines.append(("f", f"f={self.media_format}"))
        # Last, so a duplicate sorts after the line it repeats (the sort is stable).
        lines += [(line.kind, str(line)) for line in self.other]
        return CRLF.join(_ordered(lines, SESSION_ORDER)) + CRLF

    def __bytes__(self) -> bytes:
        return self.serialize().encode()
