"""Organisation scopes are enforced by the services: a user acts only inside their subtree."""

from __future__ import annotations

import httpx

from tests.integration.api.helpers import HEFEI_CHANNEL, WUHU_CHANNEL, add_user, build_tree


async def test_viewer_scoped_to_one_city_cannot_reach_another(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    viewer = await add_user(client, admin, "hefei-viewer", "viewer", ["3401"])

    own = await client.get(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=viewer)
    assert own.status_code == 200
    other = await client.get(f"/api/v1/channels/{WUHU_CHANNEL}", headers=viewer)
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"

    listed = await client.get("/api/v1/channels", headers=viewer)
    assert [c["id"] for c in listed.json()["items"]] == [HEFEI_CHANNEL]
    devices = await client.get("/api/v1/devices", headers=viewer)
    assert [d["organisation_id"] for d in devices.json()["items"]] == ["3401"]
    assert (
        await client.get("/api/v1/devices/34020000001180000001", headers=viewer)
    ).status_code == 403

    act = await client.patch(f"/api/v1/channels/{WUHU_CHANNEL}", headers=viewer, json={"name": "x"})
    assert act.status_code == 403
    own_write = await client.patch(
        f"/api/v1/channels/{HEFEI_CHANNEL}", headers=viewer, json={"name": "x"}
    )
    assert own_write.status_code == 403  # viewers read, never write


async def test_operator_writes_only_inside_scope(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    operator = await add_user(client, admin, "wuhu-operator", "operator", ["3402"])
    inside = await client.patch(
        f"/api/v1/channels/{WUHU_CHANNEL}", headers=operator, json={"heading": 45.5, "fov": 90}
    )
    assert inside.status_code == 200
    assert inside.json()["heading"] == 45.5
    outside = await client.delete(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=operator)
    assert outside.status_code == 403
    moved = await client.patch(
        f"/api/v1/channels/{WUHU_CHANNEL}", headers=operator, json={"organisation_id": "3401"}
    )
    assert moved.status_code == 403
    still = await client.get(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=admin)
    assert still.status_code == 200


async def test_unscoped_viewer_sees_nothing(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    viewer = await add_user(client, admin, "lost-viewer", "viewer", [])
    listed = await client.get("/api/v1/channels", headers=viewer)
    assert listed.json()["items"] == []
    assert (
        await client.get(f"/api/v1/channels/{HEFEI_CHANNEL}", headers=viewer)
    ).status_code == 403


async def test_viewer_cannot_manage_users(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    await build_tree(client, admin)
    viewer = await add_user(client, admin, "curious", "viewer", ["34"])
    assert (await client.get("/api/v1/users", headers=viewer)).status_code == 403
    body = {"username": "evil", "password": "Evil-Password-1", "role": "admin"}
    assert (await client.post("/api/v1/users", headers=viewer, json=body)).status_code == 403
