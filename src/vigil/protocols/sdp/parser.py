"""Reading SDP as real GB/T 28181 devices write it.

Liberal where devices are known to stray (DESIGN.md principle 1): bare LF or CRLF, trailing spaces,
blank lines, a missing ``t=`` (read as ``t=0 0``), ``y=``/``f=`` before or after the media
sections, duplicate or unknown lines (kept as :class:`Line`), GB18030 text where UTF-8 was due.
Strict where a value would be misread: every error is an :class:`SdpError` that names the line.

Uninterpreted lines are kept in the canonical RFC order (so a second parse changes nothing).
One pass over the lines, dispatched on the type letter through a table; the RFC 4566 §5 session-only
letters always go to the session even after ``m=``, as GB devices place ``y=``/``f=`` there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vigil.protocols.errors import SdpError
from vigil.protocols.sdp._fields import decimal
from vigil.protocols.sdp.gb import MediaFormat, check_ssrc
from vigil.protocols.sdp.model import (
    Attribute,
    Connection,
    Line,
    MediaDescription,
    Origin,
    SessionDescription,
    Timing,
    canonical_lines,
)

__all__ = ["MAX_SDP_BYTES", "parse_sdp"]

MAX_SDP_BYTES = 64 * 1024  # DESIGN.md "Bad input": sizes are bounded
_ORIGIN_FIELDS = 6  # RFC 4566 §5.2
_CONNECTION_FIELDS = 3  # RFC 4566 §5.7
_MEDIA_MIN_FIELDS = 3  # RFC 4566 §5.14 (formats may be missing in broken answers)
_TIME_DIGITS = 20  # NTP or Unix seconds
_PORT_DIGITS = 5
_MAX_PORT = 0xFFFF


@dataclass(slots=True)
class _Media:
    media: str
    port: int
    proto: str
    formats: tuple[str, ...]
    port_count: int | None
    connection: Connection | None = None
    attributes: list[Attribute] = field(default_factory=list)
    other: list[Line] = field(default_factory=list)

    def build(self) -> MediaDescription:
        return MediaDescription(
            self.media,
            self.port,
            self.proto,
            self.formats,
            self.port_count,
            self.connection,
            tuple(self.attributes),
            canonical_lines(self.other, media=True),
        )


@dataclass(slots=True)
class _Session:
    version_seen: bool = False
    origin: Origin | None = None
    session_name: str | None = None
    connection: Connection | None = None
    uri: str | None = None
    timing: Timing | None = None
    ssrc: str | None = None
    media_format: MediaFormat | None = None
    attributes: list[Attribute] = field(default_factory=list)
    other: list[Line] = field(default_factory=list)
    media: list[_Media] = field(default_factory=list)


def _version(session: _Session, value: str) -> None:
    if session.version_seen:
        raise SdpError("duplicate v= line")
    if value != "0":
        raise SdpError(f"v= must be 0, got {value!r}")
    session.version_seen = True


def _origin(session: _Session, value: str) -> None:
    fields = value.split()
    if session.origin is not None:
        session.other.append(Line("o", value))
    elif len(fields) != _ORIGIN_FIELDS:
        raise SdpError(f"o= must have {_ORIGIN_FIELDS} fields, got {len(fields)}")
    else:
        user, session_id, version, net_type, addr_type, address = fields
        session.origin = Origin(user, session_id, version, address, net_type, addr_type)


def _session_name(session: _Session, value: str) -> None:
    if session.session_name is None:
        session.session_name = value
    else:
        session.other.append(Line("s", value))


def _uri(session: _Session, value: str) -> None:
    if session.uri is None:
        session.uri = value
    else:
        session.other.append(Line("u", value))


def _read_connection(value: str) -> Connection:
    fields = value.split()
    if len(fields) != _CONNECTION_FIELDS:
        raise SdpError("c= must be '<net type> <address type> <address>'")
    return Connection(fields[2], fields[0], fields[1])


def _connection(session: _Session, value: str) -> None:
    connection = _read_connection(value)
    target: _Session | _Media = session.media[-1] if session.media else session
    if target.connection is None:
        target.connection = connection
    else:
        target.other.append(Line("c", value))


def _timing(session: _Session, value: str) -> None:
    fields = value.split()
    if len(fields) != 2:  # RFC 4566 §5.9: start and stop
        raise SdpError("t= must be '<start> <stop>'")
    timing = Timing(*(decimal(f, "t= time", _TIME_DIGITS) for f in fields))
    if session.timing is None:
        session.timing = timing
    else:
        session.other.append(Line("t", value))


def _ssrc(session: _Session, value: str) -> None:
    if not value:
        return
    check_ssrc(value)
    if session.ssrc is None:
        session.ssrc = value
    else:
        session.other.append(Line("y", value))


def _media_format(session: _Session, value: str) -> None:
    media_format = MediaFormat.parse(value)
    if session.media_format is None:
        session.media_format = media_format
    else:
        session.other.append(Line("f", value))


def _attribute(session: _Session, value: str) -> None:
    name, colon, attribute_value = value.partition(":")
    if not name or name.split() != [name]:
        raise SdpError(f"a= attribute name {name!r} is not a token")
    target: _Session | _Media = session.media[-1] if session.media else session
    target.attributes.append(Attribute(name, attribute_value if colon else None))


def _media(session: _Session, value: str) -> None:
    fields = value.split()
    if len(fields) < _MEDIA_MIN_FIELDS:
        raise SdpError("m= must be '<media> <port> <proto> <format>...'")
    port_text, slash, count_text = fields[1].partition("/")
    port = decimal(port_text, "m= port", _PORT_DIGITS)
    if port > _MAX_PORT:
        raise SdpError(f"m= port must be 0 to {_MAX_PORT}, got {port}")
    count = decimal(count_text, "m= port count", _PORT_DIGITS) if slash else None
    session.media.append(_Media(fields[0], port, fields[2], tuple(fields[3:]), count))


def _other(session: _Session, kind: str, value: str) -> None:
    target: _Session | _Media = session.media[-1] if session.media else session
    target.other.append(Line(kind, value))


_HANDLERS: dict[str, Callable[[_Session, str], None]] = {
    "v": _version,
    "o": _origin,
    "s": _session_name,
    "u": _uri,
    "c": _connection,
    "t": _timing,
    "a": _attribute,
    "m": _media,
    "y": _ssrc,
    "f": _media_format,
}


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode()
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SdpError("SDP is neither UTF-8 nor GB18030 text") from None


def _read_line(session: _Session, line: str) -> None:
    kind = line[0]
    if len(line) < 2 or line[1] != "=" or not (kind.isascii() and kind.isalpha()):
        raise SdpError("not '<letter>=<value>'")
    if "\r" in line:
        raise SdpError("bare CR inside the line")
    if not session.version_seen and kind != "v":
        raise SdpError("SDP must begin with v=0")
    handler = _HANDLERS.get(kind)
    if handler is None:
        _other(session, kind, line[2:])
    else:
        handler(session, line[2:])


def parse_sdp(data: bytes | str) -> SessionDescription:
    """Parse a session description from the network; raises only :class:`SdpError`."""
    if len(data) > MAX_SDP_BYTES:
        raise SdpError(f"SDP is {len(data)} bytes, more than {MAX_SDP_BYTES}")
    session = _Session()
    for number, raw in enumerate(_decode(data).split("\n"), 1):
        line = raw.rstrip()
        if not line:
            continue
        try:
            _read_line(session, line)
        except SdpError as exc:
            raise SdpError(f"line {number} {line[:80]!r}: {exc}") from None
    if not session.version_seen:
        raise SdpError("SDP is empty")
    if session.origin is None:
        raise SdpError("SDP has no o= line")
    if session.session_name is None:
        raise SdpError("SDP has no s= line")
    return SessionDescription(
        origin=session.origin,
        session_name=session.session_name,
        connection=session.connection,
        uri=session.uri,
        timing=session.timing or Timing(),
        media=tuple(m.build() for m in session.media),
        attributes=tuple(session.attributes),
        ssrc=session.ssrc,
        media_format=session.media_format,
        other=canonical_lines(session.other, media=False),
    )
