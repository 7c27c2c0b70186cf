"""Camera and device control over GB/T 28181: PTZ, presets, guard, reboot, record, I-frame,
drag-zoom, and the device-side recording search (RecordInfo).

Each call takes the caller's :class:`Principal`, asks the access policy for controls of a
channel (action ``ptz``: ``device:control``, organisation scope, clearance, time window; see
:mod:`vigil.governance.access_policy`) or checks ``video:playback`` and the channel's scope
through :class:`ChannelService` for the recording search, sends the MANSCDP message to the
channel's device with the channel as ``DeviceID``, and appends an audit record with the channel,
whatever the outcome.

PTZ, reboot and I-frame have no Response in the standard: the device's 200 to the MESSAGE is the
answer. Guard and record answer with a DeviceControl Response whose Result is awaited. A RecordInfo
answer comes in several MESSAGEs (``SumNum`` in each); :class:`RecordSearches` assembles them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from datetime import datetime

from vigil.catalog.channels import ChannelService
from vigil.errors import Conflict, Invalid
from vigil.gb28181.channel_audit import channel_audited
from vigil.gb28181.devices.control_commands import (
    DEVICE_ACTIONS,
    PRESET_ACTIONS,
    DeviceAction,
    ptz_command,
)
from vigil.gb28181.service import GbService
from vigil.gb28181.sip.messages import MANSCDP, require_accepted
from vigil.gb28181.sip.transport import Peer
from vigil.governance.access_policy import AccessAction
from vigil.governance.access_policy_service import AccessPolicy
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, as_caller
from vigil.governance.permissions import Permission, Principal
from vigil.protocols.manscdp import (
    DeviceControl,
    DeviceControlResponse,
    DragZoom,
    Message,
    PresetQuery,
    PresetQueryResponse,
    RecordInfoQuery,
    RecordInfoResponse,
    RecordItem,
    encode,
)
from vigil.protocols.ptz import Preset, PtzCmd

__all__ = ["DeviceControls", "PresetEntry", "RecordSearches"]

log = logging.getLogger(__name__)

#: Seconds a RecordInfo answer may pause between its parts, and the most items kept.
RECORD_PART_TIMEOUT = 5.0
RECORD_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class PresetEntry:
    """One preset a device reported: its number and name."""

    id: int
    name: str


class RecordSearches:
    """Assembles multi-part RecordInfo answers by (device, SN)."""

    def __init__(self) -> None:
        self._parts: dict[tuple[str, int], asyncio.Queue[RecordInfoResponse]] = {}

    async def _part(self, message: Message, device_id: str, peer: Peer) -> None:
        assert isinstance(message, RecordInfoResponse)
        queue = self._parts.get((device_id, message.sn))
        if queue is not None:
            queue.put_nowait(message)

    def expect(self, device_id: str, sn: int) -> asyncio.Queue[RecordInfoResponse]:
        queue: asyncio.Queue[RecordInfoResponse] = asyncio.Queue()
        self._parts[(device_id, sn)] = queue
        return queue

    def forget(self, device_id: str, sn: int) -> None:
        self._parts.pop((device_id, sn), None)

    @staticmethod
    async def collect(queue: asyncio.Queue[RecordInfoResponse]) -> list[RecordItem]:
        """Items until ``SumNum`` arrived (or the device paused too long, or the cap)."""
        items: list[RecordItem] = []
        expected: int | None = None
        while expected is None or len(items) < min(expected, RECORD_LIMIT):
            try:
                part = await asyncio.wait_for(queue.get(), RECORD_PART_TIMEOUT)
            except TimeoutError:
                if expected is None:
                    raise
                break
            expected = part.sum_num or 0
            items.extend(part.items)
        return items[:RECORD_LIMIT]


class DeviceControls:
    """See the module docstring; built by :class:`vigil.app.Vigil`."""

    def __init__(
        self, gb: GbService, channels: ChannelService, audit: AuditLog, policy: AccessPolicy
    ) -> None:
        self._gb = gb
        self._channels = channels
        self._audit = audit
        self._policy = policy
        self.searches = RecordSearches()

    async def _device_of(
        self, principal: Principal, channel_id: str, permission: Permission
    ) -> str:
        principal.require(permission)
        channel = await self._channels.get(principal, channel_id)
        return channel.device_id

    async def _controlled(self, who: Principal | Caller, channel_id: str) -> str:
        """The channel's device, when the access policy lets the caller control the camera."""
        return (await self._policy.check(who, channel_id, AccessAction.ptz)).device_id

    async def _audited(
        self,
        caller: Caller,
        action: str,
        channel_id: str,
        detail: Mapping[str, object],
        work: Awaitable[None],
    ) -> None:
        try:
            async with channel_audited(self._audit, caller, action, channel_id, detail):
                await work
        except TimeoutError:
            raise Conflict(
                f"the device did not answer {action}", code="device.no_answer", id=channel_id
            ) from None

    async def _send(self, device_id: str, control: DeviceControl) -> None:
        """A DeviceControl with no Response due: the device's 200 is the answer."""
        response = await self._gb.request(
            device_id, "MESSAGE", body=encode(control, "GB2312"), content_type=MANSCDP
        )
        require_accepted(response, device_id, "the control")

    async def _ask(self, device_id: str, control: DeviceControl) -> None:
        answer = await self._gb.query(device_id, control)
        if isinstance(answer, DeviceControlResponse) and (answer.result or "").upper() != "OK":
            raise Conflict(
                f"device {device_id} answered {answer.result}",
                code="device.answered",
                id=device_id,
                result=answer.result,
            )

    def _control(self, channel_id: str, **fields: object) -> DeviceControl:
        return DeviceControl(sn=self._gb.next_sn(), device_id=channel_id, **fields)  # type: ignore[arg-type]

    async def ptz(self, who: Principal | Caller, channel_id: str, action: str, speed: int) -> None:
        """Move, zoom, focus or iris; ``stop`` ends any of them."""
        caller = as_caller(who)
        device_id = await self._controlled(caller, channel_id)
        command = ptz_command(action, speed)
        control = self._control(channel_id, ptz_cmd=str(PtzCmd(command)))
        detail = {"action": action, "speed": speed}
        await self._audited(
            caller, "device.ptz", channel_id, detail, self._send(device_id, control)
        )

    async def preset(
        self, who: Principal | Caller, channel_id: str, action: str, number: int
    ) -> None:
        """Set, call (go to) or delete preset ``number`` (1–255)."""
        caller = as_caller(who)
        device_id = await self._controlled(caller, channel_id)
        if action not in PRESET_ACTIONS or not 1 <= number <= 255:
            raise Invalid(
                "a preset action is set, call or delete with a number 1..255",
                code="ptz.preset",
            )
        command = Preset(PRESET_ACTIONS[action], number)
        control = self._control(channel_id, ptz_cmd=str(PtzCmd(command)))
        detail = {"action": action, "number": number}
        await self._audited(
            caller, "device.preset", channel_id, detail, self._send(device_id, control)
        )

    async def presets(self, principal: Principal, channel_id: str) -> list[PresetEntry]:
        """The channel's presets as the device reports them (PresetQuery)."""
        device_id = await self._controlled(principal, channel_id)
        try:
            answer = await self._gb.query(
                device_id, PresetQuery(sn=self._gb.next_sn(), device_id=channel_id)
            )
        except TimeoutError:
            raise Conflict(
                f"device {device_id} did not answer the preset query",
                code="device.no_answer",
                id=device_id,
            ) from None
        if not isinstance(answer, PresetQueryResponse):
            return []
        return [
            PresetEntry(int(p.preset_id), p.preset_name or f"{p.preset_id}")
            for p in answer.presets
            if p.preset_id and p.preset_id.isdigit()
        ]

    async def device(
        self,
        who: Principal | Caller,
        device_id: str,
        action: DeviceAction,
        channel_id: str | None,
    ) -> None:
        """Guard, unguard, reboot, record start/stop or I-frame, for a channel or the device."""
        caller = as_caller(who)
        principal = caller.principal
        principal.require(Permission.device_control)
        await self._gb.records.visible(principal, device_id)
        if channel_id is not None and await self._controlled(caller, channel_id) != device_id:
            raise Invalid(
                f"channel {channel_id} is not on device {device_id}",
                code="channel.not_on_device",
                id=channel_id,
                device=device_id,
            )
        fields, answered = DEVICE_ACTIONS[action]
        control = self._control(channel_id or device_id, **fields)
        work = self._ask(device_id, control) if answered else self._send(device_id, control)
        audit_channel = channel_id or device_id
        await self._audited(caller, "device.control", audit_channel, {"action": action}, work)

    async def drag_zoom(
        self,
        who: Principal | Caller,
        channel_id: str,
        zoom_in: bool,
        area: DragZoom,
    ) -> None:
        """Zoom in to (or out of) a rectangle the user dragged on the picture."""
        caller = as_caller(who)
        device_id = await self._controlled(caller, channel_id)
        key = "drag_zoom_in" if zoom_in else "drag_zoom_out"
        control = self._control(channel_id, **{key: area})
        detail = {"zoom_in": zoom_in}
        await self._audited(
            caller,
            "device.drag_zoom",
            channel_id,
            detail,
            self._send(device_id, control),
        )

    async def records(
        self, principal: Principal, channel_id: str, start: datetime, end: datetime
    ) -> list[RecordItem]:
        """The device's own recordings of the channel in ``[start, end]`` (RecordInfo)."""
        device_id = await self._device_of(principal, channel_id, Permission.video_playback)
        if end <= start:
            raise Invalid("end must be after start", code="period.order")
        return await self.search_device(device_id, channel_id, start, end)

    async def search_device(
        self, device_id: str, channel_id: str, start: datetime, end: datetime
    ) -> list[RecordItem]:
        """RecordInfo on the device, unchecked: for callers that authorised otherwise (an
        upper platform's shared channel)."""
        zone = self._gb.settings.zone
        sn = self._gb.next_sn()
        query = RecordInfoQuery(
            sn=sn,
            device_id=channel_id,
            start_time=start.astimezone(zone).replace(tzinfo=None),
            end_time=end.astimezone(zone).replace(tzinfo=None),
            type="all",
        )
        # The answer comes from the registered device: a lower platform for a device behind it.
        answerer = self._gb.lower.route(device_id)
        queue = self.searches.expect(answerer, sn)
        try:
            response = await self._gb.request(
                device_id, "MESSAGE", body=encode(query, "GB2312"), content_type=MANSCDP
            )
            require_accepted(response, device_id, "the record query")
            return await self.searches.collect(queue)
        except TimeoutError:
            raise Conflict(
                f"device {device_id} did not answer the record query",
                code="device.no_answer",
                id=device_id,
            ) from None
        finally:
            self.searches.forget(answerer, sn)
