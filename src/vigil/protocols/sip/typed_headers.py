"""Typed views of the header values the stack itself reads: Via, From/To/Contact, CSeq.

Messages keep header values as text (parsing every header of every datagram would be wasted work);
these views are parsed on demand with ``parse()`` and written back with ``str()``. Parameters the
transaction and NAT logic need (branch, rport, received, tag) are lifted into fields; every other
parameter is kept, in order, in ``params``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vigil.protocols.digits import read_digits
from vigil.protocols.errors import SipError
from vigil.protocols.sip.grammar import (
    MAGIC_COOKIE,
    Params,
    find_param,
    format_params,
    is_token,
    parse_params,
    quote,
    split_hostport,
    unquote,
)
from vigil.protocols.sip.uri import SipUri

__all__ = ["CSeq", "NameAddr", "Via"]

#: RFC 3261 §8.1.1.5: the sequence number is a 32-bit unsigned integer below 2**31.
MAX_CSEQ = 2**31 - 1
#: RFC 3261 §18.1.1: the default ports when sent-by has none.
DEFAULT_PORTS = {"UDP": 5060, "TCP": 5060, "TLS": 5061, "SCTP": 5060, "WS": 80, "WSS": 443}


@dataclass(frozen=True, slots=True)
class Via:
    """RFC 3261 §20.42, with RFC 3581 ``rport`` (``True`` for the bare flag, else the port)."""

    transport: str
    host: str
    port: int | None = None
    branch: str | None = None
    rport: int | Literal[True] | None = None
    received: str | None = None
    params: Params = ()

    @classmethod
    def parse(cls, text: str) -> Via:
        """Parse one via-parm (split comma lists first with ``Headers.get_list``)."""
        parts = text.split("/", 2)
        if len(parts) != 3 or parts[0].strip().upper() != "SIP" or parts[1].strip() != "2.0":
            raise SipError(f"Via {text[:60]!r} does not start with SIP/2.0/<transport>")
        bits = parts[2].split(None, 1)
        if len(bits) != 2 or not is_token(bits[0]):
            raise SipError(f"Via {text[:60]!r} has no transport token")
        transport, rest = bits
        sent_by, _, param_text = rest.partition(";")
        host, port = split_hostport(sent_by)
        branch: str | None = None
        rport: int | Literal[True] | None = None
        received: str | None = None
        others: list[tuple[str, str | None]] = []
        for name, value in parse_params(param_text):
            key = name.lower()
            if key == "branch" and value:
                branch = value
            elif key == "rport":
                rport = _parse_rport(value)
            elif key == "received" and value:
                received = value
            else:
                others.append((name, value))
        return cls(transport.upper(), host, port, branch, rport, received, tuple(others))

    @property
    def sent_by(self) -> str:
        """``host:port`` with the transport's default port filled in (RFC 3261 §17.2.3 keys)."""
        return f"{self.host}:{self.port or DEFAULT_PORTS.get(self.transport, 5060)}"

    @property
    def is_rfc3261_branch(self) -> bool:
        """Whether the branch carries the magic cookie, so it alone identifies a transaction."""
        return self.branch is not None and self.branch.startswith(MAGIC_COOKIE)

    def __str__(self) -> str:
        out = [f"SIP/2.0/{self.transport} {self.host}"]
        if self.port is not None:
            out.append(f":{self.port}")
        if self.rport is True:
            out.append(";rport")
        elif self.rport is not None:
            out.append(f";rport={self.rport}")
        if self.received is not None:
            out.append(f";received={self.received}")
        if self.branch is not None:
            out.append(f";branch={self.branch}")
        out.append(format_params(self.params))
        return "".join(out)


def _parse_rport(value: str | None) -> int | Literal[True]:
    if value is None or value == "":
        return True
    port = read_digits(value)
    if port is None or port > 65535:
        raise SipError(f"Via rport {value[:20]!r} is not a port number")
    return port


@dataclass(frozen=True, slots=True)
class NameAddr:
    """RFC 3261 §20.10/20.20/20.39 name-addr or addr-spec with header parameters (``tag``)."""

    uri: SipUri
    display_name: str | None = None
    params: Params = ()

    @classmethod
    def parse(cls, text: str) -> NameAddr:
        """Parse ``"name" <uri>;p``, ``name <uri>;p``, ``<uri>;p`` or the bare ``uri;p`` form."""
        text = text.strip()
        display: str | None = None
        if text.startswith('"'):
            end = _closing_quote(text)
            display = unquote(text[: end + 1])
            text = text[end + 1 :].lstrip()
            if not text.startswith("<"):
                raise SipError(f"quoted display name not followed by <uri> in {text[:60]!r}")
        lt = text.find("<")
        if lt >= 0:
            gt = text.find(">", lt)
            if gt < 0:
                raise SipError(f"'<' without '>' in {text[:60]!r}")
            if display is None and text[:lt].strip():
                display = text[:lt].strip()
            uri_text, param_text = text[lt + 1 : gt], text[gt + 1 :].strip()
            if param_text and not param_text.startswith(";"):
                raise SipError(f"junk after '>' in {text[:60]!r}")
        else:
            if text == "*":
                raise SipError("wildcard Contact '*' is not a name-addr")
            uri_text, _, param_text = text.partition(";")
        return cls(SipUri.parse(uri_text), display, parse_params(param_text))

    @property
    def tag(self) -> str | None:
        """RFC 3261 §19.3 dialog tag."""
        return find_param(self.params, "tag")[1]

    def param(self, name: str) -> str | None:
        """Value of header parameter ``name`` (``expires`` on a Contact, for example)."""
        return find_param(self.params, name)[1]

    def with_tag(self, tag: str) -> NameAddr:
        """A copy whose ``tag`` parameter is ``tag`` (replacing any previous one)."""
        kept = tuple((k, v) for k, v in self.params if k.lower() != "tag")
        return NameAddr(self.uri, self.display_name, (*kept, ("tag", tag)))

    def __str__(self) -> str:
        name = "" if self.display_name is None else quote(self.display_name) + " "
        return f"{name}<{self.uri}>{format_params(self.params)}"


def _closing_quote(text: str) -> int:
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i
        i += 1
    raise SipError(f"unterminated display name in {text[:60]!r}")


@dataclass(frozen=True, slots=True)
class CSeq:
    """RFC 3261 §20.16: ``<seq> <METHOD>``."""

    seq: int
    method: str

    @classmethod
    def parse(cls, text: str) -> CSeq:
        """Parse ``20 REGISTER``."""
        number, _, method = text.strip().partition(" ")
        method = method.strip()
        seq = read_digits(number)
        if seq is None or seq > MAX_CSEQ:
            raise SipError(f"CSeq number {number[:20]!r} is not an integer below 2**31")
        if not is_token(method):
            raise SipError(f"CSeq method {method[:20]!r} is not a token")
        return cls(seq, method)

    def __str__(self) -> str:
        return f"{self.seq} {self.method}"
