"""REGISTER: digest authentication, admission, expiry and unregistration (GB/T 28181 §9.1).

The decision for one REGISTER, in order:

1. an address past its failure budget gets 403 without further work (see :mod:`..sip.throttle`);
2. the From user must be a device ID (400 otherwise);
3. no Authorization: 401 with a fresh nonce (no database access, so floods are cheap);
4. the device must be in the catalog, or ``sip_admit_unknown`` set (an unknown device is a
   failure counted against the address, so a flood of made-up IDs is cut off like a guesser);
   its secret is its own password's HA1 (:mod:`.device_passwords`) or ``VIGIL_SIP_PASSWORD``;
   with neither, 403 — there is no default; an HA1 made for another SIP domain is refused with
   that reason (the password must be set again after the domain changed);
5. the digest must verify: a stale nonce gets 401 ``stale=true``, a wrong one 403, an audit record
   and a failure counted against the address;
6. Expires 0 unregisters; otherwise the registration lasts ``min(asked, register_expires_max)``.

Refusals are logged and audited within a budget (see :mod:`..sip.refusals`), so a flood from many
addresses cannot fill the log or the audit log either.

The 200 carries ``Date`` in the device's local time, which GB/T 28181 devices use to set clocks.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from vigil.catalog.ids import check_device_id
from vigil.config import Settings
from vigil.errors import Invalid
from vigil.gb28181.devices.device_passwords import DeviceAuth, DevicePasswords
from vigil.gb28181.devices.device_records import DeviceRecords
from vigil.gb28181.sip.refusals import Refusals
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.errors import ProtocolError
from vigil.protocols.sip import (
    AuthVerdict,
    DigestCredentials,
    NonceCounter,
    NonceIssuer,
    SipRequest,
    SipResponse,
    authenticate,
    make_response,
)

__all__ = ["RegisterOutcome", "Registrar", "Registration"]

#: Seconds a nonce stays good; devices refresh well within it, older ones get ``stale=true``.
NONCE_MAX_AGE = 600.0
#: Expiry asked for when a REGISTER names none (RFC 3261 §10.2.1.1 suggests 3600).
DEFAULT_EXPIRES = 3600


@dataclass(frozen=True, slots=True)
class Registration:
    """A REGISTER that passed: who, from where, for how long (0: unregister)."""

    device_id: str
    peer: Peer
    expires: int
    contact: str | None
    gb_version: str | None


@dataclass(frozen=True, slots=True)
class RegisterOutcome:
    """The registrar's decision: the response to send, and the registration when it passed
    (the service applies it to presence before the response goes out)."""

    response: SipResponse
    registration: Registration | None = None


def _expires(request: SipRequest) -> int:
    contact = request.contact
    value = contact.param("expires") if contact is not None else None
    value = value if value is not None else request.headers.get("Expires")
    if value is None:
        return DEFAULT_EXPIRES
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 10:
        raise ProtocolError(f"Expires {value[:20]!r} is not a number of seconds")
    return int(value)


class Registrar:
    """Decides each REGISTER (see the module docstring) and says what it decided."""

    def __init__(
        self,
        settings: Settings,
        records: DeviceRecords,
        passwords: DevicePasswords,
        refusals: Refusals,
        clock: Callable[[], float],
        nonce_secret: bytes | None = None,
    ) -> None:
        """``nonce_secret``: shared by the nodes that may see one device's two REGISTERs
        (random by default, for a single node)."""
        self._settings = settings
        self._records = records
        self._passwords = passwords
        self._refusals = refusals
        self._clock = clock
        self._issuer = NonceIssuer(nonce_secret or secrets.token_bytes(32))
        self._counter = NonceCounter()
        self._zone = ZoneInfo(settings.timezone)

    async def handle(self, request: SipRequest, peer: Peer) -> RegisterOutcome:
        """The answer to one REGISTER, with the registration when it passed (see the module)."""
        now = self._clock()
        if self._refusals.blocked(peer):
            return RegisterOutcome(make_response(request, 403, "Too many failed registrations"))
        device_id = request.from_.uri.user or ""
        try:
            check_device_id(device_id)
        except Invalid as exc:
            raise ProtocolError(str(exc)) from None
        authorization = request.headers.get("Authorization")
        if authorization is None:
            return RegisterOutcome(self._challenge(request, now, stale=False))
        credentials = DigestCredentials.parse(authorization)
        if credentials.username != device_id:
            return await self._refuse(request, peer, device_id, "username is not the device ID")
        auth = await self._passwords.auth(device_id)
        if not auth.known and not self._settings.sip_admit_unknown:
            return await self._refuse(request, peer, device_id, "unknown device")
        return await self._verify(request, peer, credentials, auth, now)

    async def _verify(
        self,
        request: SipRequest,
        peer: Peer,
        credentials: DigestCredentials,
        auth: DeviceAuth,
        now: float,
    ) -> RegisterOutcome:
        """The digest check of a REGISTER whose device may register, and what follows it."""
        device_id = credentials.username
        realm = self._settings.sip_domain
        if auth.ha1 is not None and auth.realm != realm:
            reason = f"password set for SIP domain {auth.realm}, not {realm}: set it again"
            return await self._refuse(request, peer, device_id, reason, count=False)
        password = self._password() if auth.ha1 is None else None
        if auth.ha1 is None and password is None:
            return await self._refuse(request, peer, device_id, "no password set", count=False)
        verdict = authenticate(
            credentials,
            method="REGISTER",
            password=password,
            ha1=auth.ha1,
            realm=realm,
            issuer=self._issuer,
            now=now,
            max_age=NONCE_MAX_AGE,
            counter=self._counter,
        )
        if verdict is AuthVerdict.STALE:
            return RegisterOutcome(self._challenge(request, now, stale=True))
        if verdict is AuthVerdict.FAILED:
            return await self._refuse(request, peer, device_id, "wrong credentials")
        self._refusals.succeeded(peer)
        if not auth.known:
            await self._records.admit(device_id, peer.transport)
        return self._accept(request, peer, device_id)

    def _password(self) -> str | None:
        secret = self._settings.sip_password
        return secret.get_secret_value() if secret is not None else None

    def _challenge(self, request: SipRequest, now: float, *, stale: bool) -> SipResponse:
        challenge = self._issuer.challenge(self._settings.sip_domain, now, stale=stale)
        return make_response(request, 401, headers=[("WWW-Authenticate", str(challenge))])

    async def _refuse(
        self, request: SipRequest, peer: Peer, device_id: str, reason: str, *, count: bool = True
    ) -> RegisterOutcome:
        detail: dict[str, object] = {"reason": reason, "transport": peer.transport}
        message = "registration refused"
        await self._refusals.refuse(peer, device_id, message, "gb.register", detail, count=count)
        return RegisterOutcome(make_response(request, 403))

    def _accept(self, request: SipRequest, peer: Peer, device_id: str) -> RegisterOutcome:
        expires = min(_expires(request), self._settings.register_expires_max)
        contact = request.contact
        registration = Registration(
            device_id,
            peer,
            expires,
            str(contact.uri) if contact is not None else None,
            request.headers.get("X-GB-Ver"),
        )
        local = datetime.now(self._zone).replace(tzinfo=None)
        headers = [
            ("Date", local.isoformat(timespec="milliseconds")),
            ("Expires", str(expires)),
        ]
        if contact is not None:
            headers.append(("Contact", f"<{contact.uri}>;expires={expires}"))
        return RegisterOutcome(make_response(request, 200, headers=headers), registration)
