"""Logging in: no default password, problem+json on failure, lockout, rate limit, tokens."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, login
from vigil.app import Vigil

PROBLEM = "application/problem+json"


async def test_devices_without_token_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/devices")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 401
    assert body["type"].endswith("/unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


async def test_admin_admin_does_not_log_in(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": "admin"}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


async def test_nul_in_username_is_a_failed_login(client: httpx.AsyncClient) -> None:
    # Found by schemathesis on PostgreSQL, which refuses NUL in text: it was a 500.
    response = await client.post(
        "/api/v1/auth/token", data={"username": "ad\x00min", "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM


async def test_garbage_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/devices", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


async def test_login_then_me(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    response = await client.get("/api/v1/auth/me", headers=admin)
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == "admin"
    assert me["role"] == "admin"
    assert "catalog:write" in me["permissions"]
    assert "audit:read" not in me["permissions"]  # admins do not read the log that watches them


async def test_lockout_after_repeated_failures(client: httpx.AsyncClient, node: Vigil) -> None:
    for _ in range(node.settings.login_max_failures):
        bad = await client.post("/api/v1/auth/token", data={"username": "admin", "password": "x"})
        assert bad.status_code == 401
    locked = await client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD}
    )
    assert locked.status_code == 401  # the right password, from the locked-out address
    assert locked.json()["detail"] == "wrong username or password"


async def test_login_rate_limited_per_address(client: httpx.AsyncClient, node: Vigil) -> None:
    statuses = []
    for i in range(node.settings.login_rate_per_minute + 1):
        response = await client.post(
            "/api/v1/auth/token", data={"username": f"nobody{i}", "password": "wrong-password"}
        )
        statuses.append(response.status_code)
    assert statuses[:-1] == [401] * node.settings.login_rate_per_minute
    assert statuses[-1] == 429


async def test_logout_revokes_token(client: httpx.AsyncClient, admin: dict[str, str]) -> None:
    assert (await client.post("/api/v1/auth/logout", headers=admin)).status_code == 204
    assert (await client.get("/api/v1/devices", headers=admin)).status_code == 401


async def test_password_change_policy_and_session_end(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    weak = await client.post(
        "/api/v1/auth/password",
        headers=admin,
        json={"current_password": ADMIN_PASSWORD, "new_password": "password"},
    )
    assert weak.status_code == 422
    changed = await client.post(
        "/api/v1/auth/password",
        headers=admin,
        json={"current_password": ADMIN_PASSWORD, "new_password": "Another-Long-Secret-9"},
    )
    assert changed.status_code == 204
    assert (await client.get("/api/v1/devices", headers=admin)).status_code == 401
    await login(client, "admin", "Another-Long-Secret-9")


async def test_api_token_carries_only_granted_permissions(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await client.post(
        "/api/v1/auth/api-tokens",
        headers=admin,
        json={"name": "dashboard", "permissions": ["catalog:read"], "days": 30},
    )
    assert created.status_code == 201
    token = {"Authorization": f"Bearer {created.json()['access_token']}"}
    assert (await client.get("/api/v1/devices", headers=token)).status_code == 200
    write = await client.post(
        "/api/v1/organisations", headers=token, json={"id": "11", "name": "北京市"}
    )
    assert write.status_code == 403


@pytest.mark.parametrize("permission", ["audit:read"])
async def test_api_token_cannot_exceed_owner(
    client: httpx.AsyncClient, admin: dict[str, str], permission: str
) -> None:
    response = await client.post(
        "/api/v1/auth/api-tokens", headers=admin, json={"name": "x", "permissions": [permission]}
    )
    assert response.status_code == 403
