"""The MANSCDP routes for what devices report unasked: alarms (answered OK) and positions.

Each report is queued for the report writer (:mod:`.reports`, :mod:`.report_writer`) on the
answer path; an alarm is then acknowledged with an AlarmResponse MESSAGE sent in its own task, so
the NOTIFY or MESSAGE that carried it is answered at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Coroutine

from vigil.errors import Conflict
from vigil.gb28181.devices.reports import Reports
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.manscdp import AlarmNotify, AlarmResponse, Message, MobilePositionNotify
from vigil.protocols.sip import SipResponse

__all__ = ["ReportRoutes"]

SendManscdp = Callable[[str, Message], Awaitable[SipResponse]]
Spawn = Callable[[Coroutine[object, object, None], str], None]


class ReportRoutes:
    """Handlers of Notify/Alarm and Notify/MobilePosition; see the module docstring."""

    def __init__(self, reports: Reports, send: SendManscdp, spawn: Spawn) -> None:
        self._reports = reports
        self._send = send
        self._spawn = spawn

    async def alarm(self, message: Message, device_id: str, peer: Peer) -> None:
        """Queue the alarm; answer it with an AlarmResponse (OK) in the background."""
        assert isinstance(message, AlarmNotify)
        self._reports.alarm(device_id, message)
        answer = AlarmResponse(sn=message.sn, device_id=message.device_id, result="OK")
        self._spawn(self._answer(device_id, answer), f"gb.alarm-answer:{device_id}")

    async def _answer(self, device_id: str, message: Message) -> None:
        with contextlib.suppress(TimeoutError, Conflict):
            await self._send(device_id, message)

    async def position(self, message: Message, device_id: str, peer: Peer) -> None:
        """Queue the position fix."""
        assert isinstance(message, MobilePositionNotify)
        self._reports.position(device_id, message)
