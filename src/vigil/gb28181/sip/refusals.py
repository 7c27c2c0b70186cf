"""Refused SIP requests: a failure counted against the address, a log line and an audit record.

The registrar refuses REGISTERs (wrong credentials, unknown devices) and the origin check refuses
requests that name a device but do not come from its registration (see :mod:`.origin`). Each
refusal may count as a failure for the sending host in the one :class:`AuthThrottle` both share,
so an address that keeps failing is cut off for a while before any database work. The warning and
the audit record are written within a :class:`RateBudget` — per sending host and overall per
minute — because a flood otherwise fills both (2,000 REGISTERs for unknown IDs once wrote 1,381
audit rows). The next record written carries ``skipped``: how many were left out before it.
Nothing secret is logged: the caller passes the reason, never the credentials.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from vigil.config import Settings
from vigil.gb28181.sip.budget import RateBudget
from vigil.gb28181.sip.throttle import AuthThrottle
from vigil.gb28181.sip.transport import Peer
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note

__all__ = ["Refusals"]

log = logging.getLogger(__name__)

#: Refusals logged and audited per sending host and minute.
PER_ADDRESS = 5
#: Refusals logged and audited per minute from all hosts together.
PER_MINUTE = 60


class Refusals:
    """Counts, logs and audits refused SIP requests within a budget."""

    def __init__(
        self,
        audit: AuditLog,
        throttle: AuthThrottle,
        clock: Callable[[], float],
        *,
        per_address: int = PER_ADDRESS,
        per_minute: int = PER_MINUTE,
    ) -> None:
        self._audit = audit
        self.throttle = throttle
        self._clock = clock
        self._budget = RateBudget(per_address, per_minute)

    @classmethod
    def for_settings(
        cls, settings: Settings, audit: AuditLog, clock: Callable[[], float]
    ) -> Refusals:
        """With the throttle ``sip_auth_max_failures`` and ``sip_auth_block_seconds`` set."""
        throttle = AuthThrottle(settings.sip_auth_max_failures, settings.sip_auth_block_seconds)
        return cls(audit, throttle, clock)

    def blocked(self, peer: Peer) -> bool:
        """Whether the peer's host is past its failure budget."""
        return self.throttle.blocked(peer.host, self._clock())

    def succeeded(self, peer: Peer) -> None:
        """An authenticated REGISTER from the host: its failures are forgiven."""
        self.throttle.succeeded(peer.host)

    async def refuse(
        self,
        peer: Peer,
        device_id: str,
        message: str,
        action: str,
        detail: dict[str, object],
        *,
        count: bool = True,
    ) -> None:
        """Count the failure (unless ``count`` is False), then log ``message`` and audit
        ``action`` denied to the device from the peer, both within the budget. ``detail`` holds
        the ``reason`` and what else the record should say (never a credential)."""
        now = self._clock()
        if count and self.throttle.failed(peer.host, now):
            log.warning("SIP address blocked after failed requests", extra={"peer": str(peer)})
        if not self._budget.take(peer.host, now):
            return
        if skipped := self._budget.take_skipped():
            detail = {**detail, "skipped": skipped}
        extra = {"device_id": device_id, "peer": str(peer), "reason": detail.get("reason")}
        log.warning(message, extra=extra)
        caller = Caller.peer(f"device:{device_id}", peer.host)
        await note(
            self._audit, caller, action, f"device/{device_id}", outcome="denied", detail=detail
        )
