"""HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617, RFC 7616): header codec, response, client side.

GB/T 28181-2016 §9.1 registers devices with Digest, mostly MD5 without ``qop``; 2022 devices may
offer SHA-256. The codec is liberal the way devices need (any parameter may arrive quoted,
``algorithm="MD5"`` included; names are case-insensitive) and writes the RFC form. Nonce minting
and replay state live in :mod:`digest_server`; this module has no state at all.

A server need not keep passwords: HA1 = MD5(username:realm:password) (:func:`digest_ha1`) is all
that MD5 and MD5-sess verification needs, so :func:`verify_credentials` takes either. HA1 is bound
to its realm: a stored HA1 verifies nothing once the realm changes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from vigil.protocols.errors import SipError
from vigil.protocols.sip.grammar import is_token, quote

__all__ = [
    "DigestChallenge",
    "DigestCredentials",
    "authorize",
    "digest_ha1",
    "digest_response",
    "verify_credentials",
]

#: RFC 7616 §3.7: hash per algorithm; ``-sess`` variants hash the same way with a session HA1.
_HASHES: dict[str, Callable[[bytes], str]] = {
    "MD5": lambda data: hashlib.md5(data, usedforsecurity=False).hexdigest(),
    "SHA-256": lambda data: hashlib.sha256(data).hexdigest(),
}
#: RFC 2617 §3.2.2: nonce-count is exactly 8 hex digits.
_NC_DIGITS = 8
#: RFC 2617 §3.2.1: the qop values this stack can compute.
_SUPPORTED_QOP = ("auth", "auth-int")
_SCHEME = "digest"


def _hasher(algorithm: str) -> tuple[Callable[[bytes], str], bool]:
    name = algorithm.upper()
    session = name.endswith("-SESS")
    fn = _HASHES.get(name.removesuffix("-SESS"))
    if fn is None:
        raise SipError(f"unsupported digest algorithm {algorithm[:20]!r}")
    return fn, session


def digest_ha1(username: str, realm: str, password: str, algorithm: str = "MD5") -> str:
    """RFC 2617 §3.2.2.2 ``H(username:realm:password)`` (lower-case hex), what a server stores."""
    h, _ = _hasher(algorithm)
    return h(f"{username}:{realm}:{password}".encode())


def digest_response(
    *,
    username: str,
    realm: str,
    password: str | None = None,
    ha1: str | None = None,
    method: str,
    uri: str,
    nonce: str,
    algorithm: str = "MD5",
    qop: str | None = None,
    nc: str | None = None,
    cnonce: str | None = None,
    body: bytes = b"",
) -> str:
    """RFC 2617 §3.2.2.1 / RFC 7616 §3.4.1 ``request-digest`` (lower-case hex), from the
    password or from its ``ha1`` (:func:`digest_ha1` with the same algorithm family)."""
    h, session = _hasher(algorithm)
    if ha1 is None:
        if password is None:
            raise SipError("digest needs a password or its HA1")
        ha1 = h(f"{username}:{realm}:{password}".encode())
    if session:
        ha1 = h(f"{ha1}:{nonce}:{cnonce or ''}".encode())
    if qop == "auth-int":
        ha2 = h(f"{method}:{uri}:{h(body)}".encode())
    else:
        ha2 = h(f"{method}:{uri}".encode())
    if qop is None:
        return h(f"{ha1}:{nonce}:{ha2}".encode())
    if qop not in _SUPPORTED_QOP:
        raise SipError(f"unsupported qop {qop[:20]!r}")
    return h(f"{ha1}:{nonce}:{nc or ''}:{cnonce or ''}:{qop}:{ha2}".encode())


def _read_quoted(text: str, pos: int) -> tuple[str, int]:
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif ch == '"':
            return "".join(out), i + 1
        else:
            out.append(ch)
            i += 1
    raise SipError("unterminated quoted string in digest parameters")


def _parse_auth_params(value: str) -> dict[str, str]:
    """``Digest a=b, c="d"`` → ``{"a": "b", "c": "d"}`` (names lower-cased, quotes removed)."""
    scheme, _, text = value.strip().partition(" ")
    if scheme.lower() != _SCHEME:
        raise SipError(f"authentication scheme {scheme[:20]!r} is not Digest")
    params: dict[str, str] = {}
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and text[pos] in " \t,":
            pos += 1
        if pos >= n:
            break
        eq = text.find("=", pos)
        if eq < 0:
            raise SipError(f"digest parameter {text[pos : pos + 20]!r} has no '='")
        name = text[pos:eq].strip().lower()
        if not is_token(name):
            raise SipError(f"digest parameter name {name[:20]!r} is not a token")
        pos = eq + 1
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == '"':
            param, pos = _read_quoted(text, pos)
        else:
            comma = text.find(",", pos)
            end = n if comma < 0 else comma
            param, pos = text[pos:end].strip(), end
        if name in params:
            raise SipError(f"digest parameter {name!r} appears twice")
        params[name] = param
    return params


def _need(params: dict[str, str], name: str) -> str:
    value = params.get(name)
    if value is None:
        raise SipError(f"digest parameter {name!r} is missing")
    return value


def _join(pairs: list[tuple[str, str | None, bool]]) -> str:
    """``Digest k="v", k2=v2`` in the given order; ``None`` values are left out."""
    parts = [f"{k}={quote(v) if quoted else v}" for k, v, quoted in pairs if v is not None]
    return "Digest " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class DigestChallenge:
    """A WWW-Authenticate / Proxy-Authenticate value; ``algorithm=None`` means "not stated"."""

    realm: str
    nonce: str
    algorithm: str | None = None
    qop: tuple[str, ...] = ()
    opaque: str | None = None
    stale: bool = False

    @classmethod
    def parse(cls, value: str) -> DigestChallenge:
        """Parse a challenge header value."""
        p = _parse_auth_params(value)
        qop = tuple(q.strip() for q in p.get("qop", "").split(",") if q.strip())
        return cls(
            realm=_need(p, "realm"),
            nonce=_need(p, "nonce"),
            algorithm=p.get("algorithm"),
            qop=qop,
            opaque=p.get("opaque"),
            stale=p.get("stale", "").lower() == "true",
        )

    def __str__(self) -> str:
        return _join(
            [
                ("realm", self.realm, True),
                ("nonce", self.nonce, True),
                ("opaque", self.opaque, True),
                ("algorithm", self.algorithm, False),
                ("qop", ",".join(self.qop) if self.qop else None, True),
                ("stale", "true" if self.stale else None, False),
            ]
        )


@dataclass(frozen=True, slots=True)
class DigestCredentials:
    """An Authorization / Proxy-Authorization value."""

    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    algorithm: str | None = None
    qop: str | None = None
    nc: str | None = None
    cnonce: str | None = None
    opaque: str | None = None

    @classmethod
    def parse(cls, value: str) -> DigestCredentials:
        """Parse a credentials header value; ``qop`` demands ``nc`` and ``cnonce``."""
        p = _parse_auth_params(value)
        creds = cls(
            username=_need(p, "username"),
            realm=_need(p, "realm"),
            nonce=_need(p, "nonce"),
            uri=_need(p, "uri"),
            response=_need(p, "response"),
            algorithm=p.get("algorithm"),
            qop=p.get("qop"),
            nc=p.get("nc"),
            cnonce=p.get("cnonce"),
            opaque=p.get("opaque"),
        )
        if creds.qop is not None and (creds.nc is None or creds.cnonce is None):
            raise SipError("digest qop given without nc and cnonce")
        return creds

    @property
    def nonce_count(self) -> int | None:
        """``nc`` as an integer, ``None`` when absent; :class:`SipError` if not 8 hex digits."""
        if self.nc is None:
            return None
        try:
            if len(self.nc) != _NC_DIGITS:
                raise ValueError(self.nc)
            return int(self.nc, 16)
        except ValueError:
            raise SipError(f"digest nc {self.nc[:20]!r} is not 8 hex digits") from None

    def __str__(self) -> str:
        return _join(
            [
                ("username", self.username, True),
                ("realm", self.realm, True),
                ("nonce", self.nonce, True),
                ("uri", self.uri, True),
                ("response", self.response, True),
                ("algorithm", self.algorithm, False),
                ("cnonce", self.cnonce, True),
                ("opaque", self.opaque, True),
                ("qop", self.qop, False),
                ("nc", self.nc, False),
            ]
        )


def verify_credentials(
    credentials: DigestCredentials,
    *,
    method: str,
    password: str | None = None,
    ha1: str | None = None,
    body: bytes = b"",
) -> bool:
    """Whether ``response`` matches ``password`` — or ``ha1``, an MD5 HA1 (:func:`digest_ha1`),
    which only MD5 and MD5-sess credentials can match; constant-time, never raises on bad input."""
    algorithm = credentials.algorithm or "MD5"
    if ha1 is not None and algorithm.upper().removesuffix("-SESS") != "MD5":
        return False
    try:
        expected = digest_response(
            username=credentials.username,
            realm=credentials.realm,
            password=password,
            ha1=ha1.lower() if ha1 is not None else None,
            method=method,
            uri=credentials.uri,
            nonce=credentials.nonce,
            algorithm=algorithm,
            qop=credentials.qop,
            nc=credentials.nc,
            cnonce=credentials.cnonce,
            body=body,
        )
    except SipError:
        return False
    return hmac.compare_digest(expected.encode(), credentials.response.lower().encode())


def authorize(
    challenge: DigestChallenge,
    *,
    username: str,
    password: str,
    method: str,
    uri: str,
    nc: int = 1,
    cnonce: str | None = None,
    body: bytes = b"",
) -> DigestCredentials:
    """Client side: answer ``challenge`` (prefers ``qop=auth``); ``nc`` counts uses of the nonce."""
    qop: str | None = None
    if challenge.qop:
        qop = next((q for q in _SUPPORTED_QOP if q in challenge.qop), None)
        if qop is None:
            raise SipError(f"no supported qop in {','.join(challenge.qop)[:40]!r}")
    algorithm = challenge.algorithm or "MD5"
    needs_cnonce = qop is not None or algorithm.upper().endswith("-SESS")
    if needs_cnonce and cnonce is None:
        cnonce = secrets.token_hex(8)
    nc_text = f"{nc:08x}" if qop is not None else None
    response = digest_response(
        username=username,
        realm=challenge.realm,
        password=password,
        method=method,
        uri=uri,
        nonce=challenge.nonce,
        algorithm=algorithm,
        qop=qop,
        nc=nc_text,
        cnonce=cnonce,
        body=body,
    )
    return DigestCredentials(
        username=username,
        realm=challenge.realm,
        nonce=challenge.nonce,
        uri=uri,
        response=response,
        algorithm=challenge.algorithm,
        qop=qop,
        nc=nc_text,
        cnonce=cnonce if needs_cnonce else None,
        opaque=challenge.opaque,
    )
