"""Lockout counts failures per (source address, account): a stranger cannot lock the owner out,
and a locked account answers exactly like a wrong password or an unknown user."""

from __future__ import annotations

import statistics
import time

import httpx

from tests.conftest import ADMIN_PASSWORD, login
from tests.integration.api.helpers import add_user, client_from
from vigil.app import Vigil

TOKEN = "/api/v1/auth/token"


async def fail(client: httpx.AsyncClient, username: str, times: int) -> None:
    for _ in range(times):
        response = await client.post(
            TOKEN, data={"username": username, "password": "Wrong-Guess-77"}
        )
        assert response.status_code == 401


async def test_stranger_elsewhere_cannot_lock_the_owner_out(
    client: httpx.AsyncClient, node: Vigil
) -> None:
    async with client_from(node, "198.51.100.7") as stranger:
        await fail(stranger, "admin", node.settings.login_max_failures + 2)
        refused = await stranger.post(TOKEN, data={"username": "admin", "password": ADMIN_PASSWORD})
        assert refused.status_code == 401  # that address is locked out of the account
    await login(client, "admin", ADMIN_PASSWORD)  # the owner, from its own address, is not


async def test_locked_account_answers_like_a_wrong_password(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    await fail(client, "admin", node.settings.login_max_failures)
    locked = await client.post(TOKEN, data={"username": "admin", "password": ADMIN_PASSWORD})
    unknown = await client.post(TOKEN, data={"username": "nobody", "password": ADMIN_PASSWORD})
    wrong = await client.post(TOKEN, data={"username": "inspector", "password": "Wrong-Guess-77"})
    for response in (locked, unknown, wrong):
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json() == unknown.json()
        assert response.headers.get("retry-after") is None
    records = (
        await client.get("/api/v1/audit", headers=auditor, params={"actor": "admin"})
    ).json()["items"]
    assert records[0]["action"] == "auth.login" and records[0]["outcome"] == "locked"


async def test_locked_account_costs_the_time_of_a_password_check(
    client: httpx.AsyncClient, node: Vigil
) -> None:
    await fail(client, "admin", node.settings.login_max_failures)
    locked: list[float] = []
    unknown: list[float] = []
    # CPU time of this process (the node runs in it; the hash runs on one of its threads), not
    # wall time, which other work on the machine stretches for one request and not the next.
    for i in range(5):  # interleaved, so whatever else the node does hits both alike
        for name, times in (("admin", locked), (f"nobody{i}", unknown)):
            start = time.process_time()
            response = await client.post(TOKEN, data={"username": name, "password": ADMIN_PASSWORD})
            times.append(time.process_time() - start)
            assert response.status_code == 401
    assert statistics.median(locked) > 0.5 * statistics.median(unknown), (locked, unknown)
