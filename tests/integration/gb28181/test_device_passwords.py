"""Device passwords are stored as HA1 for the SIP domain, never in clear text (issue 13)."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from tests.integration.gb28181.conftest import DEVICE_ID, NodeFactory, device
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.audited import Caller
from vigil.governance.permissions import SYSTEM
from vigil.store.models import GbRegistration

PASSWORD = "Own-Password-9"


async def stored_values(node: Vigil) -> list[str]:
    """Every value of every column of gb_registrations, as text."""
    async with node.db.session() as session:
        rows = (await session.execute(text("SELECT * FROM gb_registrations"))).all()
    return [str(value) for row in rows for value in row]


def md5_ha1(realm: str, password: str) -> str:
    return hashlib.md5(f"{DEVICE_ID}:{realm}:{password}".encode()).hexdigest()


async def test_set_password_stores_ha1_and_the_device_registers_with_its_password(
    gb_factory: NodeFactory,
) -> None:
    node = await gb_factory(sip_password=None)
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    await node.gb.set_password(Caller(SYSTEM, "127.0.0.9"), DEVICE_ID, PASSWORD)
    values = await stored_values(node)
    assert values and not any(PASSWORD in value for value in values)
    async with node.db.session() as session:
        row = await session.get(GbRegistration, DEVICE_ID)
    assert row is not None and row.sip_password is None
    assert (row.sip_ha1, row.sip_realm) == (md5_ha1("3402000000", PASSWORD), "3402000000")
    async with device(node) as camera:
        assert (await camera.register(password="Wrong-Password-1")).status == 403
        assert (await camera.register(password=PASSWORD)).status == 200


async def test_clear_text_left_by_an_older_version_is_converted_at_start(
    gb_factory: NodeFactory,
) -> None:
    old = await gb_factory(sip_password=None)
    await old.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    async with old.db.session() as session, session.begin():
        session.add(GbRegistration(device_id=DEVICE_ID, sip_password=PASSWORD))
    node = await gb_factory(sip_password=None)  # the next start, on the same database
    assert not any(PASSWORD in value for value in await stored_values(node))
    async with device(node) as camera:
        assert (await camera.register(password=PASSWORD)).status == 200


async def test_after_a_domain_change_the_device_is_refused_with_that_reason(
    gb_factory: NodeFactory,
) -> None:
    first = await gb_factory(sip_password=None)
    await first.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    await first.gb.set_password(SYSTEM, DEVICE_ID, PASSWORD)
    moved = await gb_factory(sip_password=None, sip_domain="3402000001")
    async with device(moved) as camera:
        assert (await camera.register(password=PASSWORD)).status == 403
        records = await moved.audit.page(SYSTEM, AuditFilter(action="gb.register"), None, 10)
        assert "SIP domain 3402000000, not 3402000001" in records[0].detail
        await moved.gb.set_password(SYSTEM, DEVICE_ID, PASSWORD)  # the remedy
        assert (await camera.register(password=PASSWORD)).status == 200
