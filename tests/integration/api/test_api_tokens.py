"""API tokens end with their owner's password, and only a login session manages credentials."""

from __future__ import annotations

import httpx

from tests.conftest import ADMIN_PASSWORD, login
from tests.integration.api.helpers import add_user
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM

NEW_PASSWORD = "Another-Long-Secret-9"


async def api_token(client: httpx.AsyncClient, session: dict[str, str]) -> dict[str, str]:
    me = (await client.get("/api/v1/auth/me", headers=session)).json()
    created = await client.post(
        "/api/v1/auth/api-tokens",
        headers=session,
        json={"name": "script", "permissions": me["permissions"]},
    )
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['access_token']}"}


async def test_own_password_change_revokes_api_tokens(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    token = await api_token(client, admin)
    assert (await client.get("/api/v1/devices", headers=token)).status_code == 200
    changed = await client.post(
        "/api/v1/auth/password",
        headers=admin,
        json={"current_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert changed.status_code == 204
    assert (await client.get("/api/v1/devices", headers=token)).status_code == 401


async def test_password_reset_revokes_api_tokens(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    viewer = await add_user(client, admin, "scripted", "viewer", [])
    token = await api_token(client, viewer)
    assert (await client.get("/api/v1/auth/me", headers=token)).status_code == 200
    password = await node.users.reset_password(SYSTEM, "scripted")  # as `vigil users passwd` does
    assert (await client.get("/api/v1/auth/me", headers=token)).status_code == 401
    assert (await client.get("/api/v1/auth/me", headers=viewer)).status_code == 401
    await login(client, "scripted", password)


async def test_api_token_cannot_change_the_password(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    token = await api_token(client, admin)
    response = await client.post(
        "/api/v1/auth/password",
        headers=token,
        json={"current_password": ADMIN_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "login session" in response.json()["detail"]
    await login(client, "admin", ADMIN_PASSWORD)  # unchanged


async def test_api_token_cannot_mint_api_tokens(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    token = await api_token(client, admin)
    response = await client.post(
        "/api/v1/auth/api-tokens",
        headers=token,
        json={"name": "offspring", "permissions": ["catalog:read"]},
    )
    assert response.status_code == 403
    assert "login session" in response.json()["detail"]
