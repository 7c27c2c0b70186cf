"""RFC 3261 §25 grammar pieces that every SIP module shares, and the header-name table.

The lexical rules live here once: header names and their compact forms (RFC 3261 §7.3.3, RFC 6665
§8.3 for ``o``/``u``), tokens, quoted strings, ``;param`` lists and comma-separated header values.
Each helper works on already-decoded ``str`` and prefers ``str`` methods to per-character loops: the
slow, quote-aware path runs only when a value actually contains a quote or an angle bracket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vigil.protocols.digits import read_digits
from vigil.protocols.errors import SipError

__all__ = [
    "HEADER_SPECS",
    "MAGIC_COOKIE",
    "NAME_KEYS",
    "SIP_VERSION",
    "HeaderSpec",
    "Params",
    "canonical_name",
    "find_param",
    "format_params",
    "is_token",
    "parse_params",
    "quote",
    "split_comma_list",
    "split_hostport",
    "unquote",
]

#: RFC 3261 §7.1: the only version this stack speaks.
SIP_VERSION = "SIP/2.0"
#: RFC 3261 §8.1.1.7: a branch starting with this cookie was made by an RFC 3261 element.
MAGIC_COOKIE = "z9hG4bK"

#: RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
_TOKEN = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+")

#: Ordered ``;name[=value]`` parameters; the order is kept so that re-serialising is faithful.
Params = tuple[tuple[str, str | None], ...]


@dataclass(frozen=True, slots=True)
class HeaderSpec:
    """One row of the header table: the spelling Vigil writes and the compact form it accepts."""

    name: str
    compact: str | None = None


#: RFC 3261 §20 headers (compact forms per §7.3.3), RFC 6665 events, GB/T 28181-2022 X-GB-Ver.
HEADER_SPECS: tuple[HeaderSpec, ...] = (
    HeaderSpec("Accept"),
    HeaderSpec("Accept-Encoding"),
    HeaderSpec("Accept-Language"),
    HeaderSpec("Alert-Info"),
    HeaderSpec("Allow"),
    HeaderSpec("Allow-Events", "u"),
    HeaderSpec("Authentication-Info"),
    HeaderSpec("Authorization"),
    HeaderSpec("CSeq"),
    HeaderSpec("Call-ID", "i"),
    HeaderSpec("Call-Info"),
    HeaderSpec("Contact", "m"),
    HeaderSpec("Content-Disposition"),
    HeaderSpec("Content-Encoding", "e"),
    HeaderSpec("Content-Language"),
    HeaderSpec("Content-Length", "l"),
    HeaderSpec("Content-Type", "c"),
    HeaderSpec("Date"),
    HeaderSpec("Error-Info"),
    HeaderSpec("Event", "o"),
    HeaderSpec("Expires"),
    HeaderSpec("From", "f"),
    HeaderSpec("In-Reply-To"),
    HeaderSpec("MIME-Version"),
    HeaderSpec("Max-Forwards"),
    HeaderSpec("Min-Expires"),
    HeaderSpec("Organization"),
    HeaderSpec("Priority"),
    HeaderSpec("Proxy-Authenticate"),
    HeaderSpec("Proxy-Authorization"),
    HeaderSpec("Proxy-Require"),
    HeaderSpec("Reason"),
    HeaderSpec("Record-Route"),
    HeaderSpec("Reply-To"),
    HeaderSpec("Require"),
    HeaderSpec("Retry-After"),
    HeaderSpec("Route"),
    HeaderSpec("Server"),
    HeaderSpec("Subject", "s"),
    HeaderSpec("Subscription-State"),
    HeaderSpec("Supported", "k"),
    HeaderSpec("Timestamp"),
    HeaderSpec("To", "t"),
    HeaderSpec("Unsupported"),
    HeaderSpec("User-Agent"),
    HeaderSpec("Via", "v"),
    HeaderSpec("WWW-Authenticate"),
    HeaderSpec("Warning"),
    HeaderSpec("X-GB-Ver"),
)

_CANONICAL: dict[str, str] = {spec.name.lower(): spec.name for spec in HEADER_SPECS}
_CANONICAL.update({spec.compact: spec.name for spec in HEADER_SPECS if spec.compact})
#: Lower-cased name or compact form → (canonical spelling, lookup key): one dict hit per line.
NAME_KEYS: dict[str, tuple[str, str]] = {k: (v, v.lower()) for k, v in _CANONICAL.items()}


def canonical_name(name: str) -> str:
    """Known names (and compact forms) map to one spelling so lookups and equality are simple."""
    return _CANONICAL.get(name.lower(), name)


def is_token(text: str) -> bool:
    """RFC 3261 §25.1 ``token``."""
    return _TOKEN.fullmatch(text) is not None


def quote(text: str) -> str:
    """RFC 3261 §25.1 ``quoted-string``: escape the two characters that must be escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unquote(text: str) -> str:
    """Inverse of :func:`quote`; a value without surrounding quotes is returned unchanged."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return text
    inner = text[1:-1]
    if "\\" not in inner:
        return inner
    out: list[str] = []
    i = 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\" and i + 1 < len(inner):
            i += 1
            ch = inner[i]
        out.append(ch)
        i += 1
    return "".join(out)


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    """Split on ``sep`` except inside ``"..."`` (with escapes) and ``<...>``."""
    parts: list[str] = []
    start = 0
    in_quotes = False
    in_angle = False
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if in_quotes:
            if ch == "\\":
                i += 1
            elif ch == '"':
                in_quotes = False
        elif ch == '"':
            in_quotes = True
        elif ch == "<":
            in_angle = True
        elif ch == ">":
            in_angle = False
        elif ch == sep and not in_angle:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    if in_quotes:
        raise SipError(f"unterminated quoted string in {text[:60]!r}")
    parts.append(text[start:])
    return parts


def split_comma_list(value: str) -> list[str]:
    """RFC 3261 §7.3.1: ``Via: a, b`` is the same as two Via lines; commas in quotes don't split."""
    quoted = '"' in value or "<" in value
    parts = _split_outside_quotes(value, ",") if quoted else value.split(",")
    return [p.strip() for p in parts if p.strip()]


def parse_params(text: str) -> Params:
    """Parse ``;a=1;b`` (leading ``;`` optional); names keep their case, values stay raw."""
    if not text:
        return ()
    pieces = _split_outside_quotes(text, ";") if '"' in text else text.split(";")
    out: list[tuple[str, str | None]] = []
    for piece in pieces:
        name, sep, value = piece.partition("=")
        name = name.strip()
        if not name:
            if sep or piece.strip():
                raise SipError(f"parameter without a name in {text[:60]!r}")
            continue
        out.append((name, value.strip() if sep else None))
    return tuple(out)


def format_params(params: Params) -> str:
    """Inverse of :func:`parse_params`, always with the leading ``;``."""
    return "".join(f";{k}" if v is None else f";{k}={v}" for k, v in params)


def find_param(params: Params, name: str) -> tuple[bool, str | None]:
    """Case-insensitive lookup (RFC 3261 §7.3.1): ``(present, value)``."""
    lowered = name.lower()
    for key, value in params:
        if key.lower() == lowered:
            return True, value
    return False, None


def split_hostport(text: str) -> tuple[str, int | None]:
    """RFC 3261 §25.1 ``hostport``, IPv6 references in brackets; the port must be 0..65535."""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise SipError(f"IPv6 reference without ']' in {text[:60]!r}")
        host, rest = text[: end + 1], text[end + 1 :]
        if rest and not rest.startswith(":"):
            raise SipError(f"junk after IPv6 reference in {text[:60]!r}")
        port_text = rest[1:] if rest else ""
        has_port = bool(rest)
    else:
        host, sep, port_text = text.partition(":")
        has_port = bool(sep)
    host = host.strip()
    if not host:
        raise SipError(f"empty host in {text[:60]!r}")
    if not has_port:
        return host, None
    port_text = port_text.strip()
    port = read_digits(port_text)
    if port is None or port > 65535:
        raise SipError(f"port {port_text[:20]!r} is not a number in 0..65535")
    return host, port
