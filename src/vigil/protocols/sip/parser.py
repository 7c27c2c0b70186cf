"""Bytes to SIP messages: a datagram (:func:`parse_message`) or a stream (:class:`StreamParser`).

Both share one head parser. It decodes the header block once (UTF-8, ``surrogateescape``, so
GB2312 bytes survive), splits it into lines with ``str.split`` and partitions each line on the first
colon: no regex and no per-byte loop on the hot path. Devices are tolerated where RFC 3261 allows
(folded lines §7.3.1, compact names §7.3.3, leading CRLF keep-alives RFC 5626 §3.5.1, bare LF
line ends) and bounded wherever a peer could make us allocate (message size, header count, line).
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.digits import read_digits
from vigil.protocols.errors import SipError
from vigil.protocols.sip.grammar import NAME_KEYS, SIP_VERSION, is_token
from vigil.protocols.sip.headers import Headers
from vigil.protocols.sip.message import SipMessage, SipRequest, SipResponse
from vigil.protocols.sip.typed_headers import CSeq, NameAddr

__all__ = [
    "MAX_HEADERS",
    "MAX_HEADER_LINE",
    "MAX_MESSAGE_SIZE",
    "StreamParser",
    "is_keepalive",
    "parse_message",
]

#: Largest message accepted; RFC 3261 §18.1.1 keeps UDP well below this, GB/T 28181 Catalog
#: responses are split across MESSAGEs long before it.
MAX_MESSAGE_SIZE = 64 * 1024
#: Most header lines in one message (a peer must not make us build an unbounded list).
MAX_HEADERS = 128
#: Longest single header line (after unfolding, the message size bounds the rest).
MAX_HEADER_LINE = 8 * 1024
#: RFC 3261 §8.1.1: headers without which a message cannot be matched or answered.
_MANDATORY = ("Via", "From", "To", "Call-ID", "CSeq")
_MANDATORY_KEYS = frozenset(name.lower() for name in _MANDATORY)
_LENGTH_KEY = "content-length"
_CRLF = b"\r\n"


def _excerpt(text: str) -> str:
    return repr(text[:60])


@dataclass(slots=True)
class _Head:
    """A parsed start line and header block, waiting for its body."""

    start_line: str
    items: list[tuple[str, str]]
    keys: list[str]
    content_length: int | None
    body_start: int


def _skip_keepalive(data: bytes | bytearray) -> int:
    i = 0
    n = len(data)
    while i < n and data[i] in _CRLF:
        i += 1
    return i


def _find_head_end(data: bytes | bytearray, start: int) -> tuple[int, int]:
    """``(end of header text, start of body)`` for the first empty line, or ``(-1, -1)``."""
    crlf = data.find(b"\n\r\n", start)
    lf = data.find(b"\n\n", start, crlf if crlf >= 0 else len(data))
    if lf >= 0:
        end, body = lf, lf + 2
    elif crlf >= 0:
        end, body = crlf, crlf + 3
    else:
        return -1, -1
    if end > start and data[end - 1] == 13:
        end -= 1
    return end, body


def _content_length(value: str, previous: int | None) -> int:
    value = value.strip()
    length = read_digits(value)
    if length is None:
        raise SipError(f"Content-Length {_excerpt(value)} is not a non-negative integer")
    if previous is not None and previous != length:
        raise SipError(f"conflicting Content-Length values {previous} and {length}")
    return length


def _parse_head(data: bytes | bytearray, start: int, end: int, body_start: int) -> _Head:
    lines = _head_lines(data, start, end)
    items, keys = _header_fields(lines[1:])
    length: int | None = None
    if _LENGTH_KEY in keys:
        for key, (_, value) in zip(keys, items, strict=True):
            if key == _LENGTH_KEY:
                length = _content_length(value, length)
        kept = [i for i, key in enumerate(keys) if key != _LENGTH_KEY]
        items = [items[i] for i in kept]
        keys = [keys[i] for i in kept]
    return _Head(lines[0], items, keys, length, body_start)


def _head_lines(data: bytes | bytearray, start: int, end: int) -> list[str]:
    """The header section's lines (start line first), line endings and size limits checked."""
    text = data[start:end].decode("utf-8", "surrogateescape")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            raise SipError("bare CR inside the header section")
    lines = text.split("\n")
    if len(lines) - 1 > MAX_HEADERS:
        raise SipError(f"more than {MAX_HEADERS} header lines", status_hint=413)
    if len(text) > MAX_HEADER_LINE and max(map(len, lines)) > MAX_HEADER_LINE:
        raise SipError(f"header line longer than {MAX_HEADER_LINE} characters")
    return lines


def _header_fields(lines: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """``(items, keys)`` of the header lines: (name, value) pairs, folded lines joined, known
    names in their canonical spelling, and each one's lookup key."""
    items: list[tuple[str, str]] = []
    keys: list[str] = []
    known = NAME_KEYS.get
    for line in lines:
        first = line[:1]
        if first == " " or first == "\t":
            if not items:
                raise SipError("continuation line before the first header")
            folded = line.strip()
            if folded:
                name, value = items[-1]
                items[-1] = (name, f"{value} {folded}" if value else folded)
            continue
        raw_name, sep, value = line.partition(":")
        if not sep:
            raise SipError(f"header line {_excerpt(line)} has no colon")
        raw_name = raw_name.rstrip(" \t")
        lowered = raw_name.lower()
        spec = known(lowered)
        if spec is None:
            if not is_token(raw_name):
                raise SipError(f"header name {_excerpt(raw_name)} is not a token")
            items.append((raw_name, value.strip()))
            keys.append(lowered)
        else:
            items.append((spec[0], value.strip()))
            keys.append(spec[1])
    return items, keys


def _check_mandatory(keys: list[str]) -> None:
    if not _MANDATORY_KEYS.issubset(keys):
        present = set(keys)
        missing = next(name for name in _MANDATORY if name.lower() not in present)
        raise SipError(f"missing {missing} header")


def _build(head: _Head, body: bytes) -> SipMessage:
    line = head.start_line
    _check_mandatory(head.keys)
    headers = Headers._trusted(head.items, head.keys)
    if line.startswith("SIP/"):
        version, _, rest = line.partition(" ")
        if version != SIP_VERSION:
            raise SipError(f"unsupported version {_excerpt(version)}")
        code, _, reason = rest.partition(" ")
        if len(code) != 3 or not code.isascii() or not code.isdigit():
            raise SipError(f"status code {_excerpt(code)} is not three digits")
        return SipResponse(int(code), reason.strip(), headers, body)
    parts = line.split(" ")
    if len(parts) != 3:
        raise SipError(f"request line {_excerpt(line)} is not 'METHOD Request-URI SIP/2.0'")
    method, uri, version = parts
    if version != SIP_VERSION:
        raise SipError(f"unsupported version {_excerpt(version)}")
    request = SipRequest(method, uri, headers, body)
    cseq_method = CSeq.parse(head.items[head.keys.index("cseq")][1]).method
    if cseq_method != method:
        raise SipError(f"CSeq method {cseq_method!r} does not match request method {method!r}")
    # RFC 3261 §8.2.6.2: a response copies From and tags To; a request whose From or To cannot be
    # read cannot be answered or attributed, so it is refused here rather than deep in a handler.
    NameAddr.parse(head.items[head.keys.index("from")][1])
    NameAddr.parse(head.items[head.keys.index("to")][1])
    return request


def is_keepalive(data: bytes) -> bool:
    """Whether a datagram is only CRLFs (RFC 5626 keep-alive); such datagrams get no answer."""
    return _skip_keepalive(data) == len(data)


def parse_message(data: bytes) -> SipMessage:
    """Parse one datagram; bad input raises :class:`SipError` (status hint 400, 413 if too big).

    RFC 3261 §18.3: a body longer than Content-Length is truncated, a shorter one is an error, and
    a datagram without Content-Length carries its body to the end.
    """
    if len(data) > MAX_MESSAGE_SIZE:
        raise SipError(f"message of {len(data)} bytes exceeds {MAX_MESSAGE_SIZE}", status_hint=413)
    start = _skip_keepalive(data)
    if start == len(data):
        raise SipError("datagram holds only CRLF keep-alives")
    end, body_start = _find_head_end(data, start)
    if end < 0:
        raise SipError("no empty line ends the header section")
    head = _parse_head(data, start, end, body_start)
    available = len(data) - body_start
    length = head.content_length
    if length is None or length == available:
        body = data[body_start:]
    elif length < available:
        body = data[body_start : body_start + length]
    else:
        raise SipError(f"Content-Length {length} exceeds the {available} body bytes received")
    return _build(head, bytes(body))


class StreamParser:
    """Frame SIP over TCP by Content-Length (required there: RFC 3261 §18.3), all or nothing.

    After a framing error the stream cannot be resynchronised, so the parser stays failed and
    every later :meth:`feed` raises the same error; the connection should be closed. Messages that
    were complete before the error are still returned and the error is raised on the next call.
    """

    __slots__ = ("_buf", "_error", "_head", "_max_size", "_total")

    def __init__(self, max_message_size: int = MAX_MESSAGE_SIZE) -> None:
        self._buf = bytearray()
        self._head: _Head | None = None
        self._total = 0
        self._error: SipError | None = None
        self._max_size = max_message_size

    def feed(self, data: bytes) -> list[SipMessage]:
        """Append received bytes; return every message they complete, in order."""
        if self._error is not None:
            raise self._error
        self._buf += data
        out: list[SipMessage] = []
        try:
            while (message := self._next()) is not None:
                out.append(message)
        except SipError as exc:
            self._error = exc
            self._buf.clear()
            if not out:
                raise
        return out

    @property
    def buffered(self) -> int:
        """Bytes held while waiting for the rest of a message."""
        return len(self._buf)

    def _next(self) -> SipMessage | None:
        buf = self._buf
        if self._head is None:
            skip = _skip_keepalive(buf)
            if skip:
                del buf[:skip]
            if not buf:
                return None
            end, body_start = _find_head_end(buf, 0)
            if end < 0:
                if len(buf) > self._max_size:
                    raise SipError(
                        f"header section exceeds {self._max_size} bytes", status_hint=413
                    )
                return None
            head = _parse_head(buf, 0, end, body_start)
            if head.content_length is None:
                raise SipError("missing Content-Length on a stream transport")
            self._total = body_start + head.content_length
            if self._total > self._max_size:
                raise SipError(
                    f"message of {self._total} bytes exceeds {self._max_size}", status_hint=413
                )
            self._head = head
        head, total = self._head, self._total
        if len(buf) < total:
            return None
        body = bytes(buf[head.body_start : total])
        del buf[:total]
        self._head = None
        return _build(head, body)
