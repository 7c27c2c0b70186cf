"""Every state-changing request is audited; auditors read the log; tampering is detected."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from tests.integration.api.helpers import add_user, build_tree
from vigil.app import Vigil


async def test_changes_and_logins_are_recorded_for_auditors(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    await build_tree(client, admin)
    refused = await client.post("/api/v1/organisations", headers=admin, json={"id": "x"})
    assert refused.status_code == 422
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    assert (await client.get("/api/v1/audit", headers=admin)).status_code == 403

    page = (await client.get("/api/v1/audit", headers=auditor, params={"limit": 500})).json()
    records = page["items"]
    actions = [(r["actor"], r["action"], r["resource"], r["outcome"]) for r in records]
    assert ("admin", "http.post", "/api/v1/devices", "ok") in actions
    assert ("admin", "http.post", "/api/v1/organisations", "http-422") in actions
    assert ("inspector", "auth.login", "/api/v1/auth/token", "ok") in actions
    assert all(r["source"] == "127.0.0.9" for r in records)
    assert [r["seq"] for r in records] == sorted((r["seq"] for r in records), reverse=True)

    logins = (
        await client.get("/api/v1/audit", headers=auditor, params={"action": "auth.login"})
    ).json()["items"]
    assert {r["actor"] for r in logins} == {"admin", "inspector"}


async def test_failed_login_is_audited(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await client.post("/api/v1/auth/token", data={"username": "admin", "password": "guess"})
    auditor = await add_user(client, admin, "inspector", "auditor", [])
    records = (
        await client.get("/api/v1/audit", headers=auditor, params={"actor": "admin"})
    ).json()["items"]
    assert any(r["action"] == "auth.login" and r["outcome"] == "denied" for r in records)


async def test_verify_names_the_edited_record(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_tree(client, admin)
    before = await node.audit.verify()
    assert before.ok and before.checked >= 8
    async with node.db.session() as session, session.begin():
        await session.execute(
            text("UPDATE audit_records SET actor = 'bdmin' WHERE seq = 4 AND actor = 'admin'")
        )
    after = await node.audit.verify()
    assert not after.ok
    assert after.broken is not None
    assert after.broken.seq == 4
    assert "edited" in after.broken.reason
    assert after.checked == 3


async def test_verify_names_a_deleted_record(
    client: httpx.AsyncClient, admin: dict[str, str], node: Vigil
) -> None:
    await build_tree(client, admin)
    async with node.db.session() as session, session.begin():
        await session.execute(text("DELETE FROM audit_records WHERE seq = 5"))
    result = await node.audit.verify()
    assert result.broken is not None
    assert result.broken.seq == 6
    assert "deleted" in result.broken.reason
