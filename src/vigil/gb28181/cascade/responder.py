"""Answering an upper platform's queries about the shared tree: Catalog, DeviceInfo, DeviceStatus.

Only shared channels exist for an upper platform: a query about any other ID gets 404 (and the
dispatcher's audit record). A query is accepted with 200 at once; the Response MESSAGE(s) follow
through the platform's link, the Catalog split into parts of ``items_per_message`` items, each
with ``SumNum`` the size of the whole catalog, so the upper platform knows when it has it all.
The upper platform addresses Vigil itself by the link's local ID.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from vigil import __version__
from vigil.gb28181.cascade.catalog_items import ChannelRow, load_channels, tree_items
from vigil.gb28181.cascade.links import LinkDown, UpperLink
from vigil.gb28181.cascade.shares import SharedTree, resolve
from vigil.gb28181.cascade.upper import UpperLinks
from vigil.gb28181.sip.messages import LIMITS
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.errors import ProtocolError
from vigil.protocols.manscdp import (
    Addressed,
    CatalogResponse,
    DeviceInfoResponse,
    DeviceStatusResponse,
    Response,
    decode,
)
from vigil.protocols.sip import SipRequest, SipResponse, make_response
from vigil.store.database import Database
from vigil.store.models.platforms import Platform
from vigil.tasks import OwnedTasks

__all__ = ["CascadeResponder"]

log = logging.getLogger(__name__)

#: The name Vigil gives itself in DeviceInfo.
PLATFORM_NAME = "Vigil"

_Build = Callable[[Platform, UpperLink, Addressed], Awaitable[Response | None]]
"""The Response to a query about the shared tree, None when it names nothing shared."""


class CascadeResponder:
    """Answers upper platforms' Catalog, DeviceInfo and DeviceStatus queries; see the module."""

    def __init__(self, db: Database, links: UpperLinks, zone: str) -> None:
        self._db = db
        self._links = links
        self._zone = ZoneInfo(zone)
        self._tasks = OwnedTasks()

    async def stop(self) -> None:
        await self._tasks.stop()

    async def _tree(self, platform: Platform) -> SharedTree:
        async with self._db.session() as session:
            return await resolve(session, platform)

    async def _shared_row(self, tree: SharedTree, device_id: str) -> ChannelRow | None:
        """The shared channel ``device_id`` names, with its device; None when not shared."""
        shared = tree.channels.get(device_id)
        if shared is None:
            return None
        async with self._db.session() as session:
            return (await load_channels(session, [shared.local_id])).get(shared.local_id)

    def _accept(
        self, platform: Platform, request: SipRequest
    ) -> tuple[UpperLink | None, Addressed, SipResponse | None]:
        """The link to answer through and the query, or the SIP refusal."""
        message = decode(request.body, LIMITS)
        if not isinstance(message, Addressed):
            raise ProtocolError("a query names a DeviceID")
        link = self._links.link(platform.id)
        if link is None:
            return None, message, make_response(request, 403, "No link to this platform")
        return link, message, None

    async def _catalog(self, platform: Platform, request: SipRequest, peer: Peer) -> SipResponse:
        link, query, refusal = self._accept(platform, request)
        if link is None:
            assert refusal is not None
            return refusal
        if query.device_id != link.local_id:
            return make_response(request, 404, "Not shared")
        self._tasks.spawn(self._send_catalog(link, query.sn), f"cascade.catalog:{platform.sip_id}")
        return make_response(request, 200)

    async def _send_catalog(self, link: UpperLink, sn: int) -> None:
        platform = link.platform
        async with self._db.session() as session:
            tree = await resolve(session, platform)
            items = await tree_items(session, tree, link.local_id, platform.edition)
        size = max(1, platform.items_per_message)
        parts = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
        for part in parts:
            answer = CatalogResponse(
                sn=sn, device_id=link.local_id, sum_num=len(items), items=tuple(part)
            )
            if not await self._send(link, answer):
                return
        log.info(
            "catalog sent to upper platform",
            extra={"sip_id": platform.sip_id, "items": len(items), "parts": len(parts)},
        )

    async def _send(self, link: UpperLink, message: Response) -> bool:
        try:
            response = await link.send_manscdp(message)
        except LinkDown as exc:
            log.warning(
                "answer to upper platform lost",
                extra={"sip_id": link.platform.sip_id, "error": str(exc)},
            )
            return False
        return 200 <= response.status < 300

    async def _device_info(
        self, platform: Platform, request: SipRequest, peer: Peer
    ) -> SipResponse:
        return await self._respond(platform, request, "device-info", self._info)

    async def _device_status(
        self, platform: Platform, request: SipRequest, peer: Peer
    ) -> SipResponse:
        return await self._respond(platform, request, "device-status", self._status)

    async def _respond(
        self, platform: Platform, request: SipRequest, kind: str, build: _Build
    ) -> SipResponse:
        """Accept a query with 200 and send ``build``'s Response after; 404 when not shared."""
        link, query, refusal = self._accept(platform, request)
        if link is None:
            assert refusal is not None
            return refusal
        answer = await build(platform, link, query)
        if answer is None:
            return make_response(request, 404, "Not shared")
        self._tasks.spawn(self._send_one(link, answer), f"cascade.{kind}:{platform.sip_id}")
        return make_response(request, 200)

    async def _send_one(self, link: UpperLink, message: Response) -> None:
        await self._send(link, message)

    async def _info(
        self, platform: Platform, link: UpperLink, query: Addressed
    ) -> DeviceInfoResponse | None:
        tree = await self._tree(platform)
        if query.device_id == link.local_id:
            return DeviceInfoResponse(
                sn=query.sn,
                device_id=query.device_id,
                device_name=PLATFORM_NAME,
                result="OK",
                manufacturer="Vigil",
                model="Vigil platform",
                firmware=__version__,
                channel=len(tree.channels),
            )
        row = await self._shared_row(tree, query.device_id)
        if row is None:
            return None
        channel, device = row
        return DeviceInfoResponse(
            sn=query.sn,
            device_id=query.device_id,
            device_name=channel.name,
            result="OK",
            manufacturer=device.manufacturer if device is not None else None,
            model=device.model if device is not None else None,
            firmware=device.firmware if device is not None else None,
            channel=1,
        )

    async def _status(
        self, platform: Platform, link: UpperLink, query: Addressed
    ) -> DeviceStatusResponse | None:
        if query.device_id == link.local_id:
            online = True
        else:
            row = await self._shared_row(await self._tree(platform), query.device_id)
            if row is None:
                return None
            channel, device = row
            online = channel.status == "online" and (device is None or device.online)
        return DeviceStatusResponse(
            sn=query.sn,
            device_id=query.device_id,
            result="OK",
            online="ONLINE" if online else "OFFLINE",
            status="OK",
            encode="ON" if online else "OFF",
            record="OFF",
            device_time=datetime.now(self._zone).replace(tzinfo=None, microsecond=0),
        )
