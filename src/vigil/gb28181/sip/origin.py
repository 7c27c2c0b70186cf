"""Who may speak for a registered device: the address of its registration, and nothing else.

GB/T 28181 has no per-message authentication: a MESSAGE or NOTIFY names its device in From, which
anyone can write. Only the REGISTER is authenticated (digest), so the registration's transport,
host and port — over TCP, its connection, which the same triple names — are what a device's other
requests are checked against:

* out of any dialog, a request From a registered device (or lower platform) is accepted only from
  its registration; a device behind a lower platform speaks through the platform, From the
  platform's ID, so it is the platform's registration that counts;
* inside a call (a MediaStatus MESSAGE, a BYE) the request comes From the channel, so it is
  checked against the registration of the device the call went to (through its lower platform
  when it has one).

Anything else gets 403, counts as a failure for the sending host (the registrar's throttle) and
is logged and audited within a budget (see :mod:`.refusals`). A device whose address really
changed (NAT rebinding, 4G handover) is refused the same way, re-registers with digest as devices
do after failed keepalives, and only that REGISTER moves it — it is never moved by an
unauthenticated message, and never marked offline for the move.
"""

from __future__ import annotations

from collections.abc import Callable

from vigil.gb28181.devices.presence import Presence, PresenceTable
from vigil.gb28181.sip.refusals import Refusals
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.sip import SipRequest, SipResponse, make_response

__all__ = ["OriginCheck", "same_origin"]


def same_origin(presence: Presence, peer: Peer) -> bool:
    """Whether ``peer`` is the transport, host and port the device registered from."""
    return (presence.transport, presence.host, presence.port) == (
        peer.transport,
        peer.host,
        peer.port,
    )


class OriginCheck:
    """See the module docstring. ``route`` maps a device to the registered device that reaches
    it (a lower platform for the devices behind it)."""

    def __init__(
        self, presence: PresenceTable, route: Callable[[str], str], refusals: Refusals
    ) -> None:
        self._presence = presence
        self._route = route
        self._refusals = refusals

    async def from_registration(
        self, request: SipRequest, peer: Peer, device_id: str
    ) -> SipResponse | None:
        """None when ``request``, From ``device_id``, came from that device's registration;
        otherwise the 403 to answer (``Not registered`` when it has none)."""
        presence = self._presence.get(device_id)
        if presence is None:
            return make_response(request, 403, "Not registered")
        return await self._compare(request, peer, device_id, presence)

    async def from_dialog_device(
        self, request: SipRequest, peer: Peer, device_id: str
    ) -> SipResponse | None:
        """The same for a request inside a call placed to ``device_id``."""
        presence = self._presence.get(self._route(device_id))
        if presence is None:
            return make_response(request, 403, "Not registered")
        return await self._compare(request, peer, device_id, presence)

    async def _compare(
        self, request: SipRequest, peer: Peer, device_id: str, presence: Presence
    ) -> SipResponse | None:
        if same_origin(presence, peer):
            return None
        detail: dict[str, object] = {
            "reason": "not the address of its registration",
            "method": request.method,
            "from": str(peer),
            "registered": f"{presence.transport}:{presence.address}",
        }
        message = "SIP request refused for its origin"
        await self._refusals.refuse(peer, device_id, message, "gb.origin", detail)
        return make_response(request, 403, "Not the registered address")
