"""A device's catalog: queried and assembled, or notified item by item; stored and published.

:meth:`DeviceCatalogs.sync` sends the Catalog query, waits for all its parts (or the idle timeout,
:mod:`.catalog_sync`) and stores them: a lower platform's with its tree
(:mod:`vigil.gb28181.lower`), any other device's as channels (:mod:`.catalog_writer`). A Catalog
Notify (a subscription's changes) is applied the same way. Either publishes
:class:`~vigil.gb28181.devices.events.CatalogSynced`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from vigil.bus import EventBus
from vigil.gb28181.devices.catalog_sync import CatalogResult, CatalogSync
from vigil.gb28181.devices.catalog_writer import CatalogChanges, CatalogWriter
from vigil.gb28181.devices.events import CatalogSynced
from vigil.gb28181.lower.lower_platforms import LowerPlatforms
from vigil.gb28181.sip.messages import require_accepted
from vigil.gb28181.sip.transport import Peer
from vigil.protocols.manscdp import CatalogNotify, CatalogQuery, CatalogResponse, Message
from vigil.protocols.sip import SipResponse

__all__ = ["DeviceCatalogs"]

#: ``(device_id, body)``: send a MANSCDP MESSAGE to the device, await the final response.
SendManscdp = Callable[[str, Message], Awaitable[SipResponse]]


class DeviceCatalogs:
    """Catalog queries, parts and notifies of registered devices; see the module docstring."""

    def __init__(
        self,
        sync: CatalogSync,
        writer: CatalogWriter,
        lower: LowerPlatforms,
        bus: EventBus,
        send: SendManscdp,
        next_sn: Callable[[], int],
    ) -> None:
        self._sync = sync
        self._writer = writer
        self._lower = lower
        self._bus = bus
        self._send = send
        self._next_sn = next_sn

    async def part(self, message: Message, device_id: str, peer: Peer) -> None:
        """The MANSCDP route for Response/Catalog: one part of an answer being assembled."""
        assert isinstance(message, CatalogResponse)
        self._sync.feed(device_id, message.sn, message.sum_num, message.items)

    async def notified(self, message: Message, device_id: str, peer: Peer) -> None:
        """The MANSCDP route for Notify/Catalog: items added, changed or removed."""
        assert isinstance(message, CatalogNotify)
        if self._lower.holds(device_id):
            changes = await self._lower.apply_events(device_id, message.items)
        else:
            changes = await self._writer.apply_events(device_id, message.items)
        await self._publish(device_id, len(message.items), None, False, changes)

    async def sync(self, device_id: str) -> CatalogResult:
        """Query the device's catalog, wait for all its parts (or the idle timeout), store it."""
        sn = self._next_sn()
        self._sync.begin(device_id, sn)
        try:
            response = await self._send(device_id, CatalogQuery(sn=sn, device_id=device_id))
            require_accepted(response, device_id, "the catalog query")
        except BaseException:
            self._sync.cancel(device_id, sn)
            raise
        result = await self._sync.wait(device_id, sn)
        if self._lower.holds(device_id):
            changes = await self._lower.import_catalog(
                device_id, result.items, complete=result.complete
            )
        else:
            changes = await self._writer.upsert(device_id, result.items, complete=result.complete)
        await self._publish(device_id, len(result.items), result.expected, result.complete, changes)
        return result

    async def _publish(
        self,
        device_id: str,
        received: int,
        expected: int | None,
        complete: bool,
        changes: CatalogChanges,
    ) -> None:
        await self._bus.publish(
            CatalogSynced(
                device_id=device_id,
                received=received,
                expected=expected,
                complete=complete,
                added=changes.added,
                updated=changes.updated,
                deleted=changes.deleted,
            )
        )
