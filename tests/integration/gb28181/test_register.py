"""Registration with digest, keepalive and presence over real UDP and TCP sockets."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.integration.gb28181.conftest import DEVICE_ID, NodeFactory, device, eventually
from vigil.app import Vigil
from vigil.governance.audit import AuditFilter
from vigil.governance.permissions import SYSTEM
from vigil.store.models import DeviceStatusEvent, OrgKind


async def status_events(node: Vigil, device_id: str = DEVICE_ID) -> list[tuple[bool, str]]:
    async with node.db.session() as session:
        rows = await session.scalars(
            select(DeviceStatusEvent)
            .where(DeviceStatusEvent.device_id == device_id)
            .order_by(DeviceStatusEvent.id)
        )
        return [(row.online, row.reason) for row in rows]


@pytest.mark.parametrize("transport", ["udp", "tcp"])
async def test_register_and_keepalive(
    gb_node: Vigil, api: httpx.AsyncClient, transport: str
) -> None:
    async with device(gb_node, transport=transport) as camera:
        response = await camera.register()
        assert response.status == 200
        assert response.headers.get("Expires") == "3600"
        assert response.headers.get("Date")
        assert (await camera.keepalive()).status == 200

        async def online() -> bool:
            body = (await api.get(f"/api/v1/devices/{DEVICE_ID}")).json()
            return bool(body["online"] and body["last_keepalive"])

        await eventually(online)
        body = (await api.get(f"/api/v1/devices/{DEVICE_ID}")).json()
        assert body["transport"] == transport
        assert body["address"] == f"{camera.local[0]}:{camera.local[1]}"
        assert body["gb_version"] == "2.0"
        assert "sip_password" not in body and "password" not in str(body)
        assert [d["id"] for d in (await api.get("/api/v1/devices")).json()["items"]] == [DEVICE_ID]
        assert (await status_events(gb_node))[0] == (True, "registered")


async def test_first_register_is_challenged(gb_node: Vigil) -> None:
    async with device(gb_node) as camera:
        first = await camera.send(camera._request("REGISTER", headers=[("Expires", "60")]))
    assert first.status == 401
    challenge = first.headers.get("WWW-Authenticate") or ""
    assert challenge.startswith("Digest ") and 'realm="3402000000"' in challenge


async def test_wrong_password_is_refused_audited_and_throttled(gb_factory: NodeFactory) -> None:
    node = await gb_factory(sip_auth_max_failures=3)
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    async with device(node) as camera:
        for _ in range(3):
            assert (await camera.register(password="wrong-password")).status == 403
        throttled = await camera.register()
        assert throttled.status == 403 and "Too many" in throttled.reason
    records = await node.audit.page(SYSTEM, AuditFilter(action="gb.register"), None, 10)
    assert len(records) == 3
    assert {r.outcome for r in records} == {"denied"} and records[0].source == "127.0.0.1"
    assert "wrong credentials" in records[0].detail
    assert "wrong-password" not in records[0].detail
    assert node.gb.device(DEVICE_ID) is None


async def test_no_password_anywhere_is_refused(gb_factory: NodeFactory) -> None:
    node = await gb_factory(sip_password=None)
    await node.devices.create(SYSTEM, DEVICE_ID, {"name": "camera one"})
    async with device(node) as camera:
        assert (await camera.register()).status == 403
    await node.gb.set_password(SYSTEM, DEVICE_ID, "Own-Password-9")
    async with device(node) as camera:
        assert (await camera.register(password="Own-Password-9")).status == 200


async def test_unknown_devices_refused_or_admitted_under_their_region(
    gb_factory: NodeFactory,
) -> None:
    refusing = await gb_factory()
    async with device(refusing) as camera:
        assert (await camera.register()).status == 403
    admitting = await gb_factory(sip_admit_unknown=True)
    await admitting.organisations.create(SYSTEM, "34", "安徽省", OrgKind.region, None)
    await admitting.organisations.create(SYSTEM, "3401", "合肥市", OrgKind.region, "34")
    async with device(admitting) as camera:
        assert (await camera.register()).status == 200
    admitted = await admitting.devices.get(SYSTEM, DEVICE_ID)
    assert admitted.organisation_id == "3401"


async def test_unregister_goes_offline_with_reason(gb_node: Vigil) -> None:
    async with device(gb_node) as camera:
        assert (await camera.register()).status == 200
        assert (await camera.register(expires=0)).status == 200
        assert gb_node.gb.device(DEVICE_ID) is None
        assert (await camera.keepalive()).status == 403

        async def recorded() -> bool:
            return await status_events(gb_node) == [(True, "registered"), (False, "unregistered")]

        await eventually(recorded)


async def test_silent_device_goes_offline_then_returns_from_another_address_by_registering(
    gb_node: Vigil, api: httpx.AsyncClient
) -> None:
    interval, missed = gb_node.settings.keepalive_interval, gb_node.settings.keepalive_missed
    camera = device(gb_node)
    async with camera:
        assert (await camera.register()).status == 200
        registered_at = asyncio.get_running_loop().time()
        first_address = camera.local

        async def offline() -> bool:
            presence = gb_node.gb.device(DEVICE_ID)
            return presence is not None and not presence.online

        await eventually(offline, timeout=interval * missed + 1.5)
        assert asyncio.get_running_loop().time() - registered_at <= interval * missed + 1.0
        await camera.reopen()
        assert camera.local != first_address
        # A keepalive from another address moves nothing: refused, the device registers again.
        assert (await camera.keepalive()).status == 403
        assert (await camera.register()).status == 200
        assert (await camera.keepalive()).status == 200
        presence = gb_node.gb.device(DEVICE_ID)
        assert presence is not None and presence.online
        assert presence.port == camera.local[1]

        async def api_shows_new_address() -> bool:
            body = (await api.get(f"/api/v1/devices/{DEVICE_ID}")).json()
            return bool(body["online"]) and body["address"] == f"127.0.0.1:{camera.local[1]}"

        # The status writer stores it off the answer path: seconds on a loaded machine.
        await eventually(api_shows_new_address, timeout=15)
    assert await status_events(gb_node) == [
        (True, "registered"),
        (False, "keepalive_timeout"),
        (True, "registered"),
    ]


async def test_address_change_while_online_updates_contact_by_register(gb_node: Vigil) -> None:
    camera = device(gb_node)
    async with camera:
        assert (await camera.register()).status == 200
        await camera.reopen()
        assert (await camera.keepalive()).status == 403
        assert (await camera.register()).status == 200
        assert (await camera.keepalive()).status == 200
        presence = gb_node.gb.device(DEVICE_ID)
        assert presence is not None and presence.online and presence.port == camera.local[1]

        async def recorded() -> bool:
            return (True, "address_changed") in await status_events(gb_node)

        await eventually(recorded)
        assert (False, "keepalive_timeout") not in await status_events(gb_node)


async def test_sip_udp_receive_buffer_is_enlarged(gb_node: Vigil) -> None:
    """Bursts of a city's requests wait in the socket, not dropped, while the loop is busy."""
    default = int(Path("/proc/sys/net/core/rmem_default").read_text())
    ceiling = int(Path("/proc/sys/net/core/rmem_max").read_text())
    sock = gb_node.gb.endpoint._udp.get_extra_info("socket")  # type: ignore[union-attr]
    size = sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    assert size > 2 * default or ceiling <= default  # Linux reports twice the size it keeps
