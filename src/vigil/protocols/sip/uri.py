"""RFC 3261 §19.1 SIP and SIPS URIs.

GB/T 28181 addresses everything as ``sip:<20-digit id>@<domain or ip:port>``; the parser also
takes IPv6 references, URI parameters (``;transport=tcp``, ``;lr``) and a raw ``?headers`` part,
kept as text because nothing in the platform needs it decoded.
"""

from __future__ import annotations

from dataclasses import dataclass

from vigil.protocols.errors import SipError
from vigil.protocols.sip.grammar import (
    Params,
    find_param,
    format_params,
    parse_params,
    split_hostport,
)

__all__ = ["SipUri"]

#: RFC 3261 §19.1.1: the schemes this URI type covers.
_SCHEMES = frozenset({"sip", "sips"})


@dataclass(frozen=True, slots=True)
class SipUri:
    """``scheme:user@host:port;params?headers``; absent parts are ``None``/empty."""

    host: str
    user: str | None = None
    port: int | None = None
    params: Params = ()
    scheme: str = "sip"
    headers: str = ""

    @classmethod
    def parse(cls, text: str) -> SipUri:
        """Parse one URI; raise :class:`SipError` naming the broken part."""
        scheme, sep, rest = text.strip().partition(":")
        scheme = scheme.lower()
        if not sep or scheme not in _SCHEMES:
            raise SipError(f"URI {text[:60]!r} is not a sip: or sips: URI")
        rest, _, headers = rest.partition("?")
        at = rest.rfind("@")
        user: str | None = None
        if at >= 0:
            user = rest[:at]
            if not user:
                raise SipError(f"URI {text[:60]!r} has an empty user part")
            rest = rest[at + 1 :]
        hostport, _, param_text = rest.partition(";")
        host, port = split_hostport(hostport)
        return cls(
            host=host,
            user=user,
            port=port,
            params=parse_params(param_text),
            scheme=scheme,
            headers=headers,
        )

    def param(self, name: str) -> str | None:
        """Value of URI parameter ``name`` (``None`` when absent or a bare flag)."""
        return find_param(self.params, name)[1]

    def has_param(self, name: str) -> bool:
        """Whether ``;name`` is present (flags like ``;lr`` have no value)."""
        return find_param(self.params, name)[0]

    @property
    def hostport(self) -> str:
        """``host[:port]`` as it would appear in the URI."""
        return self.host if self.port is None else f"{self.host}:{self.port}"

    def __str__(self) -> str:
        user = "" if self.user is None else f"{self.user}@"
        tail = f"?{self.headers}" if self.headers else ""
        return f"{self.scheme}:{user}{self.hostport}{format_params(self.params)}{tail}"
