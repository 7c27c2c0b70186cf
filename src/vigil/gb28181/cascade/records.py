"""RecordInfo from an upper platform: the shared channel's recordings, Vigil's own first.

Vigil's recording segments in the asked range are merged where they follow each other (a gap
under :data:`JOIN_GAP` seconds is no gap) and listed as items under the outward ID; when Vigil
holds nothing there and the channel's device is a GB/T 28181 one, the device is asked (its own
RecordInfo through :meth:`DeviceControls.search_device`) and its items are passed on under the
outward ID. The MESSAGE is answered 200 at once; the items follow in Response MESSAGEs of the
platform's ``items_per_message`` each, every one with the full ``SumNum`` (one empty Response
when there is nothing). Times are local without an offset, in Vigil's configured zone, as the
standard writes them. Audited as ``video.records`` by ``platform:<SIP ID>``.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime

from vigil.errors import VigilError
from vigil.gb28181.cascade.links import LinkDown
from vigil.gb28181.cascade.targets import Target, resolve_target
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.gb28181.devices.device_control import DeviceControls
from vigil.gb28181.service import GbService
from vigil.gb28181.sip.messages import decode_request
from vigil.gb28181.sip.transport import Peer
from vigil.governance.audit import AuditLog
from vigil.governance.audited import Caller, note
from vigil.media import RecordingService
from vigil.protocols.manscdp import RecordInfoQuery, RecordInfoResponse, RecordItem
from vigil.protocols.sip import SipRequest, SipResponse, make_response
from vigil.store.database import Database
from vigil.store.models import RecordingSegment
from vigil.store.models.platforms import Platform
from vigil.tasks import OwnedTasks

__all__ = ["CascadeRecords", "merge_segments"]

log = logging.getLogger(__name__)

#: Seconds between two segments that still count as one recording.
JOIN_GAP = 1.0


def merge_segments(rows: list[RecordingSegment]) -> list[tuple[datetime, datetime]]:
    """Spans of recording: segments (in start order) joined where they follow each other."""
    spans: list[tuple[datetime, datetime]] = []
    for row in rows:
        if spans and (row.start - spans[-1][1]).total_seconds() <= JOIN_GAP:
            spans[-1] = (spans[-1][0], max(spans[-1][1], row.end))
        else:
            spans.append((row.start, row.end))
    return spans


class CascadeRecords:
    """Answers RecordInfo queries from upper platforms; built by :class:`Vigil`."""

    def __init__(
        self,
        gb: GbService,
        db: Database,
        audit: AuditLog,
        links: UpperLinks,
        recording: RecordingService,
        controls: DeviceControls,
    ) -> None:
        self._gb = gb
        self._db = db
        self._audit = audit
        self._links = links
        self._recording = recording
        self._controls = controls
        self._tasks = OwnedTasks()

    async def stop(self) -> None:
        await self._tasks.stop()

    async def _query(self, platform: Platform, request: SipRequest, peer: Peer) -> SipResponse:
        query = decode_request(request, RecordInfoQuery, "Not A RecordInfo Query")
        if isinstance(query, SipResponse):
            return query
        if query.start_time is None or query.end_time is None:
            return make_response(request, 400, "RecordInfo Needs StartTime And EndTime")
        target = await resolve_target(self._db, platform, query.device_id)
        if target is None:
            return make_response(request, 404, "Not Shared")
        name = f"cascade.records:{target.channel_id}"
        self._tasks.spawn(self._answer(platform, query, target, peer), name)
        return make_response(request, 200)

    async def _answer(
        self, platform: Platform, query: RecordInfoQuery, target: Target, peer: Peer
    ) -> None:
        zone = self._gb.settings.zone
        assert query.start_time is not None and query.end_time is not None
        start = query.start_time.replace(tzinfo=zone)
        end = query.end_time.replace(tzinfo=zone)
        rows = await self._recording.index.segments(target.channel_id, start, end)
        source = "vigil"
        items = [
            RecordItem(
                device_id=target.outward_id,
                name=target.name,
                start_time=span_start.astimezone(zone).replace(tzinfo=None),
                end_time=span_end.astimezone(zone).replace(tzinfo=None),
                secrecy=0,
                type="time",
            )
            for span_start, span_end in merge_segments(rows)
        ]
        if not items and target.gb:
            source = "device"
            try:
                found = await self._controls.search_device(
                    target.device_id, target.channel_id, start, end
                )
            except (VigilError, TimeoutError) as exc:
                log.info("device record search failed", extra={"error": str(exc)})
                found = []
            items = [_outward(item, target) for item in found]
        await note(
            self._audit,
            Caller.peer(f"platform:{platform.sip_id}", peer.host),
            "video.records",
            f"channel:{target.channel_id}",
            channel_id=target.channel_id,
            detail={
                "platform_id": platform.id,
                "outward_id": target.outward_id,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "items": len(items),
                "from": source,
            },
        )
        await self._send(platform, query.sn, target, items)

    async def _send(
        self, platform: Platform, sn: int, target: Target, items: list[RecordItem]
    ) -> None:
        link = self._links.link(platform.id)
        if link is None:
            log.info("no link to answer RecordInfo on", extra={"sip_id": platform.sip_id})
            return
        size = max(1, platform.items_per_message)
        pages = [items[at : at + size] for at in range(0, len(items), size)] or [[]]
        for page in pages:
            response = RecordInfoResponse(
                sn=sn,
                device_id=target.outward_id,
                name=target.name,
                sum_num=len(items),
                items=tuple(page),
            )
            try:
                await link.send_manscdp(response)
            except LinkDown as exc:  # the upper platform will ask again
                log.info("RecordInfo answer not delivered", extra={"error": str(exc)})
                return


def _outward(item: RecordItem, target: Target) -> RecordItem:
    """A device's item under the outward ID (the device names the channel by its own ID)."""
    return dataclasses.replace(item, device_id=target.outward_id)
