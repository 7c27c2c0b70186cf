"""Catalog CRUD through the API: ID rules, the region tree, pagination, referential checks."""

from __future__ import annotations

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, add_user, build_tree


async def test_device_id_rule_named_in_error(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    short = await client.post("/api/v1/devices", headers=admin, json={"id": "1234", "name": "x"})
    assert short.status_code == 422
    assert "20 digits" in short.json()["detail"]
    platform_group = await client.post(
        "/api/v1/devices", headers=admin, json={"id": "34010000002150000001", "name": "x"}
    )
    assert platform_group.status_code == 422
    assert "type code 215" in platform_group.json()["detail"]


async def test_channel_must_be_front_end_type(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    body = {"id": "34010000001110000009", "device_id": "34010000001180000001", "name": "x"}
    response = await client.post("/api/v1/channels", headers=admin, json=body)
    assert response.status_code == 422
    assert "type code 111" in response.json()["detail"]


async def test_region_must_extend_parent_code(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    wrong = await client.post(
        "/api/v1/organisations", headers=admin, json={"id": "3501", "name": "x", "parent_id": "34"}
    )
    assert wrong.status_code == 422
    implied = await client.post(
        "/api/v1/organisations", headers=admin, json={"id": "340104", "name": "蜀山区"}
    )
    assert implied.status_code == 201
    assert implied.json()["parent_id"] == "3401"


async def test_channel_inherits_device_organisation_and_industry(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    channel = (await client.get(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin)).json()
    assert channel["organisation_id"] == "3401"
    assert channel["industry"] == "00"
    assert channel["heading"] is None  # unknown until surveyed


async def test_cursor_pagination_walks_every_channel(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    device = "34010000001180000001"
    created = {HEFEI_CHANNEL}
    for serial in range(2, 13):
        channel_id = f"3401000000132{serial:07d}"
        body = {"id": channel_id, "device_id": device, "name": f"cam {serial}"}
        assert (await client.post("/api/v1/channels", headers=admin, json=body)).status_code == 201
        created.add(channel_id)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get(f"/api/v1/devices/{device}/channels", headers=admin, params=params)
        ).json()
        seen += [c["id"] for c in page["items"]]
        pages += 1
        cursor = page["next"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == sorted(created)


async def test_bad_cursor_is_422(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    response = await client.get("/api/v1/channels", headers=admin, params={"cursor": "aW50OjE"})
    assert response.status_code == 422
    assert response.json()["detail"] == "malformed cursor"


async def test_organisation_with_children_cannot_be_deleted(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    assert (await client.delete("/api/v1/organisations/34", headers=admin)).status_code == 409
    assert (await client.delete("/api/v1/organisations/3401", headers=admin)).status_code == 409


async def test_device_delete_cascades_to_channels(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    gone = await client.delete("/api/v1/devices/34010000001180000001", headers=admin)
    assert gone.status_code == 204
    assert (await client.get(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin)).status_code == 404


async def test_health_reports_engine(client: httpx.AsyncClient, node) -> None:  # type: ignore[no-untyped-def]
    body = (await client.get("/api/v1/health")).json()
    assert body["status"] == "ok"
    assert body["database"] == node.db.dialect


async def test_virtual_group_tree_and_scoped_membership(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    groups = "/api/v1/virtual-groups"
    business, virtual = "34000000002150000001", "34000000002160000001"
    assert (
        await client.post(groups, headers=admin, json={"id": business, "name": "治安防控"})
    ).status_code == 201
    orphan = await client.post(groups, headers=admin, json={"id": virtual, "name": "重点路口"})
    assert orphan.status_code == 422
    assert "216" in orphan.json()["detail"]
    wrong_type = await client.post(groups, headers=admin, json={"id": HEFEI_CHANNEL, "name": "x"})
    assert "type code 132" in wrong_type.json()["detail"]
    body = {"id": virtual, "name": "重点路口", "parent_id": business}
    assert (await client.post(groups, headers=admin, json=body)).status_code == 201

    members = {"channel_ids": [HEFEI_CHANNEL, "34020000001320000001"]}
    assert (
        await client.post(f"{groups}/{virtual}/channels", headers=admin, json=members)
    ).status_code == 204
    viewer = await add_user(client, admin, "group-viewer", "viewer", ["3401"])
    seen = (await client.get(f"{groups}/{virtual}/channels", headers=viewer)).json()["items"]
    assert [c["id"] for c in seen] == [HEFEI_CHANNEL]
    assert (await client.delete(f"{groups}/{virtual}", headers=viewer)).status_code == 403

    assert (await client.delete(f"{groups}/{business}", headers=admin)).status_code == 204
    assert (await client.get(f"{groups}/{virtual}", headers=admin)).status_code == 404
    assert (await client.get(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin)).status_code == 200
