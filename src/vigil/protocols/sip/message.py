"""SIP requests and responses as frozen values, and the builders every server and client needs.

``Content-Length`` is never stored: it is a property of the framing, not of the message, so
``__post_init__`` drops it and ``__bytes__`` always writes the true length of ``body``. That makes
``parse_message(bytes(m)) == m`` hold for every message and keeps a wrong length from ever leaving
the process. Header values are text decoded as UTF-8 with ``surrogateescape``, so the odd GB2312
byte in a header survives a round trip unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vigil.protocols.errors import SipError
from vigil.protocols.sip.grammar import SIP_VERSION, is_token
from vigil.protocols.sip.headers import Headers
from vigil.protocols.sip.ids import new_tag
from vigil.protocols.sip.typed_headers import CSeq, NameAddr, Via
from vigil.protocols.sip.uri import SipUri

__all__ = [
    "REASON_PHRASES",
    "SipMessage",
    "SipRequest",
    "SipResponse",
    "make_request",
    "make_response",
]

#: RFC 3261 §21 (plus RFC 6665 489) reason phrases used when the caller gives none.
REASON_PHRASES: dict[int, str] = {
    100: "Trying",
    180: "Ringing",
    181: "Call Is Being Forwarded",
    182: "Queued",
    183: "Session Progress",
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    407: "Proxy Authentication Required",
    408: "Request Timeout",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    420: "Bad Extension",
    423: "Interval Too Brief",
    480: "Temporarily Unavailable",
    481: "Call/Transaction Does Not Exist",
    482: "Loop Detected",
    483: "Too Many Hops",
    486: "Busy Here",
    487: "Request Terminated",
    488: "Not Acceptable Here",
    489: "Bad Event",
    491: "Request Pending",
    500: "Server Internal Error",
    501: "Not Implemented",
    503: "Service Unavailable",
    504: "Server Time-out",
    513: "Message Too Large",
    600: "Busy Everywhere",
    603: "Decline",
}
#: RFC 3261 §8.1.1.6: the initial Max-Forwards.
DEFAULT_MAX_FORWARDS = 70
#: RFC 3261 §12.1.1: responses to these methods create dialogs and carry Record-Route back.
_DIALOG_METHODS = frozenset({"INVITE", "SUBSCRIBE"})
_CONTENT_LENGTH = "content-length"


class _Views:
    """Typed accessors shared by requests and responses; each parses its header on demand."""

    __slots__ = ()
    headers: Headers

    def _require(self, name: str) -> str:
        value = self.headers.get(name)
        if value is None:
            raise SipError(f"missing {name} header")
        return value

    @property
    def call_id(self) -> str:
        """The Call-ID."""
        return self._require("Call-ID")

    @property
    def cseq(self) -> CSeq:
        """The parsed CSeq."""
        return CSeq.parse(self._require("CSeq"))

    @property
    def from_(self) -> NameAddr:
        """The parsed From (``from`` is a keyword)."""
        return NameAddr.parse(self._require("From"))

    @property
    def to(self) -> NameAddr:
        """The parsed To."""
        return NameAddr.parse(self._require("To"))

    @property
    def via(self) -> tuple[Via, ...]:
        """Every Via, top first, with comma-joined values split."""
        return tuple(Via.parse(v) for v in self.headers.get_list("Via"))

    @property
    def branch(self) -> str | None:
        """The top Via's branch: with the method, it names the transaction."""
        values = self.headers.get_list("Via")
        if not values:
            raise SipError("missing Via header")
        return Via.parse(values[0]).branch

    @property
    def contact(self) -> NameAddr | None:
        """The first Contact, or ``None``."""
        values = self.headers.get_list("Contact")
        return NameAddr.parse(values[0]) if values else None

    @property
    def content_type(self) -> str | None:
        """The Content-Type as written (``Application/MANSCDP+xml`` keeps its case)."""
        return self.headers.get("Content-Type")


def _serialize(start_line: str, headers: Headers, body: bytes) -> bytes:
    lines = [start_line]
    lines.extend(f"{name}: {value}" for name, value in headers)
    lines.append(f"Content-Length: {len(body)}\r\n\r\n")
    return "\r\n".join(lines).encode("utf-8", "surrogateescape") + body


def _drop_content_length(obj: object, headers: Headers) -> None:
    if _CONTENT_LENGTH in headers:
        object.__setattr__(obj, "headers", headers.remove(_CONTENT_LENGTH))


@dataclass(frozen=True, slots=True)
class SipRequest(_Views):
    """RFC 3261 §7.1 request; ``uri`` is the Request-URI as text (see :attr:`request_uri`)."""

    method: str
    uri: str
    headers: Headers
    body: bytes = b""

    def __post_init__(self) -> None:
        if not is_token(self.method):
            raise SipError(f"method {self.method[:20]!r} is not a token")
        uri = self.uri
        if not uri or " " in uri or "\t" in uri or "\r" in uri or "\n" in uri:
            raise SipError(f"Request-URI {self.uri[:60]!r} is empty or contains whitespace")
        _drop_content_length(self, self.headers)

    @property
    def request_uri(self) -> SipUri:
        """The parsed Request-URI."""
        return SipUri.parse(self.uri)

    def __bytes__(self) -> bytes:
        return _serialize(f"{self.method} {self.uri} {SIP_VERSION}", self.headers, self.body)


@dataclass(frozen=True, slots=True)
class SipResponse(_Views):
    """RFC 3261 §7.2 response."""

    status: int
    reason: str
    headers: Headers
    body: bytes = b""

    def __post_init__(self) -> None:
        if not 100 <= self.status <= 699:
            raise SipError(f"status {self.status} is outside 100..699")
        if "\r" in self.reason or "\n" in self.reason:
            raise SipError("reason phrase contains a line break")
        _drop_content_length(self, self.headers)

    def __bytes__(self) -> bytes:
        return _serialize(f"{SIP_VERSION} {self.status} {self.reason}", self.headers, self.body)


SipMessage = SipRequest | SipResponse


def _with_body(
    items: list[tuple[str, str]], body: bytes, content_type: str | None
) -> list[tuple[str, str]]:
    if content_type is not None:
        items.append(("Content-Type", content_type))
    elif body:
        raise SipError("a body needs a Content-Type")
    return items


def make_response(
    request: SipRequest,
    status: int,
    reason: str | None = None,
    *,
    to_tag: str | None = None,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    content_type: str | None = None,
) -> SipResponse:
    """RFC 3261 §8.2.6: copy Via, From, To, Call-ID and CSeq, and tag the To.

    A To without a tag gets ``to_tag`` (a fresh random one if ``None``) on every response but 100.
    Pass the same ``to_tag`` for every response to one INVITE: the tag names the dialog.
    """
    src = request.headers
    items = [("Via", v) for v in src.get_all("Via")]
    to_value = request._require("To")
    if status != 100:
        to = NameAddr.parse(to_value)
        if to.tag is None:
            to_value = str(to.with_tag(to_tag or new_tag()))
    if request.method in _DIALOG_METHODS and 100 < status < 300:
        items.extend(("Record-Route", v) for v in src.get_all("Record-Route"))
    items += [
        ("From", request._require("From")),
        ("To", to_value),
        ("Call-ID", request.call_id),
        ("CSeq", request._require("CSeq")),
    ]
    items.extend(headers)
    reason = REASON_PHRASES.get(status, "Unknown") if reason is None else reason
    return SipResponse(status, reason, Headers(_with_body(items, body, content_type)), body)


def make_request(
    method: str,
    uri: SipUri | str,
    *,
    via: Via,
    from_: NameAddr,
    to: NameAddr,
    call_id: str,
    cseq: int,
    contact: NameAddr | None = None,
    headers: Iterable[tuple[str, str]] = (),
    body: bytes = b"",
    content_type: str | None = None,
    max_forwards: int = DEFAULT_MAX_FORWARDS,
) -> SipRequest:
    """RFC 3261 §8.1.1: a new out-of-dialog request with the six mandatory headers."""
    items = [
        ("Via", str(via)),
        ("From", str(from_)),
        ("To", str(to)),
        ("Call-ID", call_id),
        ("CSeq", f"{cseq} {method}"),
        ("Max-Forwards", str(max_forwards)),
    ]
    if contact is not None:
        items.append(("Contact", str(contact)))
    items.extend(headers)
    return SipRequest(method, str(uri), Headers(_with_body(items, body, content_type)), body)
