"""Building a small catalog through the API, as an operator would."""

from __future__ import annotations

from typing import TypedDict

import httpx

from tests.conftest import login
from vigil.api.server import create_api
from vigil.app import Vigil


class Tree(TypedDict):
    """The catalog the API tests build: organisations, the NVRs in them, their cameras."""

    orgs: list[tuple[str, str, str | None]]  # (id, name, parent)
    devices: list[tuple[str, str]]  # (device, organisation)
    channels: list[tuple[str, str]]  # (channel, device)


TREE: Tree = {
    "orgs": [("34", "安徽省", None), ("3401", "合肥市", "34"), ("3402", "芜湖市", "34")],
    "devices": [("34010000001180000001", "3401"), ("34020000001180000001", "3402")],
    "channels": [
        ("34010000001320000001", "34010000001180000001"),
        ("34020000001320000001", "34020000001180000001"),
    ],
}
HEFEI_CHANNEL, WUHU_CHANNEL = "34010000001320000001", "34020000001320000001"


async def build_tree(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    for org_id, name, parent in TREE["orgs"]:
        body = {"id": org_id, "name": name, "parent_id": parent}
        response = await client.post("/api/v1/organisations", headers=admin, json=body)
        assert response.status_code == 201, response.text
    for device_id, org in TREE["devices"]:
        body = {"id": device_id, "name": f"NVR {org}", "organisation_id": org}
        response = await client.post("/api/v1/devices", headers=admin, json=body)
        assert response.status_code == 201, response.text
    for channel_id, device_id in TREE["channels"]:
        body = {"id": channel_id, "device_id": device_id, "name": f"camera {channel_id[-4:]}"}
        response = await client.post("/api/v1/channels", headers=admin, json=body)
        assert response.status_code == 201, response.text


async def add_user(
    client: httpx.AsyncClient, admin: dict[str, str], name: str, role: str, scopes: list[str]
) -> dict[str, str]:
    password = f"{name}-Pass-12345"
    body = {"username": name, "password": password, "role": role, "scopes": scopes}
    response = await client.post("/api/v1/users", headers=admin, json=body)
    assert response.status_code == 201, response.text
    return await login(client, name, password)


def client_from(node: Vigil, address: str) -> httpx.AsyncClient:
    """A client of the same node whose requests come from another source address."""
    transport = httpx.ASGITransport(app=create_api(node), client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://vigil.test")


async def set_clearance(
    client: httpx.AsyncClient, admin: dict[str, str], username: str, clearance: int
) -> None:
    """Give the user ``username`` a clearance, as an administrator does."""
    users = (await client.get("/api/v1/users", headers=admin)).json()["items"]
    user_id = next(u["id"] for u in users if u["username"] == username)
    answer = await client.put(
        f"/api/v1/users/{user_id}/clearance", headers=admin, json={"clearance": clearance}
    )
    assert answer.status_code == 200, answer.text


async def still_refused_then_served(
    client: httpx.AsyncClient, admin: dict[str, str], url: str
) -> tuple[httpx.Response, httpx.Response]:
    """A still of the live picture follows the access policy's clearance rule: with the Hefei
    channel at sensitivity 2, a viewer in its scope at clearance 0 is refused ``url`` (checked:
    403 ``access.clearance``); raised to clearance 2, the same viewer asks again. Both answers
    are returned for the caller's own checks (the served one is not checked here)."""
    marked = await client.put(
        f"/api/v1/channels/{HEFEI_CHANNEL}/sensitivity", headers=admin, json={"sensitivity": 2}
    )
    assert marked.status_code == 200, marked.text
    viewer = await add_user(client, admin, "low-viewer", "viewer", ["3401"])
    refused = await client.get(url, headers=viewer)
    assert refused.status_code == 403 and refused.json()["code"] == "access.clearance"
    await set_clearance(client, admin, "low-viewer", 2)
    return refused, await client.get(url, headers=viewer)
