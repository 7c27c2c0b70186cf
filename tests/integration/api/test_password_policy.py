"""The password policy over the API: weak passwords are refused wherever a password is set, and
the refusal states the rule, which the API also serves on its own."""

from __future__ import annotations

import httpx

from tests.conftest import ADMIN_PASSWORD

PROBLEM = "application/problem+json"
WEAK = ["aaaaaaaaaa", "abcdefghijkl", "Password123!", "qwertyuiop12"]


async def test_weak_own_password_is_refused_with_the_rule(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    rule = (await client.get("/api/v1/auth/password-policy")).json()["rule"]
    assert "at least 10 characters" in rule
    for weak in WEAK:
        response = await client.post(
            "/api/v1/auth/password",
            headers=admin,
            json={"current_password": ADMIN_PASSWORD, "new_password": weak},
        )
        assert response.status_code == 422, weak
        assert response.headers["content-type"] == PROBLEM
        assert rule in response.json()["detail"]


async def test_weak_password_of_a_new_user_is_refused(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    for weak in WEAK:
        body = {"username": "zhang.wei", "password": weak, "role": "viewer", "scopes": []}
        response = await client.post("/api/v1/users", headers=admin, json=body)
        assert response.status_code == 422, weak
    strong = {"username": "zhang.wei", "password": "Long-Enough-Pw1", "role": "viewer"}
    assert (await client.post("/api/v1/users", headers=admin, json=strong)).status_code == 201
