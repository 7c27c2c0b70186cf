"""A flood of REGISTERs for unknown devices (issue 13): throttled per address, audited within a
budget, and a good device on another address still registers."""

from __future__ import annotations

from tests.integration.gb28181.conftest import DEVICE_ID, NodeFactory, device
from vigil.app import Vigil
from vigil.gb28181.sip.refusals import PER_ADDRESS, PER_MINUTE
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM


def unknown_id(n: int) -> str:
    return f"3401040000131{n:07d}"


async def register_audits(node: Vigil) -> int:
    return len(await node.audit.page(SYSTEM, AuditFilter(action="gb.register"), None, 1000))


async def test_unknown_register_flood_from_one_address_is_cut_off(gb_factory: NodeFactory) -> None:
    node = await gb_factory(sip_auth_max_failures=5)
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    async with device(node, unknown_id(0), local_host="127.0.0.2") as flooder:
        reasons = []
        for n in range(40):
            flooder.config.device_id = unknown_id(n)
            response = await flooder.register()
            assert response.status == 403
            reasons.append(response.reason)
    assert reasons[-1].startswith("Too many")
    assert sum(r.startswith("Too many") for r in reasons) >= 30
    assert await register_audits(node) == 5
    async with device(node) as camera:  # 127.0.0.1 is not blocked
        assert (await camera.register()).status == 200


async def test_unknown_register_flood_from_many_addresses_is_audited_within_budget(
    gb_factory: NodeFactory,
) -> None:
    node = await gb_factory(sip_auth_max_failures=1000)
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    sent = 0
    for host in range(2, 32):
        async with device(node, unknown_id(host), local_host=f"127.0.1.{host}") as flooder:
            for n in range(PER_ADDRESS + 2):
                flooder.config.device_id = unknown_id(host * 100 + n)
                assert (await flooder.register()).status == 403
                sent += 1
    assert sent > PER_MINUTE
    assert await register_audits(node) == PER_MINUTE
    async with device(node) as camera:
        assert (await camera.register()).status == 200
