"""DeviceControl from an upper platform (PTZ, presets, guard, record, I-frame…) passed on to the
shared channel's device through the existing GB/T 28181 control path.

The control is the upper platform's own, re-addressed: its ``DeviceID`` becomes the local channel
and its SN one of Vigil's, everything else goes unchanged (strict in what we pass on, but no
command is narrowed to what our own API offers). Controls the standard answers with a Response
(guard, record, alarm reset) are asked of the device and its Result is sent back to the upper
platform with the upper's SN and outward ID; the rest are answered by the device's 200 to the
MESSAGE, which becomes Vigil's answer to the upper platform. A channel not shared is 404. Every
control is audited as ``device.ptz`` or ``device.control`` by ``platform:<SIP ID>``, whatever its
outcome.
"""

from __future__ import annotations

import dataclasses
import logging

from vigil.errors import VigilError
from vigil.gb28181.cascade.links import LinkDown
from vigil.gb28181.cascade.targets import Target, resolve_target
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.gb28181.service import GbService
from vigil.gb28181.sip.messages import MANSCDP, decode_request
from vigil.gb28181.sip.transport import Peer
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note
from vigil.protocols.manscdp import DeviceControl, DeviceControlResponse, encode
from vigil.protocols.sip import SipRequest, SipResponse, make_response
from vigil.store.database import Database
from vigil.store.models.platforms import Platform

__all__ = ["CascadeControl"]

log = logging.getLogger(__name__)

#: Seconds the device may take to accept a control before the upper platform hears 408.
CONTROL_TIMEOUT = 5.0
#: The controls with a Response in the standard: ask the device, relay its Result.
_ANSWERED = ("guard_cmd", "record_cmd", "alarm_cmd")
#: Fields that say what a control does (for the audit record).
_COMMANDS = (
    "ptz_cmd",
    "tele_boot",
    "record_cmd",
    "guard_cmd",
    "alarm_cmd",
    "ifame_cmd",
    "drag_zoom_in",
    "drag_zoom_out",
    "home_position",
    "ptz_precise_ctrl",
    "target_track",
)


class CascadeControl:
    """Passes on DeviceControl MESSAGEs from upper platforms; built by :class:`Vigil`."""

    def __init__(self, gb: GbService, db: Database, audit: AuditLog, links: UpperLinks) -> None:
        self._gb = gb
        self._db = db
        self._audit = audit
        self._links = links

    async def _control(self, platform: Platform, request: SipRequest, peer: Peer) -> SipResponse:
        control = decode_request(request, DeviceControl, "Not A DeviceControl")
        if isinstance(control, SipResponse):
            return control
        target = await resolve_target(self._db, platform, control.device_id)
        if target is None or not target.gb:
            log.info(
                "control for a channel not shared",
                extra={"platform": platform.sip_id, "channel_id": control.device_id},
            )
            return make_response(request, 404, "Not Shared")
        forwarded = dataclasses.replace(control, sn=self._gb.next_sn(), device_id=target.channel_id)
        answered = any(getattr(control, name) is not None for name in _ANSWERED)
        outcome = "ok"
        try:
            if answered:
                result = await self._ask(target, forwarded)
                reply = DeviceControlResponse(
                    sn=control.sn, device_id=target.outward_id, result=result
                )
                await self._reply(platform, reply)
                outcome = "ok" if result == "OK" else f"device answered {result}"
                return make_response(request, 200)
            status = await self._send(target, forwarded)
            outcome = "ok" if 200 <= status < 300 else f"device answered {status}"
            return make_response(request, status if status >= 200 else 500)
        except TimeoutError:
            outcome = "timeout"
            return make_response(request, 408, "Device Did Not Answer")
        except VigilError as exc:  # the device is offline
            outcome = exc.type
            return make_response(request, 480, "Device Unavailable")
        finally:
            await self._record(platform, target, control, outcome, peer)

    async def _send(self, target: Target, control: DeviceControl) -> int:
        response = await self._gb.request(
            target.device_id, "MESSAGE", body=encode(control, "GB2312"), content_type=MANSCDP
        )
        return response.status

    async def _ask(self, target: Target, control: DeviceControl) -> str:
        answer = await self._gb.query(target.device_id, control, timeout=CONTROL_TIMEOUT)
        if isinstance(answer, DeviceControlResponse) and answer.result:
            return answer.result.upper()
        return "ERROR"

    async def _reply(self, platform: Platform, message: DeviceControlResponse) -> None:
        link = self._links.link(platform.id)
        if link is None:
            log.info("no link to send the control's Result on", extra={"sip_id": platform.sip_id})
            return
        try:
            await link.send_manscdp(message)
        except LinkDown as exc:
            log.info("control Result not delivered", extra={"error": str(exc)})

    async def _record(
        self,
        platform: Platform,
        target: Target,
        control: DeviceControl,
        outcome: str,
        peer: Peer,
    ) -> None:
        fields = {
            name: str(value) for name in _COMMANDS if (value := getattr(control, name)) is not None
        }
        await note(
            self._audit,
            Caller.peer(f"platform:{platform.sip_id}", peer.host),
            "device.ptz" if control.ptz_cmd is not None else "device.control",
            f"channel:{target.channel_id}",
            outcome=outcome,
            channel_id=target.channel_id,
            detail={"platform_id": platform.id, "outward_id": target.outward_id, **fields},
        )
