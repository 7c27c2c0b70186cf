"""Server side of Digest: stateless nonces, nonce-count replay state, and one verdict function.

A nonce is ``hex(timestamp_ms ‖ salt ‖ HMAC-SHA256(secret, timestamp_ms ‖ salt)[:16])``, so any node
holding the secret can check it without shared state, and a stale nonce (RFC 2617 §3.2.1
``stale=true``) is told apart from a forged one. No clock is read here: the caller passes ``now``
(seconds, any epoch, the same one for minting and checking).
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets

from vigil.protocols.errors import SipError
from vigil.protocols.sip.digest import DigestChallenge, DigestCredentials, verify_credentials

__all__ = ["AuthVerdict", "NonceCounter", "NonceIssuer", "NonceStatus", "authenticate"]

_STAMP_BYTES = 8
_SALT_BYTES = 8
_MAC_BYTES = 16
_NONCE_HEX = 2 * (_STAMP_BYTES + _SALT_BYTES + _MAC_BYTES)
#: Shorter secrets make the HMAC guessable.
MIN_SECRET_BYTES = 16
#: Default bound on nonces whose counts are remembered.
DEFAULT_MAX_NONCES = 100_000


class NonceStatus(enum.Enum):
    """What :meth:`NonceIssuer.check` found."""

    VALID = "valid"
    STALE = "stale"
    INVALID = "invalid"


class AuthVerdict(enum.Enum):
    """What :func:`authenticate` decided: OK, answer 401 with ``stale=true``, or plain 401/403."""

    OK = "ok"
    STALE = "stale"
    FAILED = "failed"


class NonceIssuer:
    """Mints and checks HMAC-bound nonces; the secret should be shared by every SIP node."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"nonce secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._secret, payload, hashlib.sha256).digest()[:_MAC_BYTES]

    def issue(self, now: float) -> str:
        """A fresh nonce stamped with ``now``."""
        stamp = max(0, int(now * 1000)).to_bytes(_STAMP_BYTES, "big")
        payload = stamp + secrets.token_bytes(_SALT_BYTES)
        return (payload + self._mac(payload)).hex()

    def check(self, nonce: str, now: float, max_age: float) -> NonceStatus:
        """VALID if ours and younger than ``max_age`` seconds, STALE if ours but older."""
        if len(nonce) != _NONCE_HEX:
            return NonceStatus.INVALID
        try:
            raw = bytes.fromhex(nonce)
        except ValueError:
            return NonceStatus.INVALID
        payload, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._mac(payload)):
            return NonceStatus.INVALID
        issued = int.from_bytes(payload[:_STAMP_BYTES], "big") / 1000
        return NonceStatus.STALE if now - issued > max_age else NonceStatus.VALID

    def challenge(
        self,
        realm: str,
        now: float,
        *,
        algorithm: str = "MD5",
        qop: tuple[str, ...] = ("auth",),
        stale: bool = False,
    ) -> DigestChallenge:
        """A WWW-Authenticate value with a fresh nonce (pass ``qop=()`` for old devices)."""
        return DigestChallenge(realm, self.issue(now), algorithm, qop, None, stale)


class NonceCounter:
    """RFC 2617 §3.2.2 nonce-count replay check: each nonce's ``nc`` must strictly increase.

    Memory is bounded by forgetting the oldest nonce first; a forgotten nonce's next use is
    accepted once more, which the nonce's own max age bounds.
    """

    __slots__ = ("_last", "_max_nonces")

    def __init__(self, max_nonces: int = DEFAULT_MAX_NONCES) -> None:
        self._last: dict[str, int] = {}
        self._max_nonces = max_nonces

    def accept(self, nonce: str, nc: int) -> bool:
        """Record ``nc`` for ``nonce``; ``False`` unless it is above the last one seen."""
        last = self._last.get(nonce)
        if last is not None and nc <= last:
            return False
        if last is None and len(self._last) >= self._max_nonces:
            del self._last[next(iter(self._last))]
        self._last[nonce] = nc
        return True

    def forget(self, nonce: str) -> None:
        """Drop a nonce's state (after it went stale, for example)."""
        self._last.pop(nonce, None)

    def __len__(self) -> int:
        return len(self._last)


def authenticate(
    credentials: DigestCredentials,
    *,
    method: str,
    password: str | None = None,
    ha1: str | None = None,
    realm: str,
    issuer: NonceIssuer,
    now: float,
    max_age: float,
    counter: NonceCounter | None = None,
    body: bytes = b"",
) -> AuthVerdict:
    """Check realm, nonce, digest and nonce-count in the order RFC 2617 §3.2.1 implies.

    STALE is given only when the digest itself is right, so a client with a wrong password is
    never invited to retry silently. The secret is ``password`` or its MD5 ``ha1`` (as stored).
    """
    if credentials.realm != realm:
        return AuthVerdict.FAILED
    status = issuer.check(credentials.nonce, now, max_age)
    if status is NonceStatus.INVALID:
        return AuthVerdict.FAILED
    if not verify_credentials(credentials, method=method, password=password, ha1=ha1, body=body):
        return AuthVerdict.FAILED
    if status is NonceStatus.STALE:
        return AuthVerdict.STALE
    if counter is not None and credentials.qop is not None:
        try:
            nc = credentials.nonce_count
        except SipError:
            return AuthVerdict.FAILED
        if nc is None or not counter.accept(credentials.nonce, nc):
            return AuthVerdict.FAILED
    return AuthVerdict.OK
