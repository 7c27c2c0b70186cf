"""Catalog over several MESSAGEs: assembled by SN, stored as channels, partial results kept."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from tests.integration.gb28181.conftest import DEVICE_ID, device, eventually
from vigil.app import Vigil
from vigil.bus import Event
from vigil.gb28181.devices.events import CatalogSynced
from vigil.governance.permissions import SYSTEM
from vigil.protocols.manscdp import CatalogItem
from vigil.store.models import Channel, OrgKind

CHANNELS = [
    CatalogItem(
        device_id=f"340104000013200001{n:02d}",
        name=f"通道 {n}",
        civil_code="340104",
        status="ON" if n % 2 else "OFF",
        longitude=117.2 + n / 100,
        latitude=31.8,
    )
    for n in range(1, 6)
]
#: A region item (not a channel) that catalogs also carry: it must not become a channel.
REGION = CatalogItem(device_id="340104", name="蜀山区")


async def channel_ids(node: Vigil) -> list[str]:
    async with node.db.session() as session:
        rows = await session.scalars(
            select(Channel.id).where(Channel.device_id == DEVICE_ID).order_by(Channel.id)
        )
        return list(rows)


async def test_catalog_in_three_messages_after_registration(
    gb_node: Vigil, api: httpx.AsyncClient
) -> None:
    await gb_node.organisations.create(SYSTEM, "34", "安徽省", OrgKind.region, None)
    await gb_node.organisations.create(SYSTEM, "340104", "蜀山区", OrgKind.region, None)
    synced: list[Event] = []

    async def collect(event: Event) -> None:
        synced.append(event)

    gb_node.bus.subscribe("device.catalog", collect)
    async with device(gb_node, channels=[*CHANNELS, REGION], page_size=2) as camera:
        assert (await camera.register()).status == 200

        async def stored() -> bool:
            return len(await channel_ids(gb_node)) == 5

        await eventually(stored)
        catalog_messages = [
            raw for raw in camera.received_raw if b"SIP/2.0 200" in raw and b"MESSAGE" in raw
        ]
        assert len(catalog_messages) >= 3  # DeviceInfo answer + 3 catalog pages, each got a 200
    page = (await api.get(f"/api/v1/devices/{DEVICE_ID}/channels", params={"limit": 2})).json()
    assert [c["id"] for c in page["items"]] == [CHANNELS[0].device_id, CHANNELS[1].device_id]
    assert page["next"]
    rest = (
        await api.get(
            f"/api/v1/devices/{DEVICE_ID}/channels", params={"limit": 10, "cursor": page["next"]}
        )
    ).json()
    assert len(rest["items"]) == 3 and rest["next"] is None
    first = page["items"][0]
    assert first["status"] == "online" and first["organisation_id"] == "340104"
    assert page["items"][1]["status"] == "offline"
    device_row = (await api.get(f"/api/v1/devices/{DEVICE_ID}")).json()
    assert device_row["manufacturer"] == "Vigil Test" and device_row["name"] == "camera one"
    await eventually(lambda: _true(bool(synced)))
    event = synced[0]
    assert isinstance(event, CatalogSynced)
    assert event.complete and event.expected == 6 and event.received == 6
    assert len(event.added) == 5


async def _true(value: bool) -> bool:
    return value


async def test_refresh_keeps_partial_catalog(gb_node: Vigil, api: httpx.AsyncClient) -> None:
    async with device(gb_node, channels=CHANNELS, page_size=2, answer_catalog=False) as camera:
        assert (await camera.register()).status == 200
        camera.config.answer_catalog = True
        camera.config.drop_catalog_pages = {1}
        response = await api.post(f"/api/v1/devices/{DEVICE_ID}/catalog/refresh")
        assert response.status_code == 200, response.text
        assert response.json() == {"received": 3, "expected": 5, "complete": False}
    assert await channel_ids(gb_node) == [CHANNELS[i].device_id for i in (0, 1, 4)]


async def test_refresh_of_an_offline_device_is_a_conflict(
    gb_node: Vigil, api: httpx.AsyncClient
) -> None:
    response = await api.post(f"/api/v1/devices/{DEVICE_ID}/catalog/refresh")
    assert response.status_code == 409


async def test_password_is_set_by_api_and_never_returned(
    gb_node: Vigil, api: httpx.AsyncClient
) -> None:
    response = await api.put(
        f"/api/v1/devices/{DEVICE_ID}/password", json={"password": "Own-Password-9"}
    )
    assert response.status_code == 204
    assert "Own-Password-9" not in (await api.get(f"/api/v1/devices/{DEVICE_ID}")).text
    async with device(gb_node) as camera:
        assert (await camera.register()).status == 403  # the default no longer applies
        assert (await camera.register(password="Own-Password-9")).status == 200
    short = await api.put(f"/api/v1/devices/{DEVICE_ID}/password", json={"password": "short"})
    assert short.status_code == 422
