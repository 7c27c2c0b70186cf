"""A simulated lower platform (type 200): registers like a device, reports a tree, streams.

It is a :class:`SimDevice` whose ID is a platform's and whose catalog is a
:class:`~vigil.sim.platform_tree.PlatformTree` instead of one NVR's cameras: the Catalog answer
is the whole tree in several MESSAGEs (``catalog_page_size`` items each, ``SumNum`` the total), a
catalog subscription receives NOTIFYs for :meth:`SimPlatform.notify` (ADD, DEL, UPDATE, ON, OFF),
and every channel of the tree, under whichever device or group, answers INVITE with the same
synthetic video as a simulated camera. Tests that need bad input make it answer Catalog queries
with items of their own (:meth:`SimPlatform.send_catalog_items`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from vigil.protocols.manscdp import (
    CatalogItem,
    CatalogNotify,
    CatalogResponse,
    DeviceInfoResponse,
    Query,
    Response,
)
from vigil.sim.catalog import SimChannel, pages
from vigil.sim.commands import CommandAnswers
from vigil.sim.config import DeviceConfig
from vigil.sim.controls import ControlState
from vigil.sim.device import SimDevice
from vigil.sim.platform_tree import PlatformTree, make_tree
from vigil.sim.sip_link import SipLink

__all__ = ["SimPlatform"]

PLATFORM_TYPE = "200"
CATALOG_EVENTS = ("ADD", "DEL", "UPDATE", "ON", "OFF")


class PlatformAnswers(CommandAnswers):
    """A device's answers, with the tree (or a test's raw items) as the catalog."""

    def __init__(self, config: DeviceConfig, tree: PlatformTree, controls: ControlState) -> None:
        super().__init__(config, lambda: tree.channels, controls)
        self.tree = tree
        #: Items to answer Catalog queries with instead of the tree (bad-input tests).
        self.override: list[CatalogItem] | None = None

    def catalog_pages(self, sn: int) -> list[CatalogResponse]:
        items = self.override if self.override is not None else self.tree.items()
        device_id = self.config.device_id
        return [
            CatalogResponse(sn=sn, device_id=device_id, sum_num=len(items), items=page)
            for page in pages(items, self.config.catalog_page_size)
        ]

    def _device_info(self, query: Query) -> list[Response]:
        (info,) = super()._device_info(query)
        assert isinstance(info, DeviceInfoResponse)
        return [replace(info, device_name="SIM-PLATFORM", device_type="Platform", model="SIM")]


class SimPlatform(SimDevice):
    """``SimPlatform(DeviceConfig(device_id=<…200…>, …), tree=make_tree(…))``."""

    def __init__(
        self, config: DeviceConfig, tree: PlatformTree | None = None, *, link: SipLink | None = None
    ) -> None:
        if config.device_id[10:13] != PLATFORM_TYPE:
            raise ValueError(f"a platform's ID has type code 200, not {config.device_id[10:13]}")
        super().__init__(config, link=link)
        self.tree = tree if tree is not None else make_tree(config.device_id)
        self.platform_answers = PlatformAnswers(config, self.tree, self.controls)
        self.answers = self.platform_answers

    @property
    def channels(self) -> list[SimChannel]:
        """Every channel of the tree: what INVITE, the link and the answers look up."""
        return self.tree.channels

    @channels.setter
    def channels(self, value: list[SimChannel]) -> None:
        """SimDevice's constructor sets its own cameras; a platform's come from its tree."""

    def _attach(self, link: SipLink) -> None:
        """A platform answers requests addressed to any node of its tree (an NVR, a group)."""
        super()._attach(link)
        for node_id in self.tree.nodes:
            link.attach(node_id, self._on_request)

    def _detach(self, link: SipLink) -> None:
        super()._detach(link)
        for node_id in self.tree.nodes:
            link.detach(node_id)

    def send_catalog_items(self, items: Sequence[CatalogItem] | None) -> None:
        """Answer Catalog queries with exactly ``items`` (None: the tree again)."""
        self.platform_answers.override = list(items) if items is not None else None

    async def notify(self, event: str, node_ids: Sequence[str]) -> int:
        """Apply ``event`` to the tree and NOTIFY catalog subscribers; how many accepted.

        ADD and UPDATE send the items as they are now in the tree (add them first with
        ``tree.add``); DEL removes the nodes (a group's subtree with it) and sends only the IDs
        named; ON/OFF set a channel's status.
        """
        if event not in CATALOG_EVENTS:
            raise ValueError(f"event must be one of {CATALOG_EVENTS}, got {event!r}")
        if event in ("ON", "OFF"):
            for node_id in node_ids:
                self.tree.set_status(node_id, event)
        if event == "DEL":
            items = [CatalogItem(device_id=n, event="DEL") for n in node_ids]
            for node_id in node_ids:
                self.tree.remove(node_id)
        else:
            items = [replace(self.tree.item(n), event=event) for n in node_ids]
        if event == "ADD" and self._link is not None:
            self._attach(self._link)  # answer for the new nodes too
        return await self.send_notify(items)

    async def send_notify(self, items: Sequence[CatalogItem]) -> int:
        """NOTIFY these items (each with its Event) to catalog subscribers."""
        notify = CatalogNotify(
            sn=self.next_sn(), device_id=self.device_id, sum_num=len(items), items=tuple(items)
        )
        return await self.subscriptions.notify("catalog", notify)

    async def set_channel_status(self, channel_id: str, status: str) -> int:
        return await self.notify(status, [channel_id])
