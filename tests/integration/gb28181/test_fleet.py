"""The scale bench's fleet against a real node: it registers, answers the catalog, takes the
default subscriptions (positions only from its type-138 devices) and every fix it sends is
stored."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from tests.integration.gb28181.conftest import DEVICE_PASSWORD, NodeFactory, eventually
from vigil.sim.fleet import Fleet, FleetConfig
from vigil.store.models import Channel, Device, DevicePosition

COUNT = 10


async def test_fleet_registers_answers_and_reports(gb_factory: NodeFactory) -> None:
    node = await gb_factory(subscribe_expires=60, keepalive_interval=60)
    server = ("127.0.0.1", node.gb.port)
    fleet = Fleet(FleetConfig(COUNT, server, DEVICE_PASSWORD, mobile_every=5, sockets=3))
    async with node.db.session() as session, session.begin():
        await session.execute(insert(Device), [{"id": i, "name": i} for i in fleet.ids])
    await fleet.open()
    try:
        assert await fleet.register_all() == COUNT

        async def set_up() -> bool:
            async with node.db.session() as session:
                channels = await session.scalar(select(func.count()).select_from(Channel))
            return channels == 4 * COUNT and len(node.gb.subscriptions) == 2 * COUNT + 2

        await eventually(set_up, timeout=20)
        assert sorted(fleet.positions) == [fleet.ids[0], fleet.ids[5]]  # the two 138s
        now = datetime.now(UTC)
        for _ in range(3):
            for dialog in fleet.positions.values():
                fleet.report_position(dialog, now)
        await fleet.settle()

        async def stored() -> bool:
            async with node.db.session() as session:
                rows = await session.scalar(select(func.count()).select_from(DevicePosition))
            return rows == fleet.counts["position"] == 6

        await eventually(stored)
        assert fleet.counts["position:200"] == 6
    finally:
        fleet.close()
