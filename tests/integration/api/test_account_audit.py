"""Account changes are audited by the user service, once each, with the acting principal and
what changed (never a password); refusals are recorded too."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.conftest import ADMIN_PASSWORD, login
from tests.integration.api.helpers import add_user, build_tree
from vigil.app import Vigil
from vigil.governance.permissions import SYSTEM, system_principal

PASSWORD = "Audited-Pass-2468"


async def records(client: httpx.AsyncClient, auditor: dict[str, str]) -> list[dict[str, Any]]:
    page = await client.get("/api/v1/audit", headers=auditor, params={"limit": 500})
    assert page.status_code == 200
    return [{**r, "detail": json.loads(r["detail"])} for r in reversed(page.json()["items"])]


async def test_create_update_delete_and_password_are_audited_once(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    body = {"username": "zhang.wei", "password": PASSWORD, "role": "viewer", "scopes": ["3401"]}
    created = await client.post("/api/v1/users", headers=admin, json=body)
    user_id = created.json()["id"]
    change = {"role": "operator", "scopes": ["3402"], "disabled": True}
    assert (await client.patch(f"/api/v1/users/{user_id}", headers=admin, json=change)).is_success
    new = {"current_password": ADMIN_PASSWORD, "new_password": "Another-Long-Secret-9"}
    assert (await client.post("/api/v1/auth/password", headers=admin, json=new)).is_success
    admin = await login(client, "admin", "Another-Long-Secret-9")
    assert (await client.delete(f"/api/v1/users/{user_id}", headers=admin)).is_success

    log = [
        r
        for r in await records(client, auditor)
        if r["actor"] == "admin" and r["action"].startswith(("user.", "http."))
    ]
    actions = [r["action"] for r in log]
    assert actions[-5:] == [
        "user.create",  # inspector
        "user.create",
        "user.update",
        "user.password",
        "user.delete",
    ]
    create, update, password, delete = log[-4], log[-3], log[-2], log[-1]
    assert create["detail"] == {
        "id": user_id,
        "username": "zhang.wei",
        "role": "viewer",
        "scopes": ["3401"],
    }
    assert create["resource"] == "user/zhang.wei" and create["source"] == "127.0.0.9"
    assert update["detail"]["changes"] == {
        "role": ["viewer", "operator"],
        "scopes": [["3401"], ["3402"]],
        "disabled": [False, True],
    }
    assert password["resource"] == "user/admin" and password["detail"]["how"] == "own"
    assert delete["detail"]["role"] == "operator"
    assert all(PASSWORD not in json.dumps(r) for r in log)
    assert all("Another-Long-Secret-9" not in json.dumps(r) for r in log)


async def test_refused_change_is_audited_with_its_reason(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    scoped = await add_user(client, admin, "hefei-admin", "admin", ["3401"])
    body = {"username": "rogue", "password": PASSWORD, "role": "admin", "scopes": []}
    assert (await client.post("/api/v1/users", headers=scoped, json=body)).status_code == 403
    last = (await records(client, auditor))[-1]
    assert (last["actor"], last["action"], last["outcome"]) == (
        "hefei-admin",
        "user.create",
        "forbidden",
    )


async def test_service_callers_are_audited_as_themselves(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    cli = system_principal("cli:operator1")
    await node.users.reset_password(cli, "admin")  # what `vigil demo` and `passwd --generate` do
    await node.users.set_password(SYSTEM, "inspector", "Reset-By-System-77")
    auditor = await login(client, "inspector", "Reset-By-System-77")
    log = (await records(client, auditor))[-3:-1]
    assert [(r["actor"], r["action"], r["resource"], r["detail"]["how"]) for r in log] == [
        ("cli:operator1", "user.password", "user/admin", "reset"),
        ("system", "user.password", "user/inspector", "set"),
    ]
