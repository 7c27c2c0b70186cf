"""An admin scoped to one organisation manages only the accounts it could have made itself:
at least one scope, every scope inside its own, a role whose permissions it holds. It never
unscopes itself or anyone, never reaches outside, and an unscoped admin keeps full power."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import login
from tests.integration.api.helpers import build_tree
from vigil.app import Vigil
from vigil.errors import Forbidden

PASSWORD = "Matrix-Pass-2468"
USERS = "/api/v1/users"


async def make(
    client: httpx.AsyncClient, admin: dict[str, str], name: str, role: str, scopes: list[str]
) -> int:
    body = {"username": name, "password": PASSWORD, "role": role, "scopes": scopes}
    response = await client.post(USERS, headers=admin, json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
async def world(client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, Any]:
    """Anhui (34) with Hefei (3401, and its district 340101) and Wuhu (3402); a Hefei admin."""
    await build_tree(client, admin)
    district = {"id": "340101", "name": "瑶海区", "parent_id": "3401"}
    assert (await client.post("/api/v1/organisations", headers=admin, json=district)).is_success
    ids = {
        "self": await make(client, admin, "hefei-admin", "admin", ["3401"]),
        "inside": await make(client, admin, "hefei-op", "operator", ["340101"]),
        "outside": await make(client, admin, "wuhu-op", "operator", ["3402"]),
        "straddling": await make(client, admin, "both-viewer", "viewer", ["3401", "3402"]),
        "unscoped-viewer": await make(client, admin, "lost-viewer", "viewer", []),
        "auditor-inside": await make(client, admin, "hefei-auditor", "auditor", ["3401"]),
        "root": 1,  # "admin": no scope, sees everything
    }
    return {"ids": ids, "scoped": await login(client, "hefei-admin", PASSWORD)}


REFUSED_TARGETS = ["outside", "straddling", "unscoped-viewer", "auditor-inside", "root"]


async def test_list_and_get_show_only_accounts_inside(
    client: httpx.AsyncClient, world: dict[str, Any]
) -> None:
    ids = world["ids"]
    listed = await client.get(USERS, headers=world["scoped"])
    assert listed.status_code == 200
    assert sorted(u["id"] for u in listed.json()["items"]) == sorted([ids["self"], ids["inside"]])
    got = {
        t: (await client.get(f"{USERS}/{ids[t]}", headers=world["scoped"])).status_code for t in ids
    }
    assert got == {t: 200 if t in ("self", "inside") else 403 for t in ids}


UPDATES: list[tuple[str, dict[str, Any], int]] = [
    # (target, change, expected status); refusals first: they must change nothing
    ("inside", {"role": "auditor"}, 403),  # audit:read spans every organisation
    ("inside", {"scopes": ["3402"]}, 403),
    ("inside", {"scopes": ["3401", "3402"]}, 403),
    ("inside", {"scopes": []}, 403),  # an operator without scope: the safe reading is never
    ("self", {"scopes": []}, 403),  # unscoping itself would make it see everything
    ("self", {"scopes": ["3401", "3402"]}, 403),
    ("self", {"role": "operator"}, 403),
    ("self", {"disabled": True}, 403),
    *[(t, {"role": "viewer"}, 403) for t in REFUSED_TARGETS],
    *[(t, {"scopes": ["3401"]}, 403) for t in REFUSED_TARGETS],
    *[(t, {"disabled": True}, 403) for t in REFUSED_TARGETS],
    ("inside", {"role": "viewer"}, 200),
    ("inside", {"scopes": ["3401"]}, 200),
    ("inside", {"disabled": True}, 200),
    ("self", {"scopes": ["3401", "340101"]}, 200),
]


async def test_update(
    client: httpx.AsyncClient, admin: dict[str, str], world: dict[str, Any]
) -> None:
    wrong = []
    for target, change, status in UPDATES:
        user_id = world["ids"][target]
        before = (await client.get(f"{USERS}/{user_id}", headers=admin)).json()
        response = await client.patch(f"{USERS}/{user_id}", headers=world["scoped"], json=change)
        after = (await client.get(f"{USERS}/{user_id}", headers=admin)).json()
        done = {k: after.get(k) for k in change} == change if status == 200 else after == before
        if response.status_code != status or not done:
            wrong.append((target, change, response.status_code, after))
        elif status == 403:
            assert response.headers["content-type"] == "application/problem+json"
    assert wrong == []


async def test_delete(
    client: httpx.AsyncClient, admin: dict[str, str], world: dict[str, Any]
) -> None:
    wrong = []
    for target in [*REFUSED_TARGETS, "self", "inside"]:
        user_id = world["ids"][target]
        response = await client.delete(f"{USERS}/{user_id}", headers=world["scoped"])
        still = (await client.get(f"{USERS}/{user_id}", headers=admin)).status_code
        expected = (204, 404) if target == "inside" else (403, 200)
        if (response.status_code, still) != expected:
            wrong.append((target, response.status_code, still))
    assert wrong == []


CREATES: list[tuple[str, list[str], int]] = [
    ("operator", ["340101"], 201),
    ("admin", ["3401"], 201),
    ("viewer", ["3401", "340101"], 201),
    ("operator", ["3402"], 403),
    ("viewer", ["3401", "3402"], 403),
    ("viewer", [], 403),
    ("operator", [], 403),
    ("admin", [], 403),  # an unscoped admin would see all
    ("auditor", [], 403),
    ("auditor", ["3401"], 403),
]


async def test_create(client: httpx.AsyncClient, world: dict[str, Any]) -> None:
    wrong = []
    for number, (role, scopes, status) in enumerate(CREATES):
        name = f"newcomer{number}"
        body = {"username": name, "password": PASSWORD, "role": role, "scopes": scopes}
        response = await client.post(USERS, headers=world["scoped"], json=body)
        if response.status_code != status:
            wrong.append((role, scopes, response.status_code))
    assert wrong == []
    listed = (await client.get(USERS, headers=world["scoped"])).json()["items"]
    assert sorted(u["username"] for u in listed if u["username"].startswith("newcomer")) == [
        "newcomer0",
        "newcomer1",
        "newcomer2",
    ]


async def test_password_reset_stays_inside(node: Vigil, world: dict[str, Any]) -> None:
    token = world["scoped"]["Authorization"].removeprefix("Bearer ")
    scoped = await node.auth.authenticate(token)
    await node.users.reset_password(scoped, "hefei-op")
    for name in ("wuhu-op", "both-viewer", "lost-viewer", "hefei-auditor", "admin"):
        with pytest.raises(Forbidden):
            await node.users.reset_password(scoped, name)


async def test_unscoped_admin_keeps_full_power(
    client: httpx.AsyncClient, admin: dict[str, str], world: dict[str, Any]
) -> None:
    ids = world["ids"]
    assert len((await client.get(USERS, headers=admin)).json()["items"]) == len(ids)
    for target in ("outside", "straddling", "unscoped-viewer", "auditor-inside", "self"):
        response = await client.patch(
            f"{USERS}/{ids[target]}", headers=admin, json={"scopes": [], "role": "operator"}
        )
        assert response.status_code == 200
    body = {"username": "second-root", "password": PASSWORD, "role": "admin", "scopes": []}
    assert (await client.post(USERS, headers=admin, json=body)).status_code == 201
    assert (await client.delete(f"{USERS}/{ids['outside']}", headers=admin)).status_code == 204


async def test_scoped_admin_cannot_unscope_itself_by_deleting_its_organisation(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    empty = {"id": "340102", "name": "庐阳区", "parent_id": "3401"}
    assert (await client.post("/api/v1/organisations", headers=admin, json=empty)).is_success
    await make(client, admin, "luyang-admin", "admin", ["340102"])
    scoped = await login(client, "luyang-admin", PASSWORD)
    response = await client.delete("/api/v1/organisations/340102", headers=scoped)
    assert response.status_code == 409
    listed = (await client.get(USERS, headers=scoped)).json()["items"]
    assert [u["username"] for u in listed] == ["luyang-admin"]
